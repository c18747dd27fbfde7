package engine

import (
	"slices"

	"github.com/trackdb/trackdb/index"
)

// frozenHead is the head's content at a flush: taken under DB.mu in time
// proportional to the number of runs and series (no chunk is copied), then
// written to a block while appends go on into the emptied head. Readers
// see it until the block replaces it.
type frozenHead struct {
	walStart int // first WAL segment holding appends after the freeze
	runs     []*frozenRun
	byRun    map[uint32]*frozenRun
	series   []*frozenSeries
	byRef    map[SeriesRef]*frozenSeries
	tombs    []uint32
	spill    *headChunkFile // the spill file its cut chunks are in; released with it
	ix       *index.Head    // the run index of the epoch; no longer changes
}

type frozenRun struct {
	rec runCreateRec
	tl  timelineSnap
}

type frozenSeries struct {
	ref    SeriesRef
	runRef uint32
	metric string
	ctx    Context
	sum    Summary
	chunks []*memChunk
}

// freeze moves the head's chunks, timelines and dirty catalogue into a
// frozenHead. The caller holds DB.mu and has cut the WAL at walStart.
func (h *head) freeze(walStart int) *frozenHead {
	h.syncSummaries()
	f := &frozenHead{walStart: walStart, byRun: map[uint32]*frozenRun{}, byRef: map[SeriesRef]*frozenSeries{}, ix: h.ix}
	h.ix = index.NewHead()
	for _, r := range h.runs {
		if r == nil || r.deleted || !r.dirty {
			continue
		}
		fr := &frozenRun{rec: r.catalog(), tl: r.tl.snapshot()}
		r.tl = timeline{}
		r.dirty = false
		f.runs = append(f.runs, fr)
		f.byRun[r.ref] = fr
	}
	for _, s := range h.series {
		if s == nil {
			continue
		}
		s.ixID = -1 // series handles belong to the frozen index
		if s.run.deleted {
			// Nothing of a deleted run goes into blocks; drop its chunks
			// now, as their spill file goes away with this freeze.
			s.chunks, s.cur, s.xor, s.app = nil, chunkMeta{}, nil, nil
			continue
		}
		if !s.fresh && s.epoch.Count == 0 {
			continue
		}
		s.cut(h.spill)
		fs := &frozenSeries{ref: s.ref, runRef: s.run.ref, metric: s.metric, ctx: s.ctx, sum: s.epoch, chunks: s.chunks}
		s.chunks, s.epoch, s.fresh = nil, newSummary(), false
		f.series = append(f.series, fs)
		f.byRef[s.ref] = fs
	}
	f.tombs = slices.Clone(h.tombs)
	h.tombs = h.tombs[:0]
	h.epochPoints = 0
	return f
}

// empty reports whether the freeze holds nothing worth a block.
func (f *frozenHead) empty() bool {
	return len(f.runs) == 0 && len(f.series) == 0 && len(f.tombs) == 0
}
