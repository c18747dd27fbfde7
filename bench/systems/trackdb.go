package systems

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/trackdb/trackdb/bench/gen"
	"github.com/trackdb/trackdb/engine"
)

// Trackdb is trackdb's engine with its default options.
type Trackdb struct {
	db   *engine.DB
	w    *gen.Workload
	ctx  engine.Context
	m    map[string]float64
	refs [][]engine.SeriesRef // [run][metric], for the Append path
	buf  []engine.Sample
}

// NewTrackdb returns the trackdb system.
func NewTrackdb() *Trackdb { return &Trackdb{} }

// Name implements System.
func (s *Trackdb) Name() string { return "trackdb" }

// Settings implements System.
func (s *Trackdb) Settings() []string {
	o := engine.DefaultOptions()
	return []string{
		fmt.Sprintf("engine.Open(dir, nil): the defaults — Sync=interval (fsync at least every %v), WAL segments %d MiB, %d-point XOR chunks on the step axis, wall time once per call", o.SyncInterval, o.WALSegmentSize>>20, o.ChunkSamples),
		"training loops: db.Log, one call per run per step with every metric; bulk (long): db.Append of each batch through refs from db.Series",
		fmt.Sprintf("background compaction (head to a block) every %d points appended (FlushPoints default); at rest: blocks after db.Compact", o.FlushPoints),
	}
}

// Missing implements System: trackdb measures every figure now that
// blocks (issue 3), the run index (issue 4) and the query language (issue
// 5) have landed. A figure it cannot measure gets a case here, with the
// reason.
func (s *Trackdb) Missing(fig Figure) string { return "" }

// Open implements System.
func (s *Trackdb) Open(dir string, w *gen.Workload) error {
	// The engine logs recovery notices; the harness reports replay itself.
	db, err := engine.Open(dir, &engine.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	s.db, s.w = db, w
	s.ctx = engine.Context(gen.Context)
	s.m = make(map[string]float64, len(w.Metrics))
	return nil
}

// Replayed returns how many points the last Open replayed from the WAL.
func (s *Trackdb) Replayed() int64 { return s.db.Replayed().Points }

// StoredPoints returns the points the store holds (Stats().Points).
func (s *Trackdb) StoredPoints() (int64, error) {
	st, err := s.db.Stats()
	return st.Points, err
}

// CreateRuns implements System.
func (s *Trackdb) CreateRuns() error {
	for i := range s.w.Runs {
		r := &s.w.Runs[i]
		if _, err := s.db.CreateRun(engine.RunSpec{
			ID: r.ID, Experiment: r.Experiment, Name: r.Name, StartTime: r.Start,
			Params: r.Params, Tags: r.Tags,
		}); err != nil {
			return err
		}
	}
	if s.w.Batch <= 1 {
		return nil // Log creates series on first use
	}
	s.refs = make([][]engine.SeriesRef, len(s.w.Runs))
	for i := range s.w.Runs {
		s.refs[i] = make([]engine.SeriesRef, len(s.w.Metrics))
		for m, name := range s.w.Metrics {
			ref, err := s.db.Series(s.w.Runs[i].ID, name, s.ctx)
			if err != nil {
				return err
			}
			s.refs[i][m] = ref
		}
	}
	return nil
}

// Log implements System: db.Log for a single call, db.Append for a batch.
func (s *Trackdb) Log(calls []gen.Call) error {
	if len(calls) == 1 && s.refs == nil {
		c := &calls[0]
		for m, name := range s.w.Metrics {
			s.m[name] = c.Values[m]
		}
		return s.db.Log(s.w.Runs[c.Run].ID, c.Step, c.Time, s.m, s.ctx)
	}
	s.buf = s.buf[:0]
	for i := range calls {
		c := &calls[i]
		for m, v := range c.Values {
			s.buf = append(s.buf, engine.Sample{Ref: s.refs[c.Run][m], Step: c.Step, Time: c.Time, Value: v})
		}
	}
	return s.db.Append(s.buf)
}

// Flush implements System.
func (s *Trackdb) Flush() error { return s.db.Sync() }

func (s *Trackdb) ref(run, metric int) (engine.SeriesRef, error) {
	info, err := s.db.LookupSeries(s.w.Runs[run].ID, s.w.Metrics[metric], s.ctx)
	return info.Ref, err
}

// Read implements System.
func (s *Trackdb) Read(run, metric int) (Digest, error) {
	var d Digest
	ref, err := s.ref(run, metric)
	if err != nil {
		return d, err
	}
	it, err := s.db.Points(ref, engine.MinStep, engine.MaxStep)
	if err != nil {
		return d, err
	}
	defer it.Close()
	for it.Next() {
		p := it.At()
		d.Add(p.Step, p.Time, p.Value)
	}
	return d, it.Err()
}

// XORBytes implements XORSizer. The engine does not expose its chunks, so
// the harness reads every series through db.Points and encodes step and
// value with chunkenc's XOR, cut at the engine's chunk size: the raw chunk
// bytes the same series need, without the engine's wall-time references.
func (s *Trackdb) XORBytes() (int64, string, error) {
	n := engine.DefaultOptions().ChunkSamples
	var total int64
	for run := range s.w.Runs {
		for metric := range s.w.Metrics {
			ref, err := s.ref(run, metric)
			if err != nil {
				return 0, "", err
			}
			it, err := s.db.Points(ref, engine.MinStep, engine.MaxStep)
			if err != nil {
				return 0, "", err
			}
			var c *chunkenc.XORChunk
			var app chunkenc.Appender
			k := 0
			for it.Next() {
				if c == nil || k == n {
					if c != nil {
						total += int64(len(c.Bytes()))
					}
					c = chunkenc.NewXORChunk()
					if app, err = c.Appender(); err != nil {
						return 0, "", err
					}
					k = 0
				}
				p := it.At()
				app.Append(0, p.Step, p.Value)
				k++
			}
			if c != nil {
				total += int64(len(c.Bytes()))
			}
			if err := it.Err(); err != nil {
				return 0, "", err
			}
			it.Close()
		}
	}
	return total, fmt.Sprintf("step+value of every series read back with db.Points and encoded by the harness with prometheus chunkenc XOR in %d-point chunks (the engine does not expose its own chunk bytes; wall times excluded)", n), nil
}

// Compact implements Compactor: db.Compact flushes the head into a block
// and merges every block into one.
func (s *Trackdb) Compact() (int64, string, error) {
	if err := s.db.Compact(); err != nil {
		return 0, "", err
	}
	st, err := s.db.Stats()
	if err != nil {
		return 0, "", err
	}
	var chunks int64
	for _, b := range st.Blocks {
		chunks += b.ChunkBytes
	}
	return st.BlockBytes, fmt.Sprintf("db.Compact(): the head into a block, all blocks merged into one; bytes = Stats().BlockBytes (%d blocks; their chunk files alone: %.2f B/point)", len(st.Blocks), float64(chunks)/float64(max(st.Points, 1))), nil
}

// Close implements System.
func (s *Trackdb) Close() error { return s.db.Close() }
