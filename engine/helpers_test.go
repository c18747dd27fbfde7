package engine

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// openMem opens a store on an in-memory filesystem. The cleanup closes it
// after a full consistency check, unless the test closed it already.
func openMem(t testing.TB, fs *vfs.MemFS, opts *Options) *DB {
	t.Helper()
	o := Options{}
	if opts != nil {
		o = *opts
	}
	o.FS = fs
	db, err := Open("/db", &o)
	require.NoError(t, err)
	t.Cleanup(func() {
		db.mu.RLock()
		closed := db.mu.closed
		db.mu.RUnlock()
		if !closed {
			checkConsistent(t, db)
			require.NoError(t, db.Close())
		}
	})
	return db
}

// checkConsistent reads every series of every run and checks it against its
// summary: counts match, steps come sorted, summary bounds hold.
func checkConsistent(t testing.TB, db *DB) {
	t.Helper()
	runs, err := db.Runs()
	require.NoError(t, err)
	for _, r := range runs {
		series, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		for _, s := range series {
			pts := readAll(t, db, s.Ref)
			require.Equal(t, s.Summary.Count, int64(len(pts)), "run %s metric %s", r.ID, s.Metric)
			for i := 1; i < len(pts); i++ {
				require.LessOrEqual(t, pts[i-1].Step, pts[i].Step)
			}
			if len(pts) > 0 {
				require.Equal(t, pts[0].Step, s.Summary.FirstStep)
				require.Equal(t, pts[len(pts)-1].Step, s.Summary.LastStep)
			}
			for _, p := range pts {
				if !math.IsNaN(p.Value) {
					require.GreaterOrEqual(t, p.Value, s.Summary.Min)
					require.LessOrEqual(t, p.Value, s.Summary.Max)
				}
			}
		}
	}
}

func readAll(t testing.TB, db *DB, ref SeriesRef) []Point {
	t.Helper()
	return readRange(t, db, ref, MinStep, MaxStep)
}

func readRange(t testing.TB, db *DB, ref SeriesRef, lo, hi int64) []Point {
	t.Helper()
	it, err := db.Points(ref, lo, hi)
	require.NoError(t, err)
	defer it.Close()
	var out []Point
	for it.Next() {
		out = append(out, it.At())
	}
	require.NoError(t, it.Err())
	return out
}

func mustRef(t testing.TB, db *DB, run, metric string, ctx Context) SeriesRef {
	t.Helper()
	s, err := db.LookupSeries(run, metric, ctx)
	require.NoError(t, err)
	return s.Ref
}

// samePoints compares points bit-exactly, NaN payloads and -0 included.
func samePoints(t testing.TB, want, got []Point) {
	t.Helper()
	require.Equal(t, len(want), len(got))
	for i := range want {
		require.Equal(t, want[i].Step, got[i].Step, "point %d", i)
		require.Equal(t, want[i].Time, got[i].Time, "point %d", i)
		require.Equal(t, math.Float64bits(want[i].Value), math.Float64bits(got[i].Value), "point %d", i)
	}
}
