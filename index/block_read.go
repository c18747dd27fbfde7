package index

import (
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
)

// A block as a layer of a View.

func (b *Block) runs() *roaring.Bitmap { return b.live }

func (b *Block) dead() *roaring.Bitmap { return b.tombs }

func (b *Block) touched(f Field) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		return b.has(f)
	}
	bf, err := b.lookupField(f)
	if bf == nil {
		return nil, err
	}
	return bf.touched, nil
}

func (b *Block) has(f Field) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		s, err := b.lookupSeries(f)
		if s == nil {
			return nil, err
		}
		return s.has, nil
	}
	bf, err := b.lookupField(f)
	if bf == nil {
		return nil, err
	}
	return bf.has, nil
}

func (b *Block) domain(f Field, d domain) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		s, err := b.lookupSeries(f)
		if s == nil {
			return nil, err
		}
		if f.Stat == StatCount {
			return s.has, nil
		}
		var stk sticky
		r := s.seq(f.Stat, &stk, b.bound()).domain()
		return r, stk.err
	}
	bf, err := b.lookupField(f)
	if bf == nil {
		return nil, err
	}
	if d&domText != 0 {
		return bf.has, nil
	}
	var parts []*roaring.Bitmap
	if d&domNum != 0 {
		parts = append(parts, bf.ints.seq(false, b.bound()).domain(), bf.floats.seq(true, b.bound()).domain())
	}
	if d&domBool != 0 {
		parts = append(parts, bf.bools[0], bf.bools[1])
	}
	return orAll(parts), nil
}

func (b *Block) matchText(f Field, t *textTest) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		return nil, nil
	}
	bf, err := b.lookupField(f)
	if bf == nil {
		return nil, err
	}
	var parts []*roaring.Bitmap
	var stk sticky
	if bf.strs.n > 0 {
		var hits []int
		t.scanSorted(bf.strs.n, func(i int) string { return bf.textView(i, &stk) }, func(i int) { hits = append(hits, i) })
		for _, i := range hits {
			p, err := bf.posting(i)
			if err != nil {
				return nil, err
			}
			parts = append(parts, p)
		}
	}
	parts = append(parts, bf.ints.seq(false, b.bound()).matchText(t), bf.floats.seq(true, b.bound()).matchText(t))
	for v, bm := range bf.bools {
		if bm != nil && t.match(Bool(v == 1).String()) {
			parts = append(parts, bm)
		}
	}
	if stk.err != nil {
		return nil, stk.err
	}
	return orAll(parts), nil
}

func (b *Block) matchNum(f Field, t *numTest) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		s, err := b.lookupSeries(f)
		if s == nil {
			return nil, err
		}
		var stk sticky
		r := s.seq(f.Stat, &stk, b.bound()).matchNum(t)
		return r, stk.err
	}
	bf, err := b.lookupField(f)
	if bf == nil {
		return nil, err
	}
	return orAll([]*roaring.Bitmap{bf.ints.seq(false, b.bound()).matchNum(t), bf.floats.seq(true, b.bound()).matchNum(t)}), nil
}

func (b *Block) matchBool(f Field, v bool) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		return nil, nil
	}
	bf, err := b.lookupField(f)
	if bf == nil {
		return nil, err
	}
	return bf.bools[b2i(v)], nil
}

func (b *Block) values(f Field, set *roaring.Bitmap, fn func(ord uint32, v Value)) error {
	var stk sticky
	if f.Kind == FieldMetric {
		s, err := b.lookupSeries(f)
		if s == nil {
			return err
		}
		at := func(i int) uint32 { return le.Uint32(s.ords[4*i:]) }
		eachIn(set, s.has, s.m, at, func(o uint32, i int) { fn(o, s.stat(f.Stat, i).value()) })
		return nil
	}
	bf, err := b.lookupField(f)
	if bf == nil {
		return err
	}
	at := func(i int) uint32 { return le.Uint32(bf.fwd.ords[4*i:]) }
	eachIn(set, bf.has, bf.fwd.m, at, func(o uint32, i int) {
		if v, ok := bf.value(le.Uint32(bf.fwd.refs[4*i:]), &stk); ok {
			fn(o, v)
		}
	})
	return stk.err
}

// eachIn calls fn for every ordinal of set that has, with its position in
// an ordinal-sorted array of n read by at; ordinals not found are skipped.
func eachIn(set, has *roaring.Bitmap, n int, at func(int) uint32, fn func(ord uint32, i int)) {
	it := roaring.And(set, has).Iterator()
	pos := 0
	for it.HasNext() {
		o := it.Next()
		pos += sort.Search(n-pos, func(i int) bool { return at(pos+i) >= o })
		if pos < n && at(pos) == o {
			fn(o, pos)
		}
	}
}
