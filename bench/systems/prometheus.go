package systems

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb"
	"github.com/prometheus/prometheus/util/compression"
	"github.com/trackdb/trackdb/bench/gen"
)

// Prometheus is Prometheus TSDB used as a tracker would use it: a series
// per (run, metric, context) labelled run, __name__ and the context's
// labels, whose time axis is the wall time; a companion series "step" per
// run holds the step of every logged call (as W&B's _step); a "run_info"
// series per run carries experiment, name, params and tags as labels.
type Prometheus struct {
	db     *tsdb.DB
	w      *gen.Workload
	opts   *tsdb.Options
	series [][]labels.Labels // [run][metric]
	steps  []labels.Labels   // [run]
	refs   [][]storage.SeriesRef
	srefs  []storage.SeriesRef
	infos  []labels.Labels
}

// NewPrometheus returns the Prometheus TSDB system.
func NewPrometheus() *Prometheus { return &Prometheus{} }

// Name implements System.
func (s *Prometheus) Name() string { return "prometheus" }

func prometheusOptions() *tsdb.Options {
	o := tsdb.DefaultOptions()
	// As the Prometheus server runs it: --storage.tsdb.wal-compression is
	// on (snappy) and the largest block is 10% of the retention window,
	// capped at 31 days; a tracker keeps every point, so no retention.
	o.WALCompression = compression.Snappy
	o.RetentionDuration = 0
	o.MaxBlockDuration = int64(36 * time.Hour / time.Millisecond)
	return o
}

// Settings implements System.
func (s *Prometheus) Settings() []string {
	o := prometheusOptions()
	return []string{
		fmt.Sprintf("tsdb.Open with tsdb.DefaultOptions(): WAL on, %d samples per chunk, %v head/min block, out-of-order window %d", o.SamplesPerChunk, time.Duration(o.MinBlockDuration)*time.Millisecond, o.OutOfOrderTimeWindow),
		"changed as the Prometheus server runs: WAL compression snappy; max block 36h (10% of the default 15d retention); retention off (a tracker keeps every point)",
		"labels: __name__=<metric>, run=<id>, subset=<context>; time axis = wall time; companion series step{run} per run; run_info{run, experiment, name, param_*, tag_*} per run",
		"one Appender per logged call (per batch of the bulk import), Commit after it; WAL fsync left to Prometheus (at segment end)",
	}
}

// Missing implements System.
func (s *Prometheus) Missing(fig Figure) string {
	if fig == FigXOR {
		return "trackdb-only figure"
	}
	return ""
}

// Open implements System.
func (s *Prometheus) Open(dir string, w *gen.Workload) error {
	s.opts = prometheusOptions()
	db, err := tsdb.Open(dir, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, s.opts, nil)
	if err != nil {
		return err
	}
	s.db, s.w = db, w
	s.series = make([][]labels.Labels, len(w.Runs))
	s.refs = make([][]storage.SeriesRef, len(w.Runs))
	s.steps = make([]labels.Labels, len(w.Runs))
	s.srefs = make([]storage.SeriesRef, len(w.Runs))
	s.infos = make([]labels.Labels, len(w.Runs))
	for i := range w.Runs {
		id := w.Runs[i].ID
		s.series[i] = make([]labels.Labels, len(w.Metrics))
		s.refs[i] = make([]storage.SeriesRef, len(w.Metrics))
		for m, name := range w.Metrics {
			s.series[i][m] = s.metricLabels(id, name)
		}
		s.steps[i] = labels.FromStrings("__name__", "step", "run", id)
	}
	return nil
}

func (s *Prometheus) metricLabels(id, metric string) labels.Labels {
	b := labels.NewScratchBuilder(2 + len(gen.Context))
	b.Add("__name__", metric)
	b.Add("run", id)
	for k, v := range gen.Context {
		b.Add(k, v)
	}
	b.Sort()
	return b.Labels()
}

// labelName turns a param or tag key into a label name.
func labelName(prefix, key string) string {
	return prefix + strings.NewReplacer(".", "_", "-", "_", "/", "_").Replace(key)
}

