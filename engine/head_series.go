package engine

import (
	"slices"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/trackdb/trackdb/internal/bitstream"
)

// chunkMeta describes the points of one chunk.
type chunkMeta struct {
	n        int    // points
	firstIdx uint64 // timeline index of the first point
	minStep  int64
	maxStep  int64
	lastStep int64 // step of the last point appended
	sorted   bool  // steps never decreased in append order
}

// memChunk is a cut, immutable chunk: a Gorilla XOR chunk whose time axis is
// the step, and a side stream of timeline references (delta-of-delta coded:
// one bit per point while a series logs at every call of its run).
//
// A cut chunk of the head lives in a spill file (spill != nil) rather than
// on the heap; data reads it back.
type memChunk struct {
	chunkMeta
	xor   []byte
	idx   []byte
	spill *headChunkFile
	loc   blockLoc
}

// data returns the chunk's bytes, reading them from the spill file when
// they are not on the heap.
func (c *memChunk) data() (xor, idx []byte, err error) {
	if c.spill == nil {
		return c.xor, c.idx, nil
	}
	return c.spill.read(c.loc)
}

// memSeries is one series in the head. All fields are guarded by DB.mu.
type memSeries struct {
	ref    SeriesRef
	run    *runState
	metric string
	ctx    Context
	ctxKey string

	chunks []*memChunk // cut chunks, oldest first; never modified once cut

	// The open chunk.
	cur      chunkMeta
	xor      *chunkenc.XORChunk
	app      chunkenc.Appender
	idx      bitstream.Writer
	prevIdx  uint64
	idxDelta int64

	sum   Summary // every point ever appended (blocks included)
	epoch Summary // points since the last flush, for the next block
	fresh bool    // created since the last flush

	ixID    int64 // index.SeriesID in the head index of this epoch; -1 until needed
	ixDirty bool  // summary changed since it was pushed to the index
}

func newMemSeries(ref SeriesRef, run *runState, metric string, ctx Context, ctxKey string) *memSeries {
	return &memSeries{ref: ref, run: run, metric: metric, ctx: ctx, ctxKey: ctxKey, sum: newSummary(), epoch: newSummary(), fresh: true, ixID: -1}
}

// append adds one point whose time is timeline entry idx. The open chunk
// is cut at h.chunkSamples points and spilled to h.spill.
func (s *memSeries) append(step, t int64, v float64, idx uint64, h *head) {
	if s.cur.n >= h.chunkSamples {
		s.cut(h.spill)
	}
	if s.cur.n == 0 {
		s.xor = chunkenc.NewXORChunk()
		s.app, _ = s.xor.Appender() // cannot fail on an empty chunk
		s.idx = bitstream.Writer{}
		s.cur = chunkMeta{firstIdx: idx, minStep: step, maxStep: step, lastStep: step, sorted: true}
		s.prevIdx, s.idxDelta = idx, 0
	} else {
		if step < s.cur.lastStep {
			s.cur.sorted = false
		}
		s.cur.lastStep = step
		s.cur.minStep = min(s.cur.minStep, step)
		s.cur.maxStep = max(s.cur.maxStep, step)
	}
	s.app.Append(0, step, v)
	d := int64(idx - s.prevIdx)
	s.idx.WriteDoD(d - s.idxDelta)
	s.prevIdx, s.idxDelta = idx, d
	s.cur.n++
	s.sum.add(step, t, v)
	s.epoch.add(step, t, v)
}

// cut seals the open chunk, spilling it to spill unless that is nil or
// failing, in which case it stays on the heap.
func (s *memSeries) cut(spill *headChunkFile) {
	if s.cur.n == 0 {
		return
	}
	c := &memChunk{chunkMeta: s.cur}
	if loc, ok := spillChunk(spill, s.xor.Bytes(), s.idx.Bytes()); ok {
		c.spill, c.loc = spill, loc
	} else {
		c.xor, c.idx = slices.Clone(s.xor.Bytes()), slices.Clone(s.idx.Bytes())
	}
	s.chunks = append(s.chunks, c)
	s.cur = chunkMeta{}
	s.xor, s.app = nil, nil
	s.idx = bitstream.Writer{}
}

// seriesSnap is a reader's immutable view of a series.
type seriesSnap struct {
	chunks []*memChunk
	tl     timelineSnap
}

// snapshot copies what a reader needs; the caller holds DB.mu for reading.
// Cut chunks are shared (immutable); the open chunk's bytes are copied.
func (s *memSeries) snapshot() seriesSnap {
	chunks := make([]*memChunk, 0, len(s.chunks)+1)
	chunks = append(chunks, s.chunks...)
	if s.cur.n > 0 {
		chunks = append(chunks, &memChunk{
			chunkMeta: s.cur,
			xor:       slices.Clone(s.xor.Bytes()),
			idx:       slices.Clone(s.idx.Bytes()),
		})
	}
	return seriesSnap{chunks: chunks, tl: s.run.tl.snapshot()}
}

func spillChunk(f *headChunkFile, xor, idx []byte) (blockLoc, bool) {
	if f == nil {
		return blockLoc{}, false
	}
	return f.spill(xor, idx)
}

// chunkBytes returns the heap bytes of the series' head chunks.
func (s *memSeries) chunkBytes() int {
	n := 0
	for _, c := range s.chunks {
		n += len(c.xor) + len(c.idx)
	}
	if s.xor != nil {
		n += len(s.xor.Bytes()) + s.idx.Len()
	}
	return n
}
