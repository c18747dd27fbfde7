package index

import (
	"github.com/RoaringBitmap/roaring/v2"
)

// fieldKey identifies a non-metric field in a head.
type fieldKey struct {
	kind FieldKind
	key  string
}

// numCol is a column of numbers of one kind with its sorted view.
type numCol[V int64 | float64] struct {
	col  column[V]
	view sortedView[V]
}

func (c *numCol[V]) set(ord uint32, x V) {
	c.col.set(ord, x)
	c.view.touch(ord)
}

func (c *numCol[V]) remove(ord uint32) bool {
	if _, ok := c.col.get(ord); !ok {
		return false
	}
	c.col.del(ord)
	c.view.touch(ord)
	return true
}

func (c *numCol[V]) each(fn func(ord uint32, x V)) {
	c.col.each(func(o uint32, x *V) bool { fn(o, *x); return true })
}

func (c *numCol[V]) match(t *numTest) *roaring.Bitmap {
	return c.view.matchNum(t, c.each, c.col.get)
}

func (c *numCol[V]) matchText(t *textTest) *roaring.Bitmap {
	return c.view.matchText(t, c.each, c.col.get)
}

func (c *numCol[V]) domain() *roaring.Bitmap {
	return c.view.domain(c.each, c.col.get)
}

// headField is everything a head knows of one attribute, param or tag:
// which runs have it, which runs had it deleted in this layer, and the
// values by kind. A run's value is in exactly one of strs, ints, floats and
// bools.
type headField struct {
	has     *roaring.Bitmap // runs with a value
	cleared *roaring.Bitmap // runs whose value this layer deleted; nil if none
	strs    *textDict
	ints    *numCol[int64]
	floats  *numCol[float64]
	bools   [2]*roaring.Bitmap // runs whose value is false, true
}

func newHeadField() *headField { return &headField{has: roaring.New()} }

// set makes v the value of ord.
func (f *headField) set(ord uint32, v Value) {
	if f.has.Contains(ord) {
		if cur, _ := f.get(ord); cur.Equal(v) {
			return
		}
		if v.Kind != KindString || f.strs == nil {
			f.remove(ord)
		} else if _, ok := f.strs.get(ord); !ok {
			f.remove(ord) // textDict.set replaces a string in place
		}
	}
	f.has.Add(ord)
	if f.cleared != nil {
		f.cleared.Remove(ord)
	}
	switch v.Kind {
	case KindString:
		if f.strs == nil {
			f.strs = newTextDict()
		}
		f.strs.set(ord, v.Str)
	case KindInt:
		if f.ints == nil {
			f.ints = &numCol[int64]{}
		}
		f.ints.set(ord, v.Int)
	case KindFloat:
		if f.floats == nil {
			f.floats = &numCol[float64]{}
		}
		f.floats.set(ord, v.Float)
	case KindBool:
		b := &f.bools[b2i(v.Bool)]
		if *b == nil {
			*b = roaring.New()
		}
		(*b).Add(ord)
	}
}

// remove drops ord's value and reports whether it had one.
func (f *headField) remove(ord uint32) bool {
	if !f.has.CheckedRemove(ord) {
		return false
	}
	switch {
	case f.strs != nil && f.strs.remove(ord):
	case f.ints != nil && f.ints.remove(ord):
	case f.floats != nil && f.floats.remove(ord):
	default:
		for _, b := range f.bools {
			if b != nil {
				b.Remove(ord)
			}
		}
	}
	return true
}

// clear drops ord's value and records the deletion, so that the value an
// older layer holds for ord is hidden.
func (f *headField) clear(ord uint32) {
	f.remove(ord)
	if f.cleared == nil {
		f.cleared = roaring.New()
	}
	f.cleared.Add(ord)
}

// forget drops every trace of ord: its value and any deletion record.
func (f *headField) forget(ord uint32) {
	f.remove(ord)
	if f.cleared != nil {
		f.cleared.Remove(ord)
	}
}

// get returns ord's value.
func (f *headField) get(ord uint32) (Value, bool) {
	if !f.has.Contains(ord) {
		return Value{}, false
	}
	if f.strs != nil {
		if s, ok := f.strs.get(ord); ok {
			return String(s), true
		}
	}
	if f.ints != nil {
		if x, ok := f.ints.col.get(ord); ok {
			return Int(x), true
		}
	}
	if f.floats != nil {
		if x, ok := f.floats.col.get(ord); ok {
			return Float(x), true
		}
	}
	if f.bools[1] != nil && f.bools[1].Contains(ord) {
		return Bool(true), true
	}
	return Bool(false), true
}

// touched returns the runs whose state for the field this layer holds.
func (f *headField) touched() *roaring.Bitmap {
	if isEmpty(f.cleared) {
		return f.has
	}
	return roaring.Or(f.has, f.cleared)
}

// matchText returns the runs whose value's canonical text matches t.
func (f *headField) matchText(t *textTest) *roaring.Bitmap {
	var parts []*roaring.Bitmap
	if f.strs != nil {
		parts = append(parts, f.strs.match(t))
	}
	if f.ints != nil {
		parts = append(parts, f.ints.matchText(t))
	}
	if f.floats != nil {
		parts = append(parts, f.floats.matchText(t))
	}
	for b, bm := range f.bools {
		if bm != nil && t.match(Bool(b == 1).String()) {
			parts = append(parts, bm)
		}
	}
	return orAll(parts)
}

// matchNum returns the runs whose numeric value matches t.
func (f *headField) matchNum(t *numTest) *roaring.Bitmap {
	var parts []*roaring.Bitmap
	if f.ints != nil {
		parts = append(parts, f.ints.match(t))
	}
	if f.floats != nil {
		parts = append(parts, f.floats.match(t))
	}
	return orAll(parts)
}

// domain returns the runs whose value lies in d.
func (f *headField) domain(d domain) *roaring.Bitmap {
	if d&domText != 0 {
		return f.has.Clone()
	}
	var parts []*roaring.Bitmap
	if d&domNum != 0 {
		if f.ints != nil {
			parts = append(parts, f.ints.domain())
		}
		if f.floats != nil {
			parts = append(parts, f.floats.domain())
		}
	}
	if d&domBool != 0 {
		parts = append(parts, f.bools[0], f.bools[1])
	}
	return orAll(parts)
}
