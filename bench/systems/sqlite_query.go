package systems

import (
	"math"
	"os"
	"path/filepath"
)

// Read implements System: MLflow's get_metric_history query, ordered.
func (s *SQLite) Read(run, metric int) (Digest, error) {
	var d Digest
	rows, err := s.db.Query(`SELECT step, timestamp, value, is_nan FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp`,
		s.w.Runs[run].ID, s.keys[metric])
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var step, t int64
		var v float64
		var isNaN bool
		if err := rows.Scan(&step, &t, &v, &isNaN); err != nil {
			return d, err
		}
		if isNaN {
			v = math.NaN()
		}
		d.Add(step, t, v)
	}
	return d, rows.Err()
}

// SearchMethod implements Searcher.
func (s *SQLite) SearchMethod() string {
	return "SQL as MLflow's search_runs builds it: runs joined with params, tags and latest_metrics subqueries, one per predicate (params compare as strings, metrics by latest value); top-10: ORDER BY latest_metrics.value DESC LIMIT 10"
}

// Search implements Searcher.
func (s *SQLite) Search(q SearchQuery) ([]string, error) {
	rows, err := s.db.Query(`SELECT runs.run_uuid FROM runs
JOIN (SELECT run_uuid FROM params WHERE key = ? AND value = ?) AS p ON p.run_uuid = runs.run_uuid
JOIN (SELECT run_uuid FROM tags WHERE key = ? AND value = ?) AS t ON t.run_uuid = runs.run_uuid
JOIN (SELECT run_uuid FROM latest_metrics WHERE key = ? AND is_nan = 0 AND value > ?) AS m ON m.run_uuid = runs.run_uuid
WHERE runs.experiment_id = 1 AND runs.lifecycle_stage = 'active'
ORDER BY runs.start_time DESC, runs.run_uuid`,
		q.ParamKey, q.ParamValue, q.TagKey, q.TagValue, mlflowKey(q.Metric), q.Above)
	if err != nil {
		return nil, err
	}
	ids, err := scanIDs(rows)
	return sortedIDs(ids), err
}

// TopK implements Searcher.
func (s *SQLite) TopK(metric string, k int) ([]string, error) {
	rows, err := s.db.Query(`SELECT runs.run_uuid FROM runs
JOIN latest_metrics AS m ON m.run_uuid = runs.run_uuid AND m.key = ?
WHERE runs.experiment_id = 1 AND runs.lifecycle_stage = 'active'
ORDER BY m.is_nan, m.value DESC, runs.run_uuid LIMIT ?`, mlflowKey(metric), k)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

func scanIDs(rows rowScanner) ([]string, error) {
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// DownsampleMethod implements Downsampler.
func (s *SQLite) DownsampleMethod() string {
	return "one SQL query: WHERE run_uuid, key, step range, GROUP BY step bucket, MIN/MAX(value) over non-NaN rows"
}

// Downsample implements Downsampler.
func (s *SQLite) Downsample(q DownsampleQuery) (DownsampleResult, error) {
	b := newBucketer(q.FromStep, q.ToStep, q.Buckets)
	rows, err := s.db.Query(`SELECT (step - ?) / ? AS b, MIN(CASE WHEN is_nan THEN NULL ELSE value END), MAX(CASE WHEN is_nan THEN NULL ELSE value END), COUNT(*)
FROM metrics WHERE run_uuid = ? AND key = ? AND step BETWEEN ? AND ? GROUP BY b`,
		q.FromStep, b.width, s.w.Runs[q.Run].ID, s.keys[q.Metric], q.FromStep, q.ToStep)
	if err != nil {
		return DownsampleResult{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int64
		var lo, hi *float64
		if err := rows.Scan(&i, &lo, &hi, &n); err != nil {
			return DownsampleResult{}, err
		}
		b.res.Points += n
		if i >= 0 && int(i) < len(b.res.Min) && lo != nil {
			b.res.Min[i], b.res.Max[i] = *lo, *hi
		}
	}
	return b.res, rows.Err()
}

// Compact implements Compactor.
func (s *SQLite) Compact() (int64, string, error) {
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, "", err
	}
	info, err := os.Stat(filepath.Join(s.dir, "mlflow.db"))
	if err != nil {
		return 0, "", err
	}
	return info.Size(), "PRAGMA wal_checkpoint(TRUNCATE): the WAL folded into the database file (no VACUUM); bytes = the database file", nil
}
