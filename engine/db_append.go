package engine

import (
	"fmt"
	"sort"
)

// logEntry is one metric of a Log call, resolved to its series.
type logEntry struct {
	s *memSeries
	v float64
}

// Log appends one logged step of a run: every metric in metrics becomes a
// point at (step, time) in the series (run, metric, context), which is
// created on first use. time is Unix milliseconds and is stored as given.
// This is the training-loop path: one call per step carrying all metrics,
// one WAL record, and the wall time stored once for the call.
//
// Under SyncAlways Log returns once the record is fsynced.
func (db *DB) Log(runID string, step, time int64, metrics map[string]float64, ctx Context) error {
	if len(metrics) == 0 {
		return nil
	}
	if len(ctx) > 0 {
		if err := ValidateContext(ctx); err != nil {
			return fmt.Errorf("log run %q: %w", runID, err)
		}
	}
	db.mu.Lock()
	seq, err := db.logLocked(runID, step, time, metrics, ctx)
	db.mu.Unlock()
	if err != nil {
		return err
	}
	return db.wal.Commit(seq)
}

func (db *DB) logLocked(runID string, step, t int64, metrics map[string]float64, ctx Context) (uint64, error) {
	if db.mu.closed {
		return 0, ErrClosed
	}
	h := db.mu.head
	run := h.byID[runID]
	if run == nil {
		return 0, fmt.Errorf("log: %w: %q", ErrRunNotFound, runID)
	}
	key := ctx.key()
	bySeries := run.byCtx[key]
	refs := db.mu.refs[:0]
	var missing []string
	for name, v := range metrics {
		s := bySeries[name]
		if s == nil {
			missing = append(missing, name)
			continue
		}
		refs = append(refs, logEntry{s, v})
	}
	if len(missing) > 0 {
		// Validate every new name before creating any series, so a bad
		// name leaves no half-applied call behind.
		sort.Strings(missing)
		for _, name := range missing {
			if err := ValidateMetricName(name); err != nil {
				return 0, fmt.Errorf("log run %q: %w", runID, err)
			}
		}
		if len(run.series)+len(missing) > MaxSeriesPerRun {
			return 0, fmt.Errorf("log run %q: %w: more than %d series", runID, ErrLimit, MaxSeriesPerRun)
		}
		for _, name := range missing {
			s, err := db.createSeriesLocked(run, name, ctx)
			if err != nil {
				return 0, err
			}
			refs = append(refs, logEntry{s, metrics[name]})
		}
	}
	db.mu.refs = refs

	e := &db.mu.enc
	e.Reset()
	e.PutUvarint(uint64(run.ref))
	e.PutVarint(step)
	e.PutVarint(t)
	e.PutUvarint(uint64(len(refs)))
	var prev int64
	for _, r := range refs {
		e.PutVarint(int64(r.s.ref) - prev)
		prev = int64(r.s.ref)
		e.PutValue(r.v)
	}
	seq, err := db.wal.Write(recLog, e.B)
	if err != nil {
		return 0, fmt.Errorf("log run %q: %w", runID, err)
	}
	idx := run.tl.ref(t)
	for _, r := range refs {
		r.s.append(step, t, r.v, idx, h)
		h.markSummary(r.s)
	}
	run.dirty = true
	h.epochPoints += int64(len(refs))
	db.maybeKick()
	return seq, nil
}

// createSeriesLocked logs and applies a new series. The caller validated
// metric and ctx and holds db.mu.
func (db *DB) createSeriesLocked(run *runState, metric string, ctx Context) (*memSeries, error) {
	h := db.mu.head
	ref := SeriesRef(len(h.series))
	ctx = ctx.clone()
	var e = &db.mu.enc
	encodeSeries(e, ref, run.ref, metric, ctx)
	if _, err := db.wal.Write(recSeries, e.B); err != nil {
		return nil, fmt.Errorf("create series %q of run %q: %w", metric, run.id, err)
	}
	return h.applySeries(ref, run, metric, ctx), nil
}

// Series returns the ref of the series (run, metric, context), creating
// it when missing. Refs let Append address points without hashing names.
func (db *DB) Series(runID, metric string, ctx Context) (SeriesRef, error) {
	if err := ValidateMetricName(metric); err != nil {
		return 0, err
	}
	if err := ValidateContext(ctx); err != nil {
		return 0, err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.mu.closed {
		return 0, ErrClosed
	}
	run := db.mu.head.byID[runID]
	if run == nil {
		return 0, fmt.Errorf("series: %w: %q", ErrRunNotFound, runID)
	}
	if s := run.byCtx[ctx.key()][metric]; s != nil {
		return s.ref, nil
	}
	if len(run.series) >= MaxSeriesPerRun {
		return 0, fmt.Errorf("series of run %q: %w: more than %d series", runID, ErrLimit, MaxSeriesPerRun)
	}
	s, err := db.createSeriesLocked(run, metric, ctx)
	if err != nil {
		return 0, err
	}
	return s.ref, nil
}

// Append stores many points across series, the importers' path. Every ref
// must come from Series; an unknown ref fails the call before anything is
// stored. Points of one series may come in any step order.
//
// The points are logged in records of up to maxSamplesPerRecord: if the
// log fails part way, the records before the failure stay stored and the
// error says how many samples were.
func (db *DB) Append(samples []Sample) error {
	if len(samples) == 0 {
		return nil
	}
	db.mu.Lock()
	seq, err := db.appendLocked(samples)
	db.mu.Unlock()
	if err != nil {
		return err
	}
	return db.wal.Commit(seq)
}

func (db *DB) appendLocked(samples []Sample) (uint64, error) {
	if db.mu.closed {
		return 0, ErrClosed
	}
	h := db.mu.head
	for i := range samples {
		if s := h.lookupSeries(samples[i].Ref); s == nil || s.run.deleted {
			return 0, fmt.Errorf("append sample %d: %w: ref %d", i, ErrSeriesNotFound, samples[i].Ref)
		}
	}
	var seq uint64
	e := &db.mu.enc
	for start := 0; start < len(samples); start += maxSamplesPerRecord {
		batch := samples[start:min(start+maxSamplesPerRecord, len(samples))]
		e.Reset()
		e.PutUvarint(uint64(len(batch)))
		var ref, step, t int64
		for i := range batch {
			s := &batch[i]
			e.PutVarint(int64(s.Ref) - ref)
			e.PutVarint(s.Step - step)
			e.PutVarint(s.Time - t)
			e.PutValue(s.Value)
			ref, step, t = int64(s.Ref), s.Step, s.Time
		}
		var err error
		if seq, err = db.wal.Write(recSamples, e.B); err != nil {
			return 0, fmt.Errorf("append: %d of %d samples stored: %w", start, len(samples), err)
		}
		for i := range batch {
			s := &batch[i]
			ms := h.series[s.Ref]
			ms.append(s.Step, s.Time, s.Value, ms.run.tl.ref(s.Time), h)
			h.markSummary(ms)
			ms.run.dirty = true
		}
		h.epochPoints += int64(len(batch))
	}
	db.maybeKick()
	return seq, nil
}
