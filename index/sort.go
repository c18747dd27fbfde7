package index

import (
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// Sort implements [Selector].
func (v *View) Sort(runs *roaring.Bitmap, keys []SortKey, offset, limit int) ([]uint32, error) {
	v.rlock()
	defer v.runlock()
	set := roaring.And(runs, v.universe())
	ords := set.ToArray()
	offset = max(offset, 0)
	if offset >= len(ords) || limit == 0 {
		return []uint32{}, nil
	}
	cols := make([][]sortVal, len(keys))
	for k, key := range keys {
		col, err := v.sortColumn(key.Field, set, ords)
		if err != nil {
			return nil, err
		}
		cols[k] = col
	}
	cmp := func(a, b int32) int {
		for k, key := range keys {
			if c := cols[k][a].cmp(&cols[k][b], key.Desc); c != 0 {
				return c
			}
		}
		return cmpInt(int64(ords[a]), int64(ords[b]))
	}
	want := len(ords)
	if limit > 0 && offset+limit < want {
		want = offset + limit
	}
	idx := topK(len(ords), want, cmp)
	out := make([]uint32, 0, len(idx)-offset)
	for _, i := range idx[offset:] {
		out = append(out, ords[i])
	}
	return out, nil
}

// sortColumn returns the sort value of f for each of ords (the members of
// set, in order), taking each from the layer that owns it.
func (v *View) sortColumn(f Field, set *roaring.Bitmap, ords []uint32) ([]sortVal, error) {
	col := make([]sortVal, len(ords))
	for i := range col {
		col[i].rank = rankMissing
	}
	var shadow *roaring.Bitmap
	for i := len(v.layers) - 1; i >= 0; i-- {
		x := v.layers[i]
		own := set
		if !isEmpty(shadow) {
			own = roaring.AndNot(set, shadow)
		}
		pos := 0
		err := x.values(f, own, func(o uint32, val Value) {
			for pos < len(ords) && ords[pos] < o {
				pos++
			}
			if pos < len(ords) && ords[pos] == o {
				col[pos] = sortValOf(val)
			}
		})
		if err != nil {
			return nil, err
		}
		if i > 0 {
			t, err := x.touched(f)
			if err != nil {
				return nil, err
			}
			if !isEmpty(t) {
				if shadow == nil {
					shadow = t.Clone()
				} else {
					shadow.Or(t)
				}
			}
		}
	}
	return col, nil
}

// topK returns the indexes of the k smallest of n elements under cmp, in
// order. For k much smaller than n it keeps a bounded heap instead of
// sorting everything.
func topK(n, k int, cmp func(a, b int32) int) []int32 {
	if k >= n/4 {
		idx := make([]int32, n)
		for i := range idx {
			idx[i] = int32(i)
		}
		slices.SortFunc(idx, cmp)
		return idx[:k]
	}
	// A max-heap of the k best so far: the worst of them on top.
	h := make([]int32, 0, k)
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(h) && cmp(h[l], h[m]) > 0 {
				m = l
			}
			if r := l + 1; r < len(h) && cmp(h[r], h[m]) > 0 {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := int32(0); i < int32(n); i++ {
		if len(h) < k {
			h = append(h, i)
			for j := len(h) - 1; j > 0; {
				p := (j - 1) / 2
				if cmp(h[j], h[p]) <= 0 {
					break
				}
				h[j], h[p] = h[p], h[j]
				j = p
			}
		} else if cmp(i, h[0]) < 0 {
			h[0] = i
			down(0)
		}
	}
	slices.SortFunc(h, cmp)
	return h
}

// Sort ranks: present values by kind, then NaN, then missing.
const (
	rankNum uint8 = iota
	rankStr
	rankBool
	rankNaN
	rankMissing
)

// sortVal is one run's value of a sort key.
type sortVal struct {
	rank uint8
	b    bool
	n    num
	s    string
}

func sortValOf(v Value) sortVal {
	switch v.Kind {
	case KindString:
		return sortVal{rank: rankStr, s: v.Str}
	case KindBool:
		return sortVal{rank: rankBool, b: v.Bool}
	case KindInt, KindFloat:
		n, _ := numOf(v)
		if n.isNaN() {
			return sortVal{rank: rankNaN}
		}
		return sortVal{rank: rankNum, n: n}
	}
	return sortVal{rank: rankMissing}
}

// cmp orders a before b; desc reverses the order of present values only.
func (a *sortVal) cmp(b *sortVal, desc bool) int {
	c := 0
	switch {
	case a.rank != b.rank:
		if a.rank >= rankNaN || b.rank >= rankNaN {
			return cmpInt(int64(a.rank), int64(b.rank))
		}
		c = cmpInt(int64(a.rank), int64(b.rank))
	case a.rank == rankNum:
		c = cmpNum(a.n, b.n)
	case a.rank == rankStr:
		c = strings.Compare(a.s, b.s)
	case a.rank == rankBool:
		c = b2i(a.b) - b2i(b.b)
	}
	if desc {
		return -c
	}
	return c
}
