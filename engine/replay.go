package engine

import (
	"fmt"
	"sync"

	"github.com/trackdb/trackdb/internal/encoding"
	"github.com/trackdb/trackdb/wal"
)

// replayer applies WAL records to a head during Open.
//
// Encoding points into XOR chunks is most of replay's cost, so with more
// than one CPU the points are handed to workers sharded by series: each
// series is only ever touched by one worker, in log order. Everything else
// (runs, series creation, timelines) stays on the reading goroutine, which
// creates a series before it dispatches any of its points.
type replayer struct {
	h       *head
	records int64
	points  int64
	pool    *applyPool // nil: apply inline
}

// pendingPoint is a point on its way to a replay worker.
type pendingPoint struct {
	s       *memSeries
	step, t int64
	v       float64
	idx     uint64
}

const applyBatch = 4096

type applyPool struct {
	shards []chan []pendingPoint
	bufs   [][]pendingPoint
	free   chan []pendingPoint
	wg     sync.WaitGroup
}

func newApplyPool(n int, h *head) *applyPool {
	p := &applyPool{
		shards: make([]chan []pendingPoint, n),
		bufs:   make([][]pendingPoint, n),
		free:   make(chan []pendingPoint, 4*n),
	}
	for i := range p.shards {
		ch := make(chan []pendingPoint, 2)
		p.shards[i] = ch
		p.bufs[i] = make([]pendingPoint, 0, applyBatch)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for buf := range ch {
				for j := range buf {
					pp := &buf[j]
					pp.s.append(pp.step, pp.t, pp.v, pp.idx, h)
				}
				select {
				case p.free <- buf[:0]:
				default:
				}
			}
		}()
	}
	return p
}

func (p *applyPool) push(s *memSeries, step, t int64, v float64, idx uint64) {
	i := int(s.ref) % len(p.shards)
	p.bufs[i] = append(p.bufs[i], pendingPoint{s, step, t, v, idx})
	if len(p.bufs[i]) == applyBatch {
		p.shards[i] <- p.bufs[i]
		select {
		case p.bufs[i] = <-p.free:
		default:
			p.bufs[i] = make([]pendingPoint, 0, applyBatch)
		}
	}
}

// close flushes what is pending and waits for the workers.
func (p *applyPool) close() {
	for i, ch := range p.shards {
		if len(p.bufs[i]) > 0 {
			ch <- p.bufs[i]
		}
		close(ch)
	}
	p.wg.Wait()
}

// add appends one point, inline or through the pool.
func (r *replayer) add(s *memSeries, step, t int64, v float64, idx uint64) {
	r.h.markSummary(s)
	if r.pool != nil {
		r.pool.push(s, step, t, v, idx)
		return
	}
	s.append(step, t, v, idx, r.h)
}

// done waits for pending points; it must run before the head is used.
func (r *replayer) done() {
	if r.pool != nil {
		r.pool.close()
		r.pool = nil
	}
}

func (r *replayer) apply(typ wal.RecordType, b []byte) error {
	r.records++
	var err error
	switch typ {
	case recRunCreate:
		var rec *runCreateRec
		if rec, err = decodeRunCreate(b); err == nil {
			if _, dup := r.h.byID[rec.id]; dup {
				return fmt.Errorf("%w: run %q created twice", ErrCorrupt, rec.id)
			}
			r.h.applyRunCreate(rec)
		}
	case recRunUpdate:
		var u *runUpdateRec
		if u, err = decodeRunUpdate(b); err == nil {
			var run *runState
			if run, err = r.run(u.ref); err == nil {
				r.h.applyRunUpdate(run, u)
			}
		}
	case recRunDelete:
		d := encoding.Decbuf{B: b}
		ref := uint32(d.Uvarint())
		if err = finish(&d, "run delete"); err == nil {
			var run *runState
			if run, err = r.run(ref); err == nil {
				r.h.applyRunDelete(run)
			}
		}
	case recSeries:
		err = r.series(b)
	case recLog:
		err = r.log(b)
	case recSamples:
		err = r.samples(b)
	default:
		err = fmt.Errorf("%w: unknown WAL record type %d", ErrCorrupt, typ)
	}
	return err
}

func (r *replayer) run(ref uint32) (*runState, error) {
	if int(ref) >= len(r.h.runs) || r.h.runs[ref] == nil {
		return nil, fmt.Errorf("%w: record for unknown run ref %d", ErrCorrupt, ref)
	}
	return r.h.runs[ref], nil
}

func (r *replayer) series(b []byte) error {
	d := encoding.Decbuf{B: b}
	ref := SeriesRef(d.Uvarint())
	runRef := uint32(d.Uvarint())
	metric := d.String()
	n := d.Count(2)
	var ctx Context
	if n > 0 {
		ctx = make(Context, n)
		for range n {
			k := d.String()
			ctx[k] = d.String()
		}
	}
	if err := finish(&d, "series"); err != nil {
		return err
	}
	run, err := r.run(runRef)
	if err != nil {
		return err
	}
	if ref == 0 || r.h.lookupSeries(ref) != nil {
		return fmt.Errorf("%w: series ref %d reused", ErrCorrupt, ref)
	}
	r.h.applySeries(ref, run, metric, ctx)
	return nil
}

func (r *replayer) log(b []byte) error {
	d := encoding.Decbuf{B: b}
	run, err := r.run(uint32(d.Uvarint()))
	if err != nil {
		return err
	}
	step, t := d.Varint(), d.Varint()
	n := d.Count(2)
	if d.E != nil {
		return finish(&d, "log")
	}
	idx := run.tl.ref(t)
	var ref int64
	h := r.h
	for range n {
		ref += d.Varint()
		v := d.Value()
		if d.E != nil {
			break
		}
		s := h.lookupSeries(SeriesRef(ref))
		if s == nil || s.run != run {
			return fmt.Errorf("%w: log record for unknown series ref %d", ErrCorrupt, ref)
		}
		r.add(s, step, t, v, idx)
	}
	run.dirty = true
	r.points += int64(n)
	h.epochPoints += int64(n)
	return finish(&d, "log")
}

func (r *replayer) samples(b []byte) error {
	d := encoding.Decbuf{B: b}
	n := d.Count(4)
	var ref, step, t int64
	h := r.h
	for range n {
		ref += d.Varint()
		step += d.Varint()
		t += d.Varint()
		v := d.Value()
		if d.E != nil {
			break
		}
		s := h.lookupSeries(SeriesRef(ref))
		if s == nil {
			return fmt.Errorf("%w: samples record for unknown series ref %d", ErrCorrupt, ref)
		}
		r.add(s, step, t, v, s.run.tl.ref(t))
		s.run.dirty = true
	}
	r.points += int64(n)
	h.epochPoints += int64(n)
	return finish(&d, "samples")
}
