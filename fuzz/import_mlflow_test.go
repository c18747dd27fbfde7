package fuzz

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/importer/mlflow"
)

// FuzzImportMLflowMetrics feeds arbitrary bytes to the metric file parser:
// no panic, every bad line a *MetricLineError wrapping ErrMetricLine with a
// line number inside the input, and never more points than lines.
func FuzzImportMLflowMetrics(f *testing.F) {
	f.Add([]byte("1748257990918 0.5627373693033669 0\n"))
	f.Add([]byte("1700000001000 nan 1\n1700000002000 -inf\n\n1 2 3 4\nx y z\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lines := 1
		for _, c := range b {
			if c == '\n' {
				lines++
			}
		}
		points := 0
		err := mlflow.ParseMetrics(b, func(ts int64, v float64, step int64) error {
			points++
			_ = math.IsNaN(v)
			return nil
		}, func(err error) error {
			var le *mlflow.MetricLineError
			require.True(t, errors.As(err, &le))
			require.ErrorIs(t, err, mlflow.ErrMetricLine)
			require.GreaterOrEqual(t, le.Line, 1)
			require.LessOrEqual(t, le.Line, lines)
			return nil
		})
		require.NoError(t, err)
		require.LessOrEqual(t, points, lines)
	})
}

// FuzzImportMLflowMeta feeds arbitrary bytes to the meta.yaml parser: no
// panic, and every error wraps ErrMeta.
func FuzzImportMLflowMeta(f *testing.F) {
	f.Add([]byte("run_id: abc\nexperiment_id: '0'\nstatus: 3\nstart_time: 1\nend_time: null\n"))
	f.Add([]byte("experiment_id: 1\nname: cifar\nlifecycle_stage: active\n"))
	f.Add([]byte("run_uuid: x\nstatus: FINISHED\nstart_time: '12'\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := mlflow.ParseMeta(b)
		if err != nil {
			require.ErrorIs(t, err, mlflow.ErrMeta)
			return
		}
		if m.IsRun() {
			require.True(t, m.Status.Valid())
		}
	})
}