// CreateRuns implements System: the run_info series are built here and
// written at each run's first logged call, so that no sample lands far
// ahead of the runs still logging (Prometheus rejects samples an hour
// older than its newest).
func (s *Prometheus) CreateRuns() error {
	for i := range s.w.Runs {
		r := &s.w.Runs[i]
		b := labels.NewScratchBuilder(4 + len(r.Params) + len(r.Tags))
		b.Add("__name__", "run_info")
		b.Add("run", r.ID)
		b.Add("experiment", r.Experiment)
		b.Add("name", r.Name)
		for k, v := range r.Params {
			b.Add(labelName("param_", k), gen.FormatParam(v))
		}
		for k, v := range r.Tags {
			b.Add(labelName("tag_", k), v)
		}
		b.Sort()
		s.infos[i] = b.Labels()
	}
	return nil
}

// Log implements System.
func (s *Prometheus) Log(calls []gen.Call) error {
	app := s.db.Appender(context.Background())
	for i := range calls {
		c := &calls[i]
		var err error
		if c.Step == 0 {
			if _, err = app.Append(0, s.infos[c.Run], c.Time, 1); err != nil {
				app.Rollback()
				return fmt.Errorf("run_info: %w", err)
			}
		}
		if s.srefs[c.Run], err = app.Append(s.srefs[c.Run], s.steps[c.Run], c.Time, float64(c.Step)); err != nil {
			app.Rollback()
			return fmt.Errorf("step: %w", err)
		}
		refs := s.refs[c.Run]
		for m, v := range c.Values {
			if refs[m], err = app.Append(refs[m], s.series[c.Run][m], c.Time, v); err != nil {
				app.Rollback()
				return fmt.Errorf("%s: %w", s.w.Metrics[m], err)
			}
		}
	}
	return app.Commit()
}

// Flush implements System. Prometheus has no call that fsyncs its WAL; its
// segments are fsynced when they are completed.
func (s *Prometheus) Flush() error { return nil }

// Read implements System: the metric's series and the run's step series,
// joined on time.
func (s *Prometheus) Read(run, metric int) (Digest, error) {
	var d Digest
	q, err := s.db.Querier(math.MinInt64, math.MaxInt64)
	if err != nil {
		return d, err
	}
	defer q.Close()
	ctx := context.Background()
	id := s.w.Runs[run].ID
	steps := q.Select(ctx, false, nil, labels.MustNewMatcher(labels.MatchEqual, "__name__", "step"), labels.MustNewMatcher(labels.MatchEqual, "run", id))
	if !steps.Next() {
		return d, fmt.Errorf("prometheus: no step series for run %s: %v", id, steps.Err())
	}
	sit := steps.At().Iterator(nil)
	ms := []*labels.Matcher{labels.MustNewMatcher(labels.MatchEqual, "__name__", s.w.Metrics[metric]), labels.MustNewMatcher(labels.MatchEqual, "run", id)}
	for k, v := range gen.Context {
		ms = append(ms, labels.MustNewMatcher(labels.MatchEqual, k, v))
	}
	set := q.Select(ctx, false, nil, ms...)
	if !set.Next() {
		return d, fmt.Errorf("prometheus: no series %s for run %s: %v", s.w.Metrics[metric], id, set.Err())
	}
	it := set.At().Iterator(nil)
	var st int64 = math.MinInt64
	var step float64
	for it.Next() != 0 {
		t, v := it.At()
		for st < t && sit.Next() != 0 {
			st, step = sit.At()
		}
		d.Add(int64(step), t, v)
	}
	if err := it.Err(); err != nil {
		return d, err
	}
	return d, set.Err()
}

// Compact implements Compactor: the whole head into a block, as the
// Prometheus server does for data older than its head window.
func (s *Prometheus) Compact() (int64, string, error) {
	h := s.db.Head()
	if err := s.db.CompactHead(tsdb.NewRangeHead(h, h.MinTime(), h.MaxTime())); err != nil {
		return 0, "", err
	}
	var n int64
	for _, b := range s.db.Blocks() {
		n += b.Size()
	}
	return n, "db.CompactHead(NewRangeHead(head, mint, maxt)): the head into a block, WAL truncated; bytes = the blocks (Block.Size); the WAL's live segment is left out", nil
}

// Close implements System.
func (s *Prometheus) Close() error { return s.db.Close() }
