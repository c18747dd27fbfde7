package engine

import (
	"fmt"
	"runtime"
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

	// Windowed path for long in-order series: windows of chunks are
	// decoded by several goroutines into buf, then read from it.
	par     bool
	workers []*decodeWorker
	part    int // next worker output to read in the current window

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
	} else if n := runtime.GOMAXPROCS(0); n > 1 && len(chunks) >= parallelMinChunks {
		it.par = true
		for range min(n, 4) {
			it.workers = append(it.workers, &decodeWorker{tls: map[*timelineReader]*timelineReader{}})
		}
	}
	return it
}

// A series of at least parallelMinChunks chunks (~60 k points) in step
// order is decoded windowChunks chunks at a time, the window split among
// the CPUs: chunks decode independently. Shorter series stream from one
// decoder: handing them to goroutines costs more than it saves, and a
// whole-store scan reads many short series (60 M points/s streaming).
const (
	parallelMinChunks = 256
	windowChunks      = 64
)

// decodeWorker is one goroutine's decoding state; timeline readers cache a
// decoded chunk, so each worker has its own.
type decodeWorker struct {
	xit chunkenc.Iterator
	tls map[*timelineReader]*timelineReader
	out []Point
	err error
}

func (w *decodeWorker) decode(chunks []chunkSrc, minStep, maxStep int64) {
	w.out, w.err = w.out[:0], nil
	for _, c := range chunks {
		tl := w.tls[c.tl]
		if tl == nil {
			tl = newTimelineReader(c.tl.src)
			w.tls[c.tl] = tl
		}
		if w.out, w.err = decodeChunk(c, tl, &w.xit, minStep, maxStep, w.out); w.err != nil {
			return
		}
	}
}

// decodeWindow decodes the next window of chunks; the workers' outputs,
// in worker order, are the window's points in order.
func (it *PointIterator) decodeWindow() error {
	end := min(it.next+windowChunks, len(it.chunks))
	win := it.chunks[it.next:end]
	it.next = end
	var wg sync.WaitGroup
	k := len(it.workers)
	for i, w := range it.workers {
		part := win[i*len(win)/k : (i+1)*len(win)/k]
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.decode(part, it.minStep, it.maxStep)
		}()
	}
	wg.Wait()
	for _, w := range it.workers {
		if w.err != nil {
			return w.err
		}
	}
	return nil
}

// Next advances to the next point and reports whether there is one.
func (it *PointIterator) Next() bool {
	if it.err != nil {
		it.Close()
		return false
	}
	if it.merged || it.par {
		it.i++
		for it.i >= len(it.buf) {
			switch {
			case it.par && it.part < len(it.workers):
				// The next worker's share of the window, read in place.
				it.buf = it.workers[it.part].out
				it.part++
			case it.merged || it.next >= len(it.chunks):
				it.Close()
				return false
			default:
				if it.err = it.decodeWindow(); it.err != nil {
					it.Close()
					return false
				}
				it.buf, it.part = nil, 0
			}
			it.i = 0
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
	return decodeChunk(c, c.tl, &it.xit, it.minStep, it.maxStep, dst)
}

// decodeChunk appends the points of c within [minStep, maxStep] to dst,
// resolving times with tl and reusing *xit.
func decodeChunk(c chunkSrc, tl *timelineReader, xit *chunkenc.Iterator, minStep, maxStep int64, dst []Point) ([]Point, error) {
	xc, err := xorChunk(c.xor)
	if err != nil {
		return dst, err
	}
	*xit = xc.Iterator(*xit)
	it := struct {
		xit              chunkenc.Iterator
		minStep, maxStep int64
	}{*xit, minStep, maxStep}
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
		t, err := tl.at(idx)
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
