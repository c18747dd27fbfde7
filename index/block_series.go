package index

import (
	"math"

	"github.com/RoaringBitmap/roaring/v2"
)

// blockSeries is a series body of a block: m runs in ordinal order, their
// statistics as columns, and a permutation per statistic in value order.
type blockSeries struct {
	name  string
	err   error
	m     int
	ords  []byte    // m u32
	stats [4][]byte // by statCol: count (i64), last, min, max (f64); m × 8 bytes each
	perms [4][]byte // by permCol: last, min, max, count order; m u32 positions each
	at    int
	has   *roaring.Bitmap
}

// statCol maps a Stat to its column in the body: count is stored first.
func statCol(st Stat) int {
	switch st {
	case StatCount:
		return 0
	case StatLast:
		return 1
	case StatMin:
		return 2
	}
	return 3
}

// permCol maps a Stat to its permutation: last, min, max, count.
func permCol(st Stat) int { return int(st) - 1 }

func (b *Block) seriesAt(i int) *blockSeries {
	if s := b.series[i].Load(); s != nil {
		return s
	}
	s := b.parseSeries(i)
	if !b.series[i].CompareAndSwap(nil, s) {
		return b.series[i].Load()
	}
	return s
}

// lookupSeries returns the parsed body of a metric field's series, nil if
// the block has no such series.
func (b *Block) lookupSeries(f Field) (*blockSeries, error) {
	i, err := b.findSeries(f.Key, f.Context)
	if err != nil || i < 0 {
		return nil, err
	}
	s := b.seriesAt(i)
	if s.err != nil {
		return nil, s.err
	}
	return s, nil
}

func (b *Block) parseSeries(i int) *blockSeries {
	entryAt := b.seriesDir.off + 4 + i*seriesEntrySize
	metric, ctx, err := b.seriesEntry(i)
	if err != nil {
		return &blockSeries{err: err}
	}
	s := &blockSeries{name: "series " + Metric(string(metric), string(ctx), StatLast).String()}
	e := b.seriesDir.b[4+i*seriesEntrySize:]
	body, err := b.body(s.name, entryAt, le.Uint64(e[16:]), uint64(le.Uint32(e[24:])), le.Uint32(e[28:]))
	if err != nil {
		s.err = err
		return s
	}
	s.err = s.parse(body)
	return s
}

func (s *blockSeries) parse(body section) error {
	if len(body.b) < 4 {
		return corrupt(s.name, body.off, "body of %d bytes", len(body.b))
	}
	m := uint64(le.Uint32(body.b))
	if 4+52*m != uint64(len(body.b)) {
		return corrupt(s.name, body.off, "%d runs in %d bytes, want %d", m, len(body.b), 4+52*m)
	}
	s.m, s.at = int(m), body.off
	p := body.b[4:]
	take := func(n uint64) []byte {
		b := p[:n]
		p = p[n:]
		return b
	}
	s.ords = take(4 * m)
	for c := range s.stats {
		s.stats[c] = take(8 * m)
	}
	for c := range s.perms {
		s.perms[c] = take(4 * m)
	}
	ords := make([]uint32, m)
	for i := range ords {
		ords[i] = le.Uint32(s.ords[4*i:])
	}
	s.has = roaring.New()
	s.has.AddMany(ords)
	return nil
}

// stat returns statistic st of the run at position i.
func (s *blockSeries) stat(st Stat, i int) num {
	x := le.Uint64(s.stats[statCol(st)][8*i:])
	if st == StatCount {
		return num{isInt: true, i: int64(x)}
	}
	return num{f: math.Float64frombits(x)}
}

// seq returns statistic st in value order as a numSeq. A permutation entry
// out of range is sticky corruption and reads as NaN.
func (s *blockSeries) seq(st Stat, stk *sticky, bound uint32) *numSeq {
	perm := s.perms[permCol(st)]
	pos := func(i int) (int, bool) {
		p := int(le.Uint32(perm[4*i:]))
		if p >= s.m {
			stk.set(corrupt(s.name, s.at, "%s permutation entry %d is %d, beyond %d runs", st, i, p, s.m))
			return 0, false
		}
		return p, true
	}
	return &numSeq{
		n:     s.m,
		bound: bound,
		val: func(i int) num {
			if p, ok := pos(i); ok {
				return s.stat(st, p)
			}
			return num{f: math.NaN()}
		},
		ord: func(i int) uint32 {
			p, _ := pos(i)
			return le.Uint32(s.ords[4*p:])
		},
	}
}
