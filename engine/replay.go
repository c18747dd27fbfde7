package engine

import (
	"fmt"

	"github.com/trackdb/trackdb/internal/encoding"
	"github.com/trackdb/trackdb/wal"
)

// replayer applies WAL records to a head during Open.
type replayer struct {
	h       *head
	records int64
	points  int64
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
	case recParams:
		d := encoding.Decbuf{B: b}
		ref := uint32(d.Uvarint())
		ps := getParams(&d)
		if err = finish(&d, "params"); err == nil {
			var run *runState
			if run, err = r.run(ref); err == nil {
				r.h.applyParams(run, ps)
			}
		}
	case recTags:
		d := encoding.Decbuf{B: b}
		ref := uint32(d.Uvarint())
		set := getTags(&d)
		del := make([]string, d.Count(1))
		for i := range del {
			del[i] = d.String()
		}
		if err = finish(&d, "tags"); err == nil {
			var run *runState
			if run, err = r.run(ref); err == nil {
				r.h.applyTags(run, set, del)
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
		s.append(step, t, v, idx, h.chunkSamples)
	}
	r.points += int64(n)
	h.points += int64(n)
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
		s.append(step, t, v, s.run.tl.ref(t), h.chunkSamples)
	}
	r.points += int64(n)
	h.points += int64(n)
	return finish(&d, "samples")
}
