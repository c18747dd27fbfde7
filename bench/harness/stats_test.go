package harness

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSummarize(t *testing.T) {
	require.Equal(t, Stat{Median: 2, Min: 1, Max: 9, Reps: 3}, summarize([]float64{9, 1, 2}))
	require.Equal(t, Stat{Median: 2.5, Min: 1, Max: 9, Reps: 4}, summarize([]float64{9, 1, 2, 3}))
	require.Equal(t, Stat{}, summarize(nil))
}

func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{
		5_210_000: "5.21M", 812_345: "812k", 12_345: "12.3k", 2.314: "2.31", 0.0412: "0.0412", 0: "0", 150: "150",
	} {
		require.Equal(t, want, fmtValue(v), "%v", v)
	}
	require.Equal(t, "3.20×", fmtRatio(3.2))
	require.Equal(t, "2.00 (1.00–3.00)", fmtStat(Stat{Median: 2, Min: 1, Max: 3, Reps: 3}))
}
