package query

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRows(t *testing.T) {
	res := &Result{Kind: KindSeries, X: "relative", Curves: []Curve{
		{RunID: "a", Start: 100, Points: []Point{{Step: 1, Time: 150}, {Step: 2, Time: 170}}},
		{RunID: "b"},
		{RunID: "c", Points: []Point{{Step: 7, Time: 9}}},
	}}
	var got []string
	var xs []int64
	rows := res.Rows()
	for rows.Next() {
		got = append(got, rows.At().Curve.RunID)
		xs = append(xs, rows.At().X)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.False(t, rows.Next())
	require.Equal(t, []string{"a", "a", "c"}, got)
	require.Equal(t, []int64{50, 70, 9}, xs)

	runs := &Result{Kind: KindRuns, Runs: []RunRow{{Run: Run{ID: "x"}}, {Run: Run{ID: "y"}}}}
	rows = runs.Rows()
	got = nil
	for rows.Next() {
		got = append(got, rows.At().Run.ID)
	}
	require.Equal(t, []string{"x", "y"}, got)
	require.False(t, (&Result{Kind: KindAggregate}).Rows().Next())
}
