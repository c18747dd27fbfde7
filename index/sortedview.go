package index

import (
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// sortedView orders the ordinals of a numeric column by value so that a
// range predicate is two binary searches. It is built on first use, not on
// every write: writers only record the ordinals they change in stale
// (nothing at all before the first build), and a query answers from the
// view minus the stale ordinals plus a direct check of each stale one. The
// view is rebuilt when the stale ordinals exceed an eighth of it, so the
// cost of a write stays O(1) amortized however often it happens.
//
// Writers call touch under the head's write lock; readers call the query
// methods under its read lock, and mu orders readers among themselves.
type sortedView[V int64 | float64] struct {
	mu    sync.Mutex
	built bool
	ords  []uint32 // ordinals in value order at the build; ties by ordinal
	vals  []V      // vals[i] is the value ords[i] had at the build
	stale *roaring.Bitmap
}

// touch records that ord's value was set, changed or removed.
func (v *sortedView[V]) touch(ord uint32) {
	if v.built {
		if v.stale == nil {
			v.stale = roaring.New()
		}
		v.stale.Add(ord)
	}
}

// reset drops the view; the next query rebuilds it.
func (v *sortedView[V]) reset() {
	v.built, v.ords, v.vals, v.stale = false, nil, nil, nil
}

// viewSlack is the number of stale ordinals a view tolerates beyond an
// eighth of its size before it is rebuilt; tests lower it.
var viewSlack = 64

// pair is one entry while a view is built.
type pair[V int64 | float64] struct {
	v V
	o uint32
}

// ensure rebuilds the view when it is missing or too stale. v.mu is held.
func (v *sortedView[V]) ensure(each func(fn func(ord uint32, x V))) {
	if v.built && (v.stale == nil || v.stale.GetCardinality() <= uint64(len(v.ords)/8+viewSlack)) {
		return
	}
	var ps []pair[V]
	each(func(o uint32, x V) { ps = append(ps, pair[V]{x, o}) })
	slices.SortFunc(ps, func(a, b pair[V]) int {
		if c := cmpTotal(a.v, b.v); c != 0 {
			return c
		}
		return cmpInt(int64(a.o), int64(b.o))
	})
	v.ords, v.vals = slices.Grow(v.ords[:0], len(ps))[:len(ps)], slices.Grow(v.vals[:0], len(ps))[:len(ps)]
	for i, p := range ps {
		v.ords[i], v.vals[i] = p.o, p.v
	}
	v.built, v.stale = true, nil
}

// seq returns the view as a numSeq. v.mu is held.
func (v *sortedView[V]) seq() *numSeq {
	return &numSeq{
		n:    len(v.vals),
		val:  func(i int) num { return toNum(v.vals[i]) },
		ord:  func(i int) uint32 { return v.ords[i] },
		ords: v.ords,
	}
}

// matchNum returns the ordinals whose current value matches t. each walks
// the column for a rebuild; at reads one ordinal's current value.
func (v *sortedView[V]) matchNum(t *numTest, each func(fn func(ord uint32, x V)), at func(ord uint32) (V, bool)) *roaring.Bitmap {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ensure(each)
	return v.patch(v.seq().matchNum(t), at, func(x V) bool { return t.match(toNum(x)) })
}

// matchText returns the ordinals whose current value's canonical text
// matches t.
func (v *sortedView[V]) matchText(t *textTest, each func(fn func(ord uint32, x V)), at func(ord uint32) (V, bool)) *roaring.Bitmap {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ensure(each)
	return v.patch(v.seq().matchText(t), at, func(x V) bool { return t.match(toNum(x).value().String()) })
}

// domain returns the ordinals with a non-NaN value.
func (v *sortedView[V]) domain(each func(fn func(ord uint32, x V)), at func(ord uint32) (V, bool)) *roaring.Bitmap {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ensure(each)
	return v.patch(v.seq().domain(), at, func(x V) bool { return x == x })
}

// patch replaces the stale ordinals' answers in b by direct checks of
// their current values. v.mu is held.
func (v *sortedView[V]) patch(b *roaring.Bitmap, at func(ord uint32) (V, bool), test func(V) bool) *roaring.Bitmap {
	if v.stale == nil {
		return b
	}
	b.AndNot(v.stale)
	it := v.stale.Iterator()
	for it.HasNext() {
		o := it.Next()
		if x, ok := at(o); ok && test(x) {
			b.Add(o)
		}
	}
	return b
}

// cmpTotal orders values with NaN last.
func cmpTotal[V int64 | float64](a, b V) int {
	switch x := any(a).(type) {
	case float64:
		return cmpFloatTotal(x, any(b).(float64))
	case int64:
		return cmpInt(x, any(b).(int64))
	}
	return 0
}

// toNum converts a column value to a num.
func toNum[V int64 | float64](x V) num {
	switch x := any(x).(type) {
	case int64:
		return num{isInt: true, i: x}
	case float64:
		return num{f: x}
	}
	return num{}
}
