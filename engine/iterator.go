package engine

import (
	"fmt"
	"sort"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/trackdb/trackdb/internal/bitstream"
)

// PointIterator walks the points of one series in step order. Use it as
//
//	for it.Next() {
//		p := it.At()
//	}
//	if err := it.Err(); err != nil { ... }
//
// It is not safe for concurrent use.
type PointIterator struct {
	snap             seriesSnap
	minStep, maxStep int64
	tl               *timelineReader
	xit              chunkenc.Iterator

	merged bool // slow path: all points decoded and sorted up front
	next   int  // next chunk to decode (fast path)
	buf    []Point
	i      int
	err    error
}

func newPointIterator(snap seriesSnap, minStep, maxStep int64) *PointIterator {
	it := &PointIterator{snap: snap, minStep: minStep, maxStep: maxStep, tl: newTimelineReader(snap.tl), i: -1}
	// Chunks can be streamed one after the other when each is in step
	// order and none overlaps the next; otherwise (out-of-order or repeated
	// steps across chunks) the selected points are merged up front.
	for k, c := range snap.chunks {
		if !c.sorted || (k > 0 && snap.chunks[k-1].maxStep > c.minStep) {
			it.merged = true
			break
		}
	}
	if it.merged {
		for _, c := range snap.chunks {
			if c.maxStep >= minStep && c.minStep <= maxStep {
				if it.buf, it.err = it.decode(c, it.buf); it.err != nil {
					return it
				}
			}
		}
		// A stable sort keeps equal steps in append order: chunks are in
		// append order and so are the points within each.
		sort.SliceStable(it.buf, func(a, b int) bool { return it.buf[a].Step < it.buf[b].Step })
	}
	return it
}

// Next advances to the next point and reports whether there is one.
func (it *PointIterator) Next() bool {
	if it.err != nil {
		return false
	}
	it.i++
	for it.i >= len(it.buf) {
		if it.merged || it.next >= len(it.snap.chunks) {
			return false
		}
		c := it.snap.chunks[it.next]
		it.next++
		if c.minStep > it.maxStep {
			// Chunks are in step order on this path: nothing later matches.
			it.next = len(it.snap.chunks)
			return false
		}
		if c.maxStep < it.minStep {
			continue
		}
		it.buf, it.i = it.buf[:0], 0
		if it.buf, it.err = it.decode(c, it.buf); it.err != nil {
			return false
		}
	}
	return true
}

// At returns the current point.
func (it *PointIterator) At() Point { return it.buf[it.i] }

// Err returns the error that stopped the iteration, if any.
func (it *PointIterator) Err() error { return it.err }

// Close releases the iterator's resources. It is safe to call more than once.
func (it *PointIterator) Close() error {
	it.buf, it.snap = nil, seriesSnap{}
	return nil
}

// decode appends the points of c within the step range to dst.
func (it *PointIterator) decode(c *memChunk, dst []Point) ([]Point, error) {
	xc, err := chunkenc.FromData(chunkenc.EncXOR, c.xor)
	if err != nil {
		return dst, fmt.Errorf("%w: chunk: %v", ErrCorrupt, err)
	}
	it.xit = xc.Iterator(it.xit)
	ir := bitstream.NewReader(c.idx)
	idx, delta := c.firstIdx, int64(0)
	n := 0
	for it.xit.Next() != chunkenc.ValNone {
		dod, err := ir.ReadDoD()
		if err != nil {
			return dst, fmt.Errorf("%w: chunk time refs: %v", ErrCorrupt, err)
		}
		delta += dod
		idx += uint64(delta)
		n++
		step, v := it.xit.At()
		if step < it.minStep || step > it.maxStep {
			continue
		}
		t, err := it.tl.at(idx)
		if err != nil {
			return dst, err
		}
		dst = append(dst, Point{Step: step, Time: t, Value: v})
	}
	if err := it.xit.Err(); err != nil {
		return dst, fmt.Errorf("%w: chunk: %v", ErrCorrupt, err)
	}
	if n != c.n {
		return dst, fmt.Errorf("%w: chunk holds %d points, expected %d", ErrCorrupt, n, c.n)
	}
	return dst, nil
}
