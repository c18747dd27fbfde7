package index

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// bitmapOf builds a bitmap from ordinals in any order; it may reorder
// ords. Many ordinals go through a dense bitset, which avoids sorting them.
func bitmapOf(ords []uint32) *roaring.Bitmap {
	if len(ords) == 0 {
		return roaring.New()
	}
	if len(ords) >= 256 {
		maxOrd := slices.Max(ords)
		if words := int(maxOrd)/64 + 1; words <= 8*len(ords) {
			dense := make([]uint64, words)
			for _, o := range ords {
				dense[o/64] |= 1 << (o % 64)
			}
			return roaring.FromDense(dense, false)
		}
	}
	slices.Sort(ords)
	b := roaring.New()
	b.AddMany(ords)
	return b
}

// orAll returns the union of bitmaps as a new bitmap; nil entries are empty.
func orAll(bs []*roaring.Bitmap) *roaring.Bitmap {
	nonNil := bs[:0:0]
	for _, b := range bs {
		if b != nil && !b.IsEmpty() {
			nonNil = append(nonNil, b)
		}
	}
	switch len(nonNil) {
	case 0:
		return roaring.New()
	case 1:
		return nonNil[0].Clone()
	}
	return roaring.FastOr(nonNil...)
}

// clone copies b; nil is the empty bitmap.
func clone(b *roaring.Bitmap) *roaring.Bitmap {
	if b == nil {
		return roaring.New()
	}
	return b.Clone()
}

// isEmpty reports whether b is nil or empty.
func isEmpty(b *roaring.Bitmap) bool { return b == nil || b.IsEmpty() }
