package tfevents

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/importer/testutil"
)

func importDir(t *testing.T, db *engine.DB, dir string) (sink.Stats, []error) {
	t.Helper()
	var warns []error
	s := sink.New(db, false, func(err error) { warns = append(warns, err) })
	require.NoError(t, Import(s, dir, nil))
	require.NoError(t, s.Flush())
	return s.Stats(), warns
}

func runByName(t *testing.T, db *engine.DB, name string) engine.RunInfo {
	t.Helper()
	runs, err := db.Runs()
	require.NoError(t, err)
	for _, r := range runs {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no run named %q", name)
	return engine.RunInfo{}
}

func TestRealTensorBoardReducer(t *testing.T) {
	root := filepath.Join(testutil.RealData(t, "tfevents"), "janosh__tensorboard-reducer", "tests", "runs")
	db := testutil.OpenDB(t)
	st, warns := importDir(t, db, root)
	require.Empty(t, warns)
	require.Equal(t, 9, st.RunsCreated)

	// strict: one tag, 100 points at steps 0, 5, ..., 495.
	for _, name := range []string{"strict/run_1", "strict/run_2", "strict/run_3"} {
		r := runByName(t, db, name)
		require.Equal(t, "runs", r.Experiment)
		require.Equal(t, engine.StatusFinished, r.Status)
		series, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		require.Len(t, series, 1)
		require.Equal(t, "strict/foo", series[0].Metric)
		pts := testutil.Points(t, db, r.ID, "strict/foo", nil)
		require.Len(t, pts, 100)
		for i, p := range pts {
			require.Equal(t, int64(5*i), p.Step)
		}
		if name == "strict/run_1" {
			// First and last points as an independent decoder read them.
			require.Equal(t, engine.Point{Step: 0, Time: 1622543341759, Value: 1.4962565898895264}, pts[0])
			require.Equal(t, engine.Point{Step: 495, Time: 1622543341769, Value: 1.212090253829956}, pts[99])
		}
	}
	// lax: lengths 110, 120, 130.
	for i, name := range []string{"lax/run_1", "lax/run_2", "lax/run_3"} {
		r := runByName(t, db, name)
		series, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		require.NotEmpty(t, series)
		var n int64
		for _, s := range series {
			n = max(n, s.Summary.Count)
		}
		require.Equal(t, int64(110+10*i), n, name)
	}
	// duplicate_steps: 210 points, 200 distinct steps, both copies kept.
	for _, name := range []string{"duplicate_steps/run_1", "duplicate_steps/run_2", "duplicate_steps/run_3"} {
		r := runByName(t, db, name)
		series, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		require.Len(t, series, 2)
		for _, s := range series {
			pts := testutil.Points(t, db, r.ID, s.Metric, nil)
			require.Len(t, pts, 210)
			steps := map[int64]int{}
			for _, p := range pts {
				steps[p.Step]++
			}
			require.Len(t, steps, 200)
		}
	}
	t.Logf("%d points", st.Points)

	// A second import of the same logdir adds nothing.
	st2, _ := importDir(t, db, root)
	require.Equal(t, 9, st2.RunsUnchanged)
	require.Zero(t, st2.Points)
	require.Equal(t, st.Points, testutil.TotalPoints(t, db))
}

func TestRealGuildKeras(t *testing.T) {
	dir := filepath.Join(testutil.RealData(t, "tfevents"), "guildai__guildai", "guild", "tests", "samples", "projects", "model-proxies", "logs")
	db := testutil.OpenDB(t)
	st, warns := importDir(t, db, dir)
	require.Empty(t, warns)
	require.Equal(t, 1, st.RunsCreated)
	r := runByName(t, db, "logs")
	series, err := db.SeriesOf(r.ID)
	require.NoError(t, err)
	require.Len(t, series, 4)
	for _, s := range series {
		require.Equal(t, int64(20), s.Summary.Count, s.Metric)
		require.Equal(t, int64(0), s.Summary.FirstStep)
		require.Equal(t, int64(19), s.Summary.LastStep)
	}
	require.Positive(t, st.Skipped, "graph_def and meta_graph events are skipped and counted")
}

func TestRealGuildNoStepNoWallTime(t *testing.T) {
	file := filepath.Join(testutil.RealData(t, "tfevents"), "guildai__guildai", "guild", "tests", "samples", "filter-runs", "fa6f74adb50a4abb8f49840993f081f7", ".guild", "events.out.tfevents.1662041973.calusa.97126.0")
	db := testutil.OpenDB(t)
	st, warns := importDir(t, db, file)
	require.Empty(t, warns)
	require.Equal(t, int64(1), st.Points)
	runs, err := db.Runs()
	require.NoError(t, err)
	require.Len(t, runs, 1)
	series, err := db.SeriesOf(runs[0].ID)
	require.NoError(t, err)
	require.Len(t, series, 1)
	pts := testutil.Points(t, db, runs[0].ID, series[0].Metric, nil)
	require.Equal(t, int64(0), pts[0].Step)
	t.Logf("%s = %v at step %d time %d", series[0].Metric, pts[0].Value, pts[0].Step, pts[0].Time)
}

// TensorBoard appends to the event file of a run that is still training:
// importing it again adds exactly the new events.
func TestGrowingEventFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs", "run")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, "events.out.tfevents.1.host")
	var file []byte
	for step := range 10 {
		file = frame(file, eventBytes(1.7e9+float64(step), int64(step), simpleValue("loss", float32(step))))
	}
	file = frame(file, eventBytes(1.7e9+9, 9, simpleValue("loss", 9))) // a repeated step
	require.NoError(t, os.WriteFile(path, file, 0o644))
	db := testutil.OpenDB(t)
	var progressed int64
	s := sink.New(db, false, nil)
	require.NoError(t, Import(s, filepath.Dir(dir), func(n int64) { progressed += n }))
	require.NoError(t, s.Flush())
	require.Equal(t, int64(11), s.Stats().Points)
	require.Equal(t, int64(len(file)), progressed, "progress adds up to the file's size")

	for step := 10; step < 15; step++ {
		file = frame(file, eventBytes(1.7e9+float64(step), int64(step), simpleValue("loss", float32(step))))
	}
	require.NoError(t, os.WriteFile(path, file, 0o644))
	st, warns := importDir(t, db, filepath.Dir(dir))
	require.Empty(t, warns)
	require.Equal(t, 1, st.RunsUpdated)
	require.Equal(t, int64(5), st.Points)
	require.Equal(t, int64(11), st.Duplicates)
	require.Equal(t, int64(16), testutil.TotalPoints(t, db), "the repeated step is kept once per logging")
}
