package systems

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/trackdb/trackdb/bench/gen"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// SQLite is SQLite with MLflow's tracking schema, written the way MLflow's
// SQLAlchemy store writes it: one transaction per logged call (per batch
// of up to 1,000 points for the bulk import, MLflow's log_batch limit).
type SQLite struct {
	db      *sql.DB
	dir     string
	w       *gen.Workload
	keys    []string // metric keys, context folded in
	insert  *sql.Stmt
	upsert  *sql.Stmt
	sync    string
	journal string
}

// NewSQLite returns the SQLite-MLflow system.
func NewSQLite() *SQLite { return &SQLite{} }

// Name implements System.
func (s *SQLite) Name() string { return "sqlite" }

// Settings implements System.
func (s *SQLite) Settings() []string {
	return []string{
		"modernc.org/sqlite (pure Go) with MLflow's tables: runs, params, tags, metrics (six-column primary key), latest_metrics, and their run_uuid indexes",
		fmt.Sprintf("PRAGMA journal_mode=%s; synchronous=%s (SQLite's default, which MLflow leaves); one connection", s.journal, s.sync),
		"one transaction per logged call: INSERT INTO metrics per point, UPSERT INTO latest_metrics per metric (bulk import: one transaction per 1,000 points, latest_metrics once per batch)",
		"NaN stored as MLflow does: value 0, is_nan 1; the context folded into the key (MLflow has no contexts)",
	}
}

// Missing implements System.
func (s *SQLite) Missing(fig Figure) string {
	if fig == FigXOR {
		return "trackdb-only figure"
	}
	return ""
}

// Open implements System.
func (s *SQLite) Open(dir string, w *gen.Workload) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "mlflow.db")+"?_pragma=journal_mode(WAL)")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(mlflowSchema); err != nil {
		db.Close()
		return fmt.Errorf("schema: %w", err)
	}
	var syncMode int
	if err := db.QueryRow(`PRAGMA synchronous`).Scan(&syncMode); err != nil {
		db.Close()
		return err
	}
	s.sync = [...]string{"OFF", "NORMAL", "FULL", "EXTRA"}[min(max(syncMode, 0), 3)]
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&s.journal); err != nil {
		db.Close()
		return err
	}
	// Opening a database with a WAL left by an unclean stop recovers on
	// the first read: do it here, so Open is ready to read.
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM runs`).Scan(&n); err != nil {
		db.Close()
		return err
	}
	s.db, s.w, s.dir = db, w, dir
	s.keys = make([]string, len(w.Metrics))
	for i, m := range w.Metrics {
		s.keys[i] = mlflowKey(m)
	}
	if s.insert, err = db.Prepare(sqlInsertMetric); err != nil {
		return err
	}
	if s.upsert, err = db.Prepare(sqlUpsertLatest); err != nil {
		return err
	}
	return nil
}

// mlflowKey folds the workload's context into a metric key.
func mlflowKey(metric string) string {
	if len(gen.Context) == 0 {
		return metric
	}
	pairs := make([]string, 0, len(gen.Context))
	for k, v := range gen.Context {
		pairs = append(pairs, k+"="+v)
	}
	sort.Strings(pairs)
	return metric + "{" + strings.Join(pairs, ",") + "}"
}

// mlflowValue maps a value as MLflow stores it: NaN as 0 with is_nan,
// ±Inf as ±max float64.
func mlflowValue(v float64) (float64, bool) {
	switch {
	case v != v:
		return 0, true
	case math.IsInf(v, 1):
		return math.MaxFloat64, false
	case math.IsInf(v, -1):
		return -math.MaxFloat64, false
	}
	return v, false
}

// CreateRuns implements System: one experiment, then one transaction per
// run with its params and tags, as MLflow's create_run plus log_batch.
func (s *SQLite) CreateRuns() error {
	if len(s.w.Runs) == 0 {
		return nil
	}
	exp := s.w.Runs[0].Experiment
	if _, err := s.db.Exec(`INSERT OR IGNORE INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, ?, '', 'active', ?, ?)`, exp, gen.Epoch, gen.Epoch); err != nil {
		return err
	}
	for i := range s.w.Runs {
		r := &s.w.Runs[i]
		tx, err := s.db.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(sqlInsertRun, r.ID, r.Name, r.Start, "mlruns/1/"+r.ID+"/artifacts", 1); err != nil {
			tx.Rollback()
			return err
		}
		for _, k := range r.ParamOrder {
			if _, err := tx.Exec(sqlInsertParam, k, gen.FormatParam(r.Params[k]), r.ID); err != nil {
				tx.Rollback()
				return err
			}
		}
		for k, v := range r.Tags {
			if _, err := tx.Exec(sqlInsertTag, k, v, r.ID); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Log implements System.
func (s *SQLite) Log(calls []gen.Call) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	ins, up := tx.Stmt(s.insert), tx.Stmt(s.upsert)
	for i := range calls {
		c := &calls[i]
		id := s.w.Runs[c.Run].ID
		for m, v := range c.Values {
			val, isNaN := mlflowValue(v)
			if _, err := ins.Exec(s.keys[m], val, c.Time, id, c.Step, isNaN); err != nil {
				tx.Rollback()
				return err
			}
		}
	}
	// latest_metrics once per transaction, from its last call per run.
	last := map[int]int{}
	for i := range calls {
		last[calls[i].Run] = i
	}
	for _, i := range last {
		c := &calls[i]
		id := s.w.Runs[c.Run].ID
		for m, v := range c.Values {
			val, isNaN := mlflowValue(v)
			if _, err := up.Exec(s.keys[m], val, c.Time, c.Step, isNaN, id); err != nil {
				tx.Rollback()
				return err
			}
		}
	}
	return tx.Commit()
}

// Flush implements System: every commit is already durable.
func (s *SQLite) Flush() error { return nil }

// Close implements System.
func (s *SQLite) Close() error {
	s.insert.Close()
	s.upsert.Close()
	return s.db.Close()
}
