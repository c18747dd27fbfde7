// Package testutil holds what the importer tests share: a store in a
// temporary directory and the path of the real tracker files.
package testutil

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
)

// OpenDB opens a store in a temporary directory, closed at cleanup.
func OpenDB(t testing.TB) *engine.DB {
	t.Helper()
	db, err := engine.Open(t.TempDir(), nil)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, db.Close()) })
	return db
}

// RealData returns ../shared/realdata/<sub> from the project root, or
// skips the test when the folder is absent.
func RealData(t testing.TB, sub string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	dir := filepath.Join(root, "..", "shared", "realdata", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real tracker files not found at %s (see shared/realdata/README.md): %v", dir, err)
	}
	return dir
}

// Points reads every point of a run's series (metric, ctx).
func Points(t testing.TB, db *engine.DB, run, metric string, ctx engine.Context) []engine.Point {
	t.Helper()
	s, err := db.LookupSeries(run, metric, ctx)
	require.NoError(t, err)
	it, err := db.Points(s.Ref, engine.MinStep, engine.MaxStep)
	require.NoError(t, err)
	defer it.Close()
	var out []engine.Point
	for it.Next() {
		out = append(out, it.At())
	}
	require.NoError(t, it.Err())
	return out
}

// TotalPoints counts the points of every series of every run.
func TotalPoints(t testing.TB, db *engine.DB) int64 {
	t.Helper()
	runs, err := db.Runs()
	require.NoError(t, err)
	var n int64
	for _, r := range runs {
		ss, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		for _, s := range ss {
			n += s.Summary.Count
		}
	}
	return n
}

// Float32 widens a float32 literal the way the importers do.
func Float32(x float32) float64 { return float64(x) }

// SameBits reports whether two floats are bit-identical.
func SameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
