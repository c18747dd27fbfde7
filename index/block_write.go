package index

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// Marshal serializes the head as a block index (see docs/format/index.md):
// its live runs and tombstones, every field's values and recorded
// deletions, and every series' summaries. Load reads the result back.
func (h *Head) Marshal() ([]byte, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]byte, HeaderSize)

	runsOff := len(out)
	out = appendPosting(out, h.mu.live)
	out = appendPosting(out, h.mu.dead)
	runsEnd := len(out)

	// Field bodies, in directory order.
	keys := make([]fieldKey, 0, len(h.mu.fields))
	for k, f := range h.mu.fields {
		if !f.has.IsEmpty() || !isEmpty(f.cleared) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b fieldKey) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), strings.Compare(a.key, b.key))
	})
	var fieldDir, fieldKeys []byte
	for _, k := range keys {
		start := len(out)
		var err error
		if out, err = appendFieldBody(out, h.mu.fields[k]); err != nil {
			return nil, fmt.Errorf("field %s: %w", Field{Kind: k.kind, Key: k.key}, err)
		}
		e := make([]byte, fieldEntrySize)
		e[0] = byte(k.kind)
		le.PutUint32(e[4:], uint32(len(fieldKeys)))
		le.PutUint32(e[8:], uint32(len(k.key)))
		le.PutUint32(e[12:], uint32(len(out)-start))
		le.PutUint64(e[16:], uint64(start))
		le.PutUint32(e[24:], crc(out[start:]))
		fieldDir = append(fieldDir, e...)
		fieldKeys = append(fieldKeys, k.key...)
		if err := fits(len(out)-start, len(fieldKeys)); err != nil {
			return nil, err
		}
	}

	// Series bodies, in directory order.
	series := make([]*headSeries, 0, len(h.mu.series))
	for _, s := range h.mu.series {
		if s.col.len() > 0 {
			series = append(series, s)
		}
	}
	slices.SortFunc(series, func(a, b *headSeries) int {
		return cmp.Or(strings.Compare(a.key.metric, b.key.metric), strings.Compare(a.key.ctx, b.key.ctx))
	})
	var seriesDir, seriesNames []byte
	for _, s := range series {
		start := len(out)
		out = appendSeriesBody(out, s)
		e := make([]byte, seriesEntrySize)
		le.PutUint32(e[0:], uint32(len(seriesNames)))
		le.PutUint32(e[4:], uint32(len(s.key.metric)))
		seriesNames = append(seriesNames, s.key.metric...)
		le.PutUint32(e[8:], uint32(len(seriesNames)))
		le.PutUint32(e[12:], uint32(len(s.key.ctx)))
		seriesNames = append(seriesNames, s.key.ctx...)
		le.PutUint64(e[16:], uint64(start))
		le.PutUint32(e[24:], uint32(len(out)-start))
		le.PutUint32(e[28:], crc(out[start:]))
		seriesDir = append(seriesDir, e...)
		if err := fits(len(out)-start, len(seriesNames)); err != nil {
			return nil, err
		}
	}

	fieldsOff := len(out)
	out = le.AppendUint32(out, uint32(len(keys)))
	out = append(out, fieldDir...)
	out = append(out, fieldKeys...)
	seriesOff := len(out)
	out = le.AppendUint32(out, uint32(len(series)))
	out = append(out, seriesDir...)
	out = append(out, seriesNames...)
	if err := fits(runsEnd-runsOff, seriesOff-fieldsOff, len(out)-seriesOff); err != nil {
		return nil, err
	}

	hd := out[:HeaderSize]
	copy(hd, Magic)
	hd[4] = Version
	le.PutUint64(hd[8:], uint64(len(out)))
	putSection := func(at, off, end int) {
		le.PutUint64(hd[at:], uint64(off))
		le.PutUint32(hd[at+8:], uint32(end-off))
		le.PutUint32(hd[at+12:], crc(out[off:end]))
	}
	putSection(16, runsOff, runsEnd)
	putSection(32, fieldsOff, seriesOff)
	putSection(48, seriesOff, len(out))
	le.PutUint32(hd[68:], crc(hd[:68]))
	return out, nil
}

// fits checks sizes that the format stores in 32 bits.
func fits(sizes ...int) error {
	for _, n := range sizes {
		if uint64(n) > math.MaxUint32 {
			return fmt.Errorf("%w: %d bytes in a 32-bit length", ErrTooLarge, n)
		}
	}
	return nil
}

