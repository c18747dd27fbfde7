package index

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// Verify loads a serialized index and checks all of it; see
// [Block.Verify].
func Verify(data []byte) error {
	b, err := Load(data)
	if err != nil {
		return err
	}
	return b.Verify()
}

// Verify checks everything [Load] does not: that the sections and bodies
// tile the index without gaps or overlaps, every body's checksum, that the
// directories are sorted, and every cross-reference: each field's runs are
// live, its values' runs are disjoint and add up to its runs, its
// dictionary and number arrays are sorted, its forward map points at the
// values that hold each run, and each series' permutations order its
// statistics. It returns the first problem as a *CorruptionError naming the
// section and the byte offset, or nil. It decodes every posting, so it
// costs time in proportion to the whole index.
func (b *Block) Verify() error {
	if !b.live.IsEmpty() && b.live.Intersects(b.tombs) {
		return corrupt("runs", 0, "run %d is both live and deleted", roaring.And(b.live, b.tombs).Minimum())
	}
	type extent struct {
		off, end int
		name     string
	}
	d := b.data
	exts := []extent{{0, HeaderSize, "header"}}
	for i, name := range []string{"runs", "fields", "series"} {
		at := 16 + 16*i
		off := int(le.Uint64(d[at:]))
		exts = append(exts, extent{off, off + int(le.Uint32(d[at+8:])), name + " section"})
	}

	var prevKind FieldKind
	var prevKey []byte
	for i := 0; i < b.nfields; i++ {
		entryAt := b.fieldDir.off + 4 + i*fieldEntrySize
		e := b.fieldDir.b[4+i*fieldEntrySize:]
		kind, key, err := b.fieldEntry(i)
		if err != nil {
			return err
		}
		if e[1] != 0 || e[2] != 0 || e[3] != 0 || le.Uint32(e[28:]) != 0 {
			return corrupt("fields", entryAt, "entry %d: reserved bytes are not zero", i)
		}
		if kind < FieldAttr || kind > FieldTag {
			return corrupt("fields", entryAt, "entry %d: field kind %d", i, kind)
		}
		if i > 0 && cmp.Or(cmp.Compare(prevKind, kind), bytes.Compare(prevKey, key)) >= 0 {
			return corrupt("fields", entryAt, "entry %d (%s %q) is not after entry %d", i, kind, key, i-1)
		}
		prevKind, prevKey = kind, key
		f := b.field(i)
		if f.err != nil {
			return f.err
		}
		off := int(le.Uint64(e[16:]))
		exts = append(exts, extent{off, off + int(le.Uint32(e[12:])), f.name})
		if err := b.verifyField(f, off); err != nil {
			return err
		}
	}

	var prevMetric, prevCtx []byte
	for i := 0; i < b.nseries; i++ {
		entryAt := b.seriesDir.off + 4 + i*seriesEntrySize
		e := b.seriesDir.b[4+i*seriesEntrySize:]
		metric, ctx, err := b.seriesEntry(i)
		if err != nil {
			return err
		}
		if i > 0 && cmp.Or(bytes.Compare(prevMetric, metric), bytes.Compare(prevCtx, ctx)) >= 0 {
			return corrupt("series", entryAt, "entry %d (%q %q) is not after entry %d", i, metric, ctx, i-1)
		}
		prevMetric, prevCtx = metric, ctx
		s := b.seriesAt(i)
		if s.err != nil {
			return s.err
		}
		off := int(le.Uint64(e[16:]))
		exts = append(exts, extent{off, off + int(le.Uint32(e[24:])), s.name})
		if err := b.verifySeries(s); err != nil {
			return err
		}
	}

	slices.SortFunc(exts, func(a, b extent) int { return cmp.Compare(a.off, b.off) })
	pos := 0
	for _, x := range exts {
		if x.off != pos {
			what := "gap"
			if x.off < pos {
				what = "overlap"
			}
			return corrupt(x.name, x.off, "%s: starts at %d, previous part ends at %d", what, x.off, pos)
		}
		pos = x.end
	}
	if pos != len(d) {
		return corrupt("index", pos, "%d bytes after the last part", len(d)-pos)
	}
	return nil
}

