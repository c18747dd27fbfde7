package index

import (
	"math/bits"
	"slices"
)

// column maps run ordinals to values. It is dense — a slice of values from
// a base ordinal and a bitset of used slots — while at least a quarter of
// the slots of its span are used, and a map otherwise, so that a field few
// scattered runs have costs memory per run that has it, not per ordinal in
// between. Ordinals mostly arrive in increasing order (the engine assigns
// them in creation order), so a dense column grows at its end, amortized
// O(1).
type column[T any] struct {
	base uint32
	vals []T
	used []uint64 // bit i of word i/64 set: slot base+i holds a value
	m    map[uint32]T
	lo   uint32 // smallest ordinal ever put in m
	hi   uint32 // largest ordinal ever put in m
	n    int
}

// denseMin is the span below which a column stays dense whatever its fill.
const denseMin = 64

func (c *column[T]) len() int { return c.n }

func (c *column[T]) get(ord uint32) (T, bool) {
	if c.m != nil {
		v, ok := c.m[ord]
		return v, ok
	}
	i := ord - c.base
	if ord < c.base || uint64(i) >= uint64(len(c.vals)) || c.used[i/64]&(1<<(i%64)) == 0 {
		var zero T
		return zero, false
	}
	return c.vals[i], true
}

func (c *column[T]) set(ord uint32, v T) {
	if c.m != nil {
		if _, ok := c.m[ord]; !ok {
			c.n++
			c.lo, c.hi = min(c.lo, ord), max(c.hi, ord)
		}
		c.m[ord] = v
		if span := uint64(c.hi-c.lo) + 1; c.n >= denseMin && uint64(c.n)*4 >= span {
			c.toDense()
		}
		return
	}
	if c.n == 0 {
		c.base, c.vals, c.used = ord, c.vals[:0], c.used[:0]
	}
	if ord >= c.base && uint64(ord-c.base) < uint64(len(c.vals)) {
		i := ord - c.base
		if c.used[i/64]&(1<<(i%64)) == 0 {
			c.used[i/64] |= 1 << (i % 64)
			c.n++
		}
		c.vals[i] = v
		return
	}
	lo, hi := min(c.base, ord), max(c.base+uint32(len(c.vals)), ord+1)
	if span := uint64(hi - lo); span > denseMin && span > 4*uint64(c.n+1) {
		c.toMap()
		c.set(ord, v)
		return
	}
	if ord < c.base {
		c.shiftBase(ord)
	}
	i := ord - c.base
	if need := int(i) + 1; need > len(c.vals) {
		c.vals = slices.Grow(c.vals, need-len(c.vals))[:need]
		for w := (need + 63) / 64; len(c.used) < w; {
			c.used = append(c.used, 0)
		}
	}
	c.used[i/64] |= 1 << (i % 64)
	c.vals[i] = v
	c.n++
}

// shiftBase moves a dense column's base down to ord, keeping its values.
func (c *column[T]) shiftBase(ord uint32) {
	shift := int(c.base - ord)
	vals := make([]T, len(c.vals)+shift, cap(c.vals)+shift)
	copy(vals[shift:], c.vals)
	used := make([]uint64, (len(vals)+63)/64)
	for w, word := range c.used {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			j := w*64 + b + shift
			used[j/64] |= 1 << (j % 64)
		}
	}
	c.base, c.vals, c.used = ord, vals, used
}

func (c *column[T]) del(ord uint32) {
	if c.m != nil {
		if _, ok := c.m[ord]; ok {
			delete(c.m, ord)
			c.n--
		}
	} else if ord >= c.base && uint64(ord-c.base) < uint64(len(c.vals)) {
		i := ord - c.base
		if c.used[i/64]&(1<<(i%64)) != 0 {
			c.used[i/64] &^= 1 << (i % 64)
			var zero T
			c.vals[i] = zero
			c.n--
		}
	}
	if c.n == 0 {
		*c = column[T]{}
	}
}

// update replaces every value v by fn(v).
func (c *column[T]) update(fn func(v T) T) {
	if c.m != nil {
		for o, v := range c.m {
			c.m[o] = fn(v)
		}
		return
	}
	c.each(func(_ uint32, v *T) bool {
		*v = fn(*v)
		return true
	})
}

// each calls fn for every ordinal with a value, in increasing order, until
// fn returns false. fn must not change *v.
func (c *column[T]) each(fn func(ord uint32, v *T) bool) {
	if c.m != nil {
		ords := make([]uint32, 0, len(c.m))
		for o := range c.m {
			ords = append(ords, o)
		}
		slices.Sort(ords)
		for _, o := range ords {
			v := c.m[o]
			if !fn(o, &v) {
				return
			}
		}
		return
	}
	for w, word := range c.used {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			i := w*64 + b
			if !fn(c.base+uint32(i), &c.vals[i]) {
				return
			}
		}
	}
}

func (c *column[T]) toMap() {
	m := make(map[uint32]T, c.n+1)
	c.lo, c.hi = ^uint32(0), 0
	c.each(func(o uint32, v *T) bool {
		m[o] = *v
		c.lo, c.hi = min(c.lo, o), max(c.hi, o)
		return true
	})
	c.vals, c.used, c.m = nil, nil, m
}

func (c *column[T]) toDense() {
	m, lo, hi := c.m, c.lo, c.hi
	*c = column[T]{base: lo, vals: make([]T, int(hi-lo)+1), used: make([]uint64, (int(hi-lo)+64)/64), n: len(m)}
	for o, v := range m {
		i := o - lo
		c.vals[i] = v
		c.used[i/64] |= 1 << (i % 64)
	}
}
