package fuzz

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/importer/sacred"
)

// FuzzImportSacred feeds arbitrary bytes to the parsers of run.json,
// config.json and metrics.json (Python's JSON, NaN tokens included): no
// panic, errors wrap the package's sentinels, and a metric yields no more
// points than its shortest array.
func FuzzImportSacred(f *testing.F) {
	f.Add([]byte(`{"status": "COMPLETED", "start_time": "2024-02-08T23:02:14.620335", "host": {"os": ["Linux", "x"]}}`))
	f.Add([]byte(`{"a": {"b": [1, 2], "c": null, "d": NaN}, "e": -Infinity, "f": "Infinity"}`))
	f.Add([]byte(`{"loss": {"steps": [0, 1], "timestamps": ["2024-01-01T00:00:01", "bad"], "values": [NaN, 1]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := sacred.ParseRun(b); err != nil {
			require.ErrorIs(t, err, sacred.ErrJSON)
		}
		if _, err := sacred.ParseConfig(b); err != nil {
			require.ErrorIs(t, err, sacred.ErrJSON)
		}
		metrics, err := sacred.ParseMetrics(b)
		if err != nil {
			require.ErrorIs(t, err, sacred.ErrJSON)
			return
		}
		for _, m := range metrics {
			n := min(len(m.Steps), len(m.Timestamps), len(m.Values))
			got := 0
			require.NoError(t, m.Points(func(step, ts int64, v float64) error {
				got++
				return nil
			}, func(err error) error {
				require.ErrorIs(t, err, sacred.ErrMetrics)
				return nil
			}))
			require.LessOrEqual(t, got, n)
		}
	})
}