// appendFieldBody encodes one field: the part table, then the parts.
func appendFieldBody(out []byte, f *headField) ([]byte, error) {
	start := len(out)
	out = append(out, make([]byte, fieldTableSize)...)
	mark := func(part int) { le.PutUint32(out[start+4*part:], uint32(len(out)-start)) }
	has := f.has.ToArray()
	if len(has) > refMask {
		return nil, fmt.Errorf("%w: %d runs in one field", ErrTooLarge, len(has))
	}
	refs := make([]uint32, len(has))
	setRef := func(ord uint32, kind, i int) {
		if j, ok := slices.BinarySearch(has, ord); ok {
			refs[j] = uint32(kind)<<refShift | uint32(i)
		}
	}

	mark(partHas)
	out = appendPosting(out, f.has)
	mark(partCleared)
	var cleared *roaring.Bitmap
	if !isEmpty(f.cleared) {
		cleared = roaring.AndNot(f.cleared, f.has)
	}
	out = appendPosting(out, cleared)

	mark(partStrings)
	if d := f.strs; d != nil {
		var ids []uint32
		for id := range d.vals {
			if d.posts[id].n > 0 {
				ids = append(ids, uint32(id))
			}
		}
		slices.SortFunc(ids, func(a, b uint32) int { return strings.Compare(d.vals[a], d.vals[b]) })
		var text, posts []byte
		textOffs, postOffs := []uint32{0}, []uint32{0}
		for i, id := range ids {
			text = append(text, d.vals[id]...)
			bm := d.posts[id].bitmap()
			posts = appendPosting(posts, bm)
			textOffs = append(textOffs, uint32(len(text)))
			postOffs = append(postOffs, uint32(len(posts)))
			it := bm.Iterator()
			for it.HasNext() {
				setRef(it.Next(), refString, i)
			}
		}
		if err := fits(len(text), len(posts)); err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			out = le.AppendUint32(out, uint32(len(ids)))
			for _, o := range textOffs {
				out = le.AppendUint32(out, o)
			}
			for _, o := range postOffs {
				out = le.AppendUint32(out, o)
			}
			out = append(out, text...)
			out = append(out, posts...)
		}
	}

	mark(partInts)
	if f.ints != nil && f.ints.col.len() > 0 {
		ps := sortedPairs(f.ints)
		out = le.AppendUint32(out, uint32(len(ps)))
		for _, p := range ps {
			out = le.AppendUint64(out, uint64(p.v))
		}
		for i, p := range ps {
			out = le.AppendUint32(out, p.o)
			setRef(p.o, refInt, i)
		}
	}

	mark(partFloats)
	if f.floats != nil && f.floats.col.len() > 0 {
		ps := sortedPairs(f.floats)
		out = le.AppendUint32(out, uint32(len(ps)))
		for _, p := range ps {
			out = le.AppendUint64(out, math.Float64bits(p.v))
		}
		for i, p := range ps {
			out = le.AppendUint32(out, p.o)
			setRef(p.o, refFloat, i)
		}
	}

	mark(partBools)
	if !isEmpty(f.bools[0]) || !isEmpty(f.bools[1]) {
		for b, bm := range f.bools {
			out = appendPosting(out, bm)
			if bm != nil {
				it := bm.Iterator()
				for it.HasNext() {
					setRef(it.Next(), refBool, b)
				}
			}
		}
	}

	mark(partForward)
	out = le.AppendUint32(out, uint32(len(has)))
	for _, o := range has {
		out = le.AppendUint32(out, o)
	}
	for _, r := range refs {
		out = le.AppendUint32(out, r)
	}
	mark(fieldParts)
	return out, fits(len(out) - start)
}

// sortedPairs returns a numeric column's entries in value order (NaN
// last), ties by ordinal.
func sortedPairs[V int64 | float64](c *numCol[V]) []pair[V] {
	ps := make([]pair[V], 0, c.col.len())
	c.each(func(o uint32, x V) { ps = append(ps, pair[V]{x, o}) })
	slices.SortFunc(ps, func(a, b pair[V]) int {
		return cmp.Or(cmpTotal(a.v, b.v), cmp.Compare(a.o, b.o))
	})
	return ps
}

// appendSeriesBody encodes one series: ordinals, the four statistics as
// columns, and a permutation per statistic in value order.
func appendSeriesBody(out []byte, s *headSeries) []byte {
	var ords []uint32
	var sums []Summary
	s.col.each(func(o uint32, sum *Summary) bool {
		ords = append(ords, o)
		sums = append(sums, *sum)
		return true
	})
	out = le.AppendUint32(out, uint32(len(ords)))
	for _, o := range ords {
		out = le.AppendUint32(out, o)
	}
	for _, sum := range sums {
		out = le.AppendUint64(out, uint64(sum.Count))
	}
	for _, st := range []Stat{StatLast, StatMin, StatMax} {
		for i := range sums {
			out = le.AppendUint64(out, math.Float64bits(sums[i].stat(st).f))
		}
	}
	perm := make([]uint32, len(ords))
	for _, st := range []Stat{StatLast, StatMin, StatMax, StatCount} {
		for i := range perm {
			perm[i] = uint32(i)
		}
		slices.SortFunc(perm, func(a, b uint32) int {
			x, y := sums[a].stat(st), sums[b].stat(st)
			var c int
			if st == StatCount {
				c = cmpInt(x.i, y.i)
			} else {
				c = cmpFloatTotal(x.f, y.f)
			}
			return cmp.Or(c, cmp.Compare(a, b))
		})
		for _, p := range perm {
			out = le.AppendUint32(out, p)
		}
	}
	return out
}
