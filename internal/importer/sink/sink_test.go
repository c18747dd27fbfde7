package sink_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/importer/testutil"
)

// load imports points (step, value) into run r1 from a source with the
// given digest and returns the stats and warnings.
func load(t *testing.T, db *engine.DB, digest string, params map[string]any, points ...float64) (sink.Stats, []error) {
	t.Helper()
	var warns []error
	s := sink.New(db, false, func(err error) { warns = append(warns, err) })
	r, err := s.Begin(sink.Source{Format: "test", Path: "/src", Digest: digest}, engine.RunSpec{ID: "r1", Params: params})
	require.NoError(t, err)
	for i := 0; i+1 < len(points); i += 2 {
		require.NoError(t, r.Add("loss", nil, int64(points[i]), 1000, points[i+1]))
	}
	require.NoError(t, r.Add(strings.Repeat("m", 300), nil, 0, 0, 1)) // refused: a warning
	require.NoError(t, r.Finish())
	return s.Stats(), warns
}

func TestDedupeIsAMultiset(t *testing.T) {
	db := testutil.OpenDB(t)
	nan := math.NaN()
	st, warns := load(t, db, "d1", map[string]any{"lr": 0.1}, 0, 1, 0, 1, 1, nan)
	require.Equal(t, int64(3), st.Points, "a point logged twice is stored twice")
	require.Len(t, warns, 1)
	require.ErrorIs(t, warns[0], engine.ErrInvalidMetric)
	require.Contains(t, warns[0].Error(), "/src: run \"r1\"")
	require.Equal(t, int64(1), st.Skipped)

	st, _ = load(t, db, "d1", nil, 0, 1, 0, 1, 1, nan)
	require.Equal(t, 1, st.RunsUnchanged)
	require.Zero(t, st.Points)

	// The source grew by one more copy of (0, 1) and a new point; the NaN
	// matches by its bits.
	st, warns = load(t, db, "d2", map[string]any{"lr": 0.2}, 0, 1, 0, 1, 0, 1, 1, nan, 2, 3)
	require.Equal(t, 1, st.RunsUpdated)
	require.Equal(t, int64(2), st.Points)
	require.Equal(t, int64(3), st.Duplicates)
	require.Len(t, warns, 2, "the param conflict and the refused metric")
	require.ErrorIs(t, warns[0], engine.ErrParamConflict)
	pts := testutil.Points(t, db, "r1", "loss", nil)
	require.Len(t, pts, 5)
	r, err := db.Run("r1")
	require.NoError(t, err)
	require.Equal(t, "d2", r.Tags[sink.TagDigest])
	require.Equal(t, "test:/src", r.Tags[sink.TagSource])
	require.Equal(t, engine.FloatValue(0.1), r.Params["lr"], "the stored param stays")
}

func TestStrictWarnStops(t *testing.T) {
	s := sink.New(testutil.OpenDB(t), true, nil)
	err := s.Warn(sink.AtLine("f.csv", 3, engine.ErrInvalidMetric))
	require.ErrorIs(t, err, sink.ErrStrict)
	require.ErrorIs(t, err, engine.ErrInvalidMetric)
	require.Contains(t, err.Error(), "f.csv:3:")
	require.Equal(t, 1, s.Stats().Warnings)
}

func TestFingerprintAndRunID(t *testing.T) {
	dir := t.TempDir()
	_, err := sink.Fingerprint([]string{dir + "/missing"})
	require.Error(t, err)
	a, err := sink.Fingerprint([]string{dir})
	require.NoError(t, err)
	b, err := sink.Fingerprint([]string{dir})
	require.NoError(t, err)
	require.Equal(t, a, b)
	require.Len(t, sink.RunID("x"), 32)
	require.NoError(t, engine.ValidateRunID(sink.RunID("tfevents:/a/b")))
	require.NotEqual(t, sink.RunID("a"), sink.RunID("b"))
}