// verifyField checks one parsed field body; off is its start.
func (b *Block) verifyField(f *blockField, off int) error {
	bad := func(at int, format string, args ...any) error {
		return corrupt(f.name, at, format, args...)
	}
	if f.touched.IsEmpty() {
		return bad(off, "no runs and no deleted runs")
	}
	if !f.touched.IsEmpty() && roaring.AndNot(f.touched, b.live).GetCardinality() > 0 {
		return bad(off, "run %d is not a live run of the block", roaring.AndNot(f.touched, b.live).Minimum())
	}
	has := f.has.ToArray()
	// where[j] is the forward reference the inverted parts give has[j].
	where := make([]uint32, len(has))
	seen := make([]bool, len(has))
	claim := func(at int, ord uint32, ref uint32) error {
		j, ok := slices.BinarySearch(has, ord)
		if !ok {
			return bad(at, "run %d has a value but is not among the field's runs", ord)
		}
		if seen[j] {
			return bad(at, "run %d has two values", ord)
		}
		seen[j], where[j] = true, ref
		return nil
	}

	var stk sticky
	s := &f.strs
	prevText := ""
	for i := 0; i < s.n; i++ {
		text := f.text(i, &stk)
		if stk.err != nil {
			return stk.err
		}
		if i > 0 && text <= prevText {
			return bad(s.textAt, "string %d %q is not after string %d %q", i, text, i-1, prevText)
		}
		prevText = text
		p, err := f.posting(i)
		if err != nil {
			return err
		}
		if p.IsEmpty() {
			return bad(s.postAt, "string %d %q has no runs", i, text)
		}
		it := p.Iterator()
		for it.HasNext() {
			if err := claim(s.postAt, it.Next(), refString<<refShift|uint32(i)); err != nil {
				return err
			}
		}
	}

	for k, p := range []*numPart{&f.ints, &f.floats} {
		seq := p.seq(k == 1, 0)
		for i := 0; i < p.n; i++ {
			o := seq.ord(i)
			if i > 0 {
				a, b := seq.val(i-1), seq.val(i)
				c := 0
				if k == 0 {
					c = cmpInt(a.i, b.i)
				} else {
					c = cmpFloatTotal(a.f, b.f)
				}
				if c > 0 || c == 0 && seq.ord(i-1) >= o {
					return bad(p.at+4+8*i, "number %d (%s, run %d) is not after number %d (%s, run %d)", i, b.value(), o, i-1, a.value(), seq.ord(i-1))
				}
			}
			if err := claim(p.at+4+8*p.n+4*i, o, uint32(refInt+k)<<refShift|uint32(i)); err != nil {
				return err
			}
		}
	}

	if f.bools[0] != nil || f.bools[1] != nil {
		if f.bools[0].IsEmpty() && f.bools[1].IsEmpty() {
			return bad(off, "bool part with no runs")
		}
		for v, bm := range f.bools {
			it := bm.Iterator()
			for it.HasNext() {
				if err := claim(off, it.Next(), refBool<<refShift|uint32(v)); err != nil {
					return err
				}
			}
		}
	}
	for j, ok := range seen {
		if !ok {
			return bad(off, "run %d is among the field's runs but has no value", has[j])
		}
	}

	w := &f.fwd
	if w.m != len(has) {
		return bad(w.at, "forward map has %d runs, the field %d", w.m, len(has))
	}
	for j := 0; j < w.m; j++ {
		o, ref := le.Uint32(w.ords[4*j:]), le.Uint32(w.refs[4*j:])
		if o != has[j] {
			return bad(w.at+4+4*j, "forward entry %d is run %d, want run %d", j, o, has[j])
		}
		if ref != where[j] {
			return bad(w.at+4+4*w.m+4*j, "forward entry %d (run %d) refers to %#x, its value is at %#x", j, o, ref, where[j])
		}
	}
	return nil
}

// verifySeries checks one parsed series body.
func (b *Block) verifySeries(s *blockSeries) error {
	bad := func(at int, format string, args ...any) error {
		return corrupt(s.name, at, format, args...)
	}
	if s.m == 0 {
		return bad(s.at, "no runs")
	}
	for i := 0; i < s.m; i++ {
		o := le.Uint32(s.ords[4*i:])
		if i > 0 && o <= le.Uint32(s.ords[4*i-4:]) {
			return bad(s.at+4+4*i, "run %d at position %d is not after run %d", o, i, le.Uint32(s.ords[4*i-4:]))
		}
		if !b.live.Contains(o) {
			return bad(s.at+4+4*i, "run %d is not a live run of the block", o)
		}
		if c := s.stat(StatCount, i).i; c < 0 {
			return bad(s.at+4+4*s.m+8*i, "run %d: count %d", o, c)
		}
	}
	permAt := s.at + 4 + 36*s.m
	for _, st := range []Stat{StatLast, StatMin, StatMax, StatCount} {
		perm := s.perms[permCol(st)]
		at := permAt + 4*s.m*permCol(st)
		seen := make([]bool, s.m)
		prev := -1
		for i := 0; i < s.m; i++ {
			p := int(le.Uint32(perm[4*i:]))
			if p >= s.m || seen[p] {
				return bad(at+4*i, "%s order: entry %d is %d, not a fresh position below %d", st, i, p, s.m)
			}
			seen[p] = true
			if prev >= 0 {
				a, b := s.stat(st, prev), s.stat(st, p)
				c := 0
				if st == StatCount {
					c = cmpInt(a.i, b.i)
				} else {
					c = cmpFloatTotal(a.f, b.f)
				}
				if c > 0 || c == 0 && prev > p {
					return bad(at+4*i, "%s order: entry %d (%s) is not after entry %d (%s)", st, i, b.value(), i-1, a.value())
				}
			}
			prev = p
		}
	}
	return nil
}

// Describe summarizes a block for tools: its size, runs, fields and series.
func (b *Block) Describe() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "index v%d, %d bytes: %d live runs, %d tombstones, %d fields, %d series",
		Version, len(b.data), b.live.GetCardinality(), b.tombs.GetCardinality(), b.nfields, b.nseries)
	return sb.String()
}
