package sink

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/trackdb/trackdb/engine"
)

// Run is one run being imported, returned by Sink.Begin.
type Run struct {
	sink      *Sink
	id        string
	src       Source
	unchanged bool
	dedupe    bool
	series    map[string]*series
}

// series is one series of the run: its ref, and for a changed source the
// points already stored, counted by (step, time, value bits).
type series struct {
	ref      engine.SeriesRef
	bad      bool // the engine refused the name; its points are skipped
	existing map[pointKey]int32
}

type pointKey struct {
	step, time int64
	bits       uint64
}

// ID returns the run's ID.
func (r *Run) ID() string { return r.id }

// Unchanged reports whether the run's source had not changed since it was
// last imported; such a run ignores Add, Update and Finish.
func (r *Run) Unchanged() bool { return r.unchanged }

// Update changes the run's attributes, params and tags in one record. A
// param conflicting with the stored value is a warning and the rest of
// the update is stored without params.
func (r *Run) Update(u engine.RunUpdate) error {
	if r.unchanged {
		return nil
	}
	err := r.sink.db.UpdateRun(r.id, u)
	if errors.Is(err, engine.ErrParamConflict) {
		if werr := r.sink.Warn(InFile(r.src.Path, fmt.Errorf("run %q: %w", r.id, err))); werr != nil {
			return werr
		}
		u.Params = nil
		err = r.sink.db.UpdateRun(r.id, u)
	}
	return err
}

// Add appends one point to the series (metric, ctx) of the run. A metric
// name or context the engine refuses is a warning, once per series, and
// that series' points are skipped.
func (r *Run) Add(metric string, ctx engine.Context, step, t int64, v float64) error {
	if r.unchanged {
		return nil
	}
	key := metric
	if len(ctx) > 0 {
		key = metric + "\x00" + contextKey(ctx)
	}
	s := r.series[key]
	if s == nil {
		var err error
		if s, err = r.newSeries(metric, ctx); err != nil {
			return err
		}
		r.series[key] = s
	}
	if s.bad {
		r.sink.stats.Skipped++
		return nil
	}
	if s.existing != nil {
		k := pointKey{step, t, math.Float64bits(v)}
		if n := s.existing[k]; n > 0 {
			s.existing[k] = n - 1
			r.sink.stats.Duplicates++
			return nil
		}
	}
	sk := r.sink
	sk.buf = append(sk.buf, engine.Sample{Ref: s.ref, Step: step, Time: t, Value: v})
	sk.stats.Points++
	if len(sk.buf) == cap(sk.buf) {
		return sk.Flush()
	}
	return nil
}

func (r *Run) newSeries(metric string, ctx engine.Context) (*series, error) {
	db := r.sink.db
	ref, err := db.Series(r.id, metric, ctx)
	if errors.Is(err, engine.ErrInvalidMetric) || errors.Is(err, engine.ErrInvalidContext) || errors.Is(err, engine.ErrLimit) {
		return &series{bad: true}, r.sink.Warn(InFile(r.src.Path, fmt.Errorf("run %q: %w", r.id, err)))
	}
	if err != nil {
		return nil, err
	}
	s := &series{ref: ref}
	if !r.dedupe {
		return s, nil
	}
	// The points stored before this import; the sink's own buffer holds
	// none of this series yet, since the series is new to this import.
	it, err := db.Points(ref, engine.MinStep, engine.MaxStep)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	s.existing = map[pointKey]int32{}
	for it.Next() {
		p := it.At()
		s.existing[pointKey{p.Step, p.Time, math.Float64bits(p.Value)}]++
	}
	return s, it.Err()
}

// Finish flushes the run's points and records the source digest, which
// marks the run as completely imported from that source.
func (r *Run) Finish() error {
	if r.unchanged {
		return nil
	}
	if err := r.sink.Flush(); err != nil {
		return err
	}
	if r.src.Digest == "" {
		return nil
	}
	return r.sink.db.UpdateRun(r.id, engine.RunUpdate{Tags: map[string]string{TagDigest: r.src.Digest}})
}

// contextKey is a canonical text of ctx: sorted name=value pairs.
func contextKey(ctx engine.Context) string {
	if len(ctx) == 1 {
		for k, v := range ctx {
			return k + "\x00" + v
		}
	}
	names := make([]string, 0, len(ctx))
	for k := range ctx {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(ctx[k])
		b.WriteByte(0)
	}
	return b.String()
}
