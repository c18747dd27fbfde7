package engine

import (
	"fmt"
	"sort"
	"sync"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/trackdb/trackdb/internal/bitstream"
)

// chunkSrc is a chunk from any layer (block, frozen head, head) with the
// timeline that resolves its time references.
type chunkSrc struct {
	*memChunk
	tl *timelineReader
}

// PointIterator walks the points of one series in step order. Use it as
//
//	defer it.Close()
//	for it.Next() {
//		p := it.At()
//	}
//	if err := it.Err(); err != nil { ... }
//
// Close releases the blocks the iterator reads; it is also done when Next
// returns false. An iterator is not safe for concurrent use.
type PointIterator struct {
	chunks           []chunkSrc
	minStep, maxStep int64
	xit              chunkenc.Iterator
	release          func()

	merged bool // slow path: all points decoded and sorted up front
	buf    []Point
	i      int
	err    error

	// Fast path: points come straight from the chunk being decoded.
	next    int // next chunk to start
	in      bool
	cur     Point
	c       chunkSrc
	ir      bitstream.Reader
	idx     uint64
	delta   int64
	decoded int
}

// newPointIterator reads chunks given in append order (older layers first).
func newPointIterator(chunks []chunkSrc, minStep, maxStep int64, release func()) *PointIterator {
	it := &PointIterator{chunks: chunks, minStep: minStep, maxStep: maxStep, i: -1, release: release}
	if b, ok := pointsPool.Get().(*[]Point); ok {
		it.buf = (*b)[:0]
	}
	// Chunks can be streamed one after the other when each is in step
	// order and none overlaps the next; otherwise (out-of-order or repeated
	// steps across chunks) the selected points are merged up front.
	for k, c := range chunks {
		if !c.sorted || (k > 0 && chunks[k-1].maxStep > c.minStep) {
			it.merged = true
			break
		}
	}
	if it.merged {
		for _, c := range chunks {
			if it.buf, it.err = it.decode(c, it.buf); it.err != nil {
				return it
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
		it.Close()
		return false
	}
	if it.merged {
		it.i++
		if it.i >= len(it.buf) {
			it.Close()
			return false
		}
		it.cur = it.buf[it.i]
		return true
	}
	for {
		if !it.in {
			if it.next >= len(it.chunks) {
				it.Close()
				return false
			}
			if it.err = it.start(it.chunks[it.next]); it.err != nil {
				it.Close()
				return false
			}
			it.next++
		}
		if it.xit.Next() == chunkenc.ValNone {
			if it.err = it.endChunk(); it.err != nil {
				it.Close()
				return false
			}
			continue
		}
		dod, err := it.ir.ReadDoD()
		if err != nil {
			it.err = fmt.Errorf("%w: chunk time refs: %v", ErrCorrupt, err)
			it.Close()
			return false
		}
		it.delta += dod
		it.idx += uint64(it.delta)
		it.decoded++
		step, v := it.xit.At()
		if step < it.minStep || step > it.maxStep {
			continue
		}
		t, err := it.c.tl.at(it.idx)
		if err != nil {
			it.err = err
			it.Close()
			return false
		}
		it.cur = Point{Step: step, Time: t, Value: v}
		return true
	}
}

// start begins decoding chunk c.
func (it *PointIterator) start(c chunkSrc) error {
	xc, err := xorChunk(c.xor)
	if err != nil {
		return err
	}
	it.xit = xc.Iterator(it.xit)
	it.ir.Reset(c.idx)
	it.c, it.idx, it.delta, it.decoded, it.in = c, c.firstIdx, 0, 0, true
	return nil
}

// endChunk checks a chunk once its points are exhausted.
func (it *PointIterator) endChunk() error {
	it.in = false
	if err := it.xit.Err(); err != nil {
		return fmt.Errorf("%w: chunk: %v", ErrCorrupt, err)
	}
	if it.decoded != it.c.n {
		return fmt.Errorf("%w: chunk holds %d points, expected %d", ErrCorrupt, it.decoded, it.c.n)
	}
	return nil
}

// At returns the current point. It is valid after Next returned true.
func (it *PointIterator) At() Point { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *PointIterator) Err() error { return it.err }

// Close releases the iterator's resources; At must not be called after it.
// It is safe to call more than once.
func (it *PointIterator) Close() error {
	if it.release != nil {
		it.release()
		it.release = nil
	}
	if it.buf != nil && cap(it.buf) <= 4096 {
		b := it.buf[:0]
		pointsPool.Put(&b)
	}
	it.buf, it.i, it.chunks, it.in = nil, -1, nil, false
	it.c = chunkSrc{}
	return nil
}

// pointsPool recycles iterators' point buffers.
var pointsPool sync.Pool

// decode appends the points of c within the step range to dst.
func (it *PointIterator) decode(c chunkSrc, dst []Point) ([]Point, error) {
	xc, err := xorChunk(c.xor)
	if err != nil {
		return dst, err
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
		t, err := c.tl.at(idx)
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
