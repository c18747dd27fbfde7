package systems

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"os"

	"github.com/cockroachdb/pebble/v2"
	"github.com/trackdb/trackdb/bench/gen"
)

// Pebble is Pebble (RocksDB's Go cousin; Aim keeps its metrics in
// RocksDB) with an Aim-like key layout:
//
//	ctx/<ctx id>                                  → context labels (JSON)
//	meta/<run>/attrs                              → experiment, name, start (JSON)
//	meta/<run>/param/<key>                        → type byte (s, i, f, b) + value as text
//	meta/<run>/tag/<key>                          → value
//	meta/<run>/trace/<ctx id>/<metric>/last       → step, time, value of the latest point
//	seqs/<run>/<ctx id>/<metric>/val/<step BE>    → value (8 bytes)
//	seqs/<run>/<ctx id>/<metric>/time/<step BE>   → wall time (8 bytes)
//
// Every logged call is one batch: its points plus the updated "last"
// records, as Aim's track() updates the run's trace metadata.
type Pebble struct {
	db     *pebble.DB
	w      *gen.Workload
	ctxID  string
	prefix [][]string // [run][metric] "seqs/<run>/<ctx>/<metric>/"
	last   [][]string // [run][metric] trace last keys
	key    []byte
	val    [24]byte
}

// NewPebble returns the Pebble system.
func NewPebble() *Pebble { return &Pebble{} }

// Name implements System.
func (s *Pebble) Name() string { return "pebble" }

// Settings implements System.
func (s *Pebble) Settings() []string {
	return []string{
		"github.com/cockroachdb/pebble/v2 with default Options (WAL on, default memtable and compactions)",
		"Aim-like keys: seqs/<run>/<ctx>/<metric>/{val,time}/<step> per point; meta/<run>/{attrs,param/*,tag/*,trace/<ctx>/<metric>/last}",
		"one batch per logged call (per 1,000 calls for the bulk import), committed with NoSync as Aim does; Flush fsyncs the WAL once at the end",
	}
}

// Missing implements System.
func (s *Pebble) Missing(fig Figure) string {
	if fig == FigXOR {
		return "trackdb-only figure"
	}
	return ""
}

type quietLogger struct{}

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pebble: "+format+"\n", args...)
	os.Exit(2)
}

// Open implements System.
func (s *Pebble) Open(dir string, w *gen.Workload) error {
	db, err := pebble.Open(dir, &pebble.Options{Logger: quietLogger{}})
	if err != nil {
		return err
	}
	s.db, s.w = db, w
	ctx, _ := json.Marshal(gen.Context)
	h := fnv.New64a()
	h.Write(ctx)
	s.ctxID = fmt.Sprintf("%016x", h.Sum64())
	s.prefix = make([][]string, len(w.Runs))
	s.last = make([][]string, len(w.Runs))
	for i := range w.Runs {
		s.prefix[i] = make([]string, len(w.Metrics))
		s.last[i] = make([]string, len(w.Metrics))
		for m, name := range w.Metrics {
			s.prefix[i][m] = "seqs/" + w.Runs[i].ID + "/" + s.ctxID + "/" + name + "/"
			s.last[i][m] = "meta/" + w.Runs[i].ID + "/trace/" + s.ctxID + "/" + name + "/last"
		}
	}
	return nil
}

// CreateRuns implements System.
func (s *Pebble) CreateRuns() error {
	b := s.db.NewBatch()
	ctx, _ := json.Marshal(gen.Context)
	b.Set([]byte("ctx/"+s.ctxID), ctx, nil)
	for i := range s.w.Runs {
		r := &s.w.Runs[i]
		attrs, _ := json.Marshal(map[string]any{"experiment": r.Experiment, "name": r.Name, "start": r.Start})
		b.Set([]byte("meta/"+r.ID+"/attrs"), attrs, nil)
		for k, v := range r.Params {
			b.Set([]byte("meta/"+r.ID+"/param/"+k), encodeParam(v), nil)
		}
		for k, v := range r.Tags {
			b.Set([]byte("meta/"+r.ID+"/tag/"+k), []byte(v), nil)
		}
	}
	return b.Commit(pebble.NoSync)
}

// stepKey appends step so that keys sort by step, negatives first.
func stepKey(dst []byte, step int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(step)^(1<<63))
}

// Log implements System.
func (s *Pebble) Log(calls []gen.Call) error {
	b := s.db.NewBatch()
	defer b.Close()
	for i := range calls {
		c := &calls[i]
		for m, v := range c.Values {
			p := s.prefix[c.Run][m]
			binary.BigEndian.PutUint64(s.val[:8], math.Float64bits(v))
			s.key = stepKey(append(append(s.key[:0], p...), "val/"...), c.Step)
			if err := b.Set(s.key, s.val[:8], nil); err != nil {
				return err
			}
			binary.BigEndian.PutUint64(s.val[:8], uint64(c.Time))
			s.key = stepKey(append(append(s.key[:0], p...), "time/"...), c.Step)
			if err := b.Set(s.key, s.val[:8], nil); err != nil {
				return err
			}
		}
	}
	// The trace's last point, from the batch's last call per run.
	seen := map[int]bool{}
	for i := len(calls) - 1; i >= 0; i-- {
		c := &calls[i]
		if seen[c.Run] {
			continue
		}
		seen[c.Run] = true
		for m, v := range c.Values {
			binary.BigEndian.PutUint64(s.val[0:], uint64(c.Step))
			binary.BigEndian.PutUint64(s.val[8:], uint64(c.Time))
			binary.BigEndian.PutUint64(s.val[16:], math.Float64bits(v))
			if err := b.Set([]byte(s.last[c.Run][m]), s.val[:], nil); err != nil {
				return err
			}
		}
	}
	return b.Commit(pebble.NoSync)
}

// Flush implements System: fsync the WAL.
func (s *Pebble) Flush() error { return s.db.LogData([]byte("flush"), pebble.Sync) }

// Compact implements Compactor.
func (s *Pebble) Compact() (int64, string, error) {
	if err := s.db.Flush(); err != nil {
		return 0, "", err
	}
	if err := s.db.Compact(context.Background(), []byte{0}, []byte{0xff}, true); err != nil {
		return 0, "", err
	}
	var n int64
	for _, level := range s.db.Metrics().Levels {
		n += level.TablesSize
	}
	return n, "db.Flush() then db.Compact over the whole key space: memtables to sstables, L0 compacted down; bytes = the sstables of every level (Metrics().Levels); WAL files kept for recycling are left out", nil
}

// Close implements System.
func (s *Pebble) Close() error { return s.db.Close() }

// upper returns the smallest key above every key with prefix p.
func upper(p string) []byte {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return b[:i+1]
		}
	}
	return nil
}

// encodeParam stores a typed param as its type letter and its text.
func encodeParam(v any) []byte {
	t := byte('s')
	switch v.(type) {
	case int64:
		t = 'i'
	case float64:
		t = 'f'
	case bool:
		t = 'b'
	}
	return append([]byte{t}, gen.FormatParam(v)...)
}
