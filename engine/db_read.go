package engine

import (
	"fmt"
	"math"
	"sort"
	"sync"
)

// Run returns a snapshot of one run.
func (db *DB) Run(runID string) (RunInfo, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	run, err := db.runLocked(runID)
	if err != nil {
		return RunInfo{}, err
	}
	return run.info(), nil
}

// Runs returns a snapshot of every run, sorted by ID.
func (db *DB) Runs() ([]RunInfo, error) {
	db.mu.RLock()
	if db.mu.closed {
		db.mu.RUnlock()
		return nil, ErrClosed
	}
	out := make([]RunInfo, 0, len(db.mu.head.byID))
	for _, r := range db.mu.head.runs {
		if r != nil && !r.deleted {
			out = append(out, r.info())
		}
	}
	db.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// SeriesOf returns the series of a run with their summaries, sorted by
// metric name and then context.
func (db *DB) SeriesOf(runID string) ([]SeriesInfo, error) {
	db.mu.RLock()
	run, err := db.runLocked(runID)
	if err != nil {
		db.mu.RUnlock()
		return nil, err
	}
	out := make([]SeriesInfo, 0, len(run.series))
	keys := make([]string, 0, len(run.series))
	for _, s := range run.series {
		out = append(out, s.info())
		keys = append(keys, s.ctxKey)
	}
	db.mu.RUnlock()
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		x, y := idx[a], idx[b]
		if out[x].Metric != out[y].Metric {
			return out[x].Metric < out[y].Metric
		}
		return keys[x] < keys[y]
	})
	sorted := make([]SeriesInfo, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted, nil
}

func (s *memSeries) info() SeriesInfo {
	return SeriesInfo{Ref: s.ref, RunID: s.run.id, Metric: s.metric, Context: s.ctx.clone(), Summary: s.sum}
}

// LookupSeries finds the series (run, metric, context) without creating it.
func (db *DB) LookupSeries(runID, metric string, ctx Context) (SeriesInfo, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	run, err := db.runLocked(runID)
	if err != nil {
		return SeriesInfo{}, err
	}
	s := run.byCtx[ctx.key()][metric]
	if s == nil {
		return SeriesInfo{}, fmt.Errorf("%w: run %q metric %q context %s", ErrSeriesNotFound, runID, metric, ctx)
	}
	return s.info(), nil
}

// AllSteps is the step range that selects every point.
const (
	MinStep int64 = math.MinInt64
	MaxStep int64 = math.MaxInt64
)

// Points returns an iterator over the points of a series with
// minStep <= step <= maxStep, in step order; points with equal steps come
// in the order they were appended. The iterator reads a snapshot taken
// now: points appended later are not seen, and it never blocks writers.
// Close it when done (it holds the blocks it reads).
func (db *DB) Points(ref SeriesRef, minStep, maxStep int64) (*PointIterator, error) {
	db.mu.RLock()
	if db.mu.closed {
		db.mu.RUnlock()
		return nil, ErrClosed
	}
	s := db.mu.head.lookupSeries(ref)
	if s == nil || s.run.deleted {
		db.mu.RUnlock()
		return nil, fmt.Errorf("%w: ref %d", ErrSeriesNotFound, ref)
	}
	var used []*block
	for _, b := range db.mu.blocks {
		if b.series[ref] != nil {
			b.acquire()
			used = append(used, b)
		}
	}
	var frozen []*memChunk
	var frozenTL timelineSnap
	if f := db.mu.frozen; f != nil {
		if fs := f.byRef[ref]; fs != nil {
			frozen = fs.chunks
			frozenTL = f.byRun[fs.runRef].tl
		}
	}
	snap := s.snapshot()
	runRef := s.run.ref
	var spills []*headChunkFile
	for _, f := range []*headChunkFile{db.mu.head.spill, frozenSpill(db.mu.frozen)} {
		if f != nil {
			f.acquire()
			spills = append(spills, f)
		}
	}
	db.mu.RUnlock()

	var release func()
	// Spilled head chunks are read now; the files are held only for that.
	defer func() {
		for _, f := range spills {
			f.release()
		}
	}()
	inRange := func(c *chunkMeta) bool { return c.maxStep >= minStep && c.minStep <= maxStep }
	var chunks []chunkSrc
	var extents [][]byte
	release = func() {
		for _, b := range used {
			b.release()
		}
		for _, e := range extents {
			putExtent(e)
		}
	}
	for _, b := range used {
		bs := b.series[ref]
		var sel []blockChunk
		for _, c := range bs.chunks {
			if inRange(&c.chunkMeta) {
				sel = append(sel, c)
			}
		}
		if len(sel) == 0 {
			continue
		}
		ext, err := b.readExtent(sel, getExtent())
		if err != nil {
			release()
			return nil, err
		}
		extents = append(extents, ext)
		tl := newTimelineReader(blockTimelineSrc{b: b, run: runRef, tl: &b.runs[runRef].tl})
		base := sel[0].off
		for _, c := range sel {
			xor, idx, err := b.splitSeriesChunk(ext[c.off-base:c.off-base+uint64(c.size)], c.off)
			if err != nil {
				release()
				return nil, err
			}
			chunks = append(chunks, chunkSrc{&memChunk{chunkMeta: c.chunkMeta, xor: xor, idx: idx}, tl})
		}
	}
	for _, layer := range []struct {
		chunks []*memChunk
		tl     *timelineSnap
	}{{frozen, &frozenTL}, {snap.chunks, &snap.tl}} {
		var tl *timelineReader
		for _, c := range layer.chunks {
			if !inRange(&c.chunkMeta) {
				continue
			}
			if tl == nil {
				tl = newTimelineReader(layer.tl)
			}
			if c.spill != nil {
				xor, idx, err := c.data()
				if err != nil {
					release()
					return nil, err
				}
				c = &memChunk{chunkMeta: c.chunkMeta, xor: xor, idx: idx}
			}
			chunks = append(chunks, chunkSrc{c, tl})
		}
	}
	return newPointIterator(chunks, minStep, maxStep, release), nil
}

func frozenSpill(f *frozenHead) *headChunkFile {
	if f == nil {
		return nil
	}
	return f.spill
}

// extentPool recycles the buffers that hold a series' chunks while an
// iterator reads them: reading every series would otherwise allocate the
// whole store once more.
var extentPool sync.Pool

func getExtent() []byte {
	if b, ok := extentPool.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return nil
}

func putExtent(b []byte) {
	if cap(b) > 0 && cap(b) <= 1<<20 {
		extentPool.Put(&b)
	}
}
