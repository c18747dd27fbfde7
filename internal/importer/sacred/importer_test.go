package sacred

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/importer/testutil"
)

func importPath(t *testing.T, db *engine.DB, path string) (sink.Stats, []error) {
	t.Helper()
	var warns []error
	s := sink.New(db, false, func(err error) { warns = append(warns, err) })
	require.NoError(t, Import(s, path, nil))
	require.NoError(t, s.Flush())
	return s.Stats(), warns
}

func byName(t *testing.T, db *engine.DB) map[string]engine.RunInfo {
	runs, err := db.Runs()
	require.NoError(t, err)
	out := map[string]engine.RunInfo{}
	for _, r := range runs {
		out[r.Name] = r
	}
	return out
}

func TestRealSacred(t *testing.T) {
	root := filepath.Join(testutil.RealData(t, "sacred"), "manuel-rhdt__ml-pws", "runs")
	db := testutil.OpenDB(t)
	st, warns := importPath(t, db, root)
	require.Empty(t, warns)
	require.Equal(t, 4, st.RunsCreated)
	require.Equal(t, int64(400+400+500), st.Points)

	runs := byName(t, db)
	require.Len(t, runs, 4)
	r1 := runs["1"]
	require.Equal(t, "model-size-sweep", r1.Experiment)
	require.Equal(t, engine.StatusFinished, r1.Status)
	require.Equal(t, int64(1707433334620), r1.StartTime, "2024-02-08T23:02:14.620335 as UTC")
	require.Equal(t, int64(1707433392616), r1.EndTime)
	require.Equal(t, engine.IntValue(64), r1.Params["batch_size"])
	require.Equal(t, engine.FloatValue(0.0001), r1.Params["lr"])
	require.Equal(t, engine.StringValue("cuda"), r1.Params["dataset.device"])
	require.Equal(t, engine.StringValue("LSTM"), r1.Params["model"])
	require.Equal(t, "jupyternoteboo.data-driveninfo.src.surf-hosted.nl", r1.Tags["sacred.host.hostname"])
	require.Equal(t, "34c5ea6bebc779115962365252593cd77b67fbec", r1.Tags["sacred.git.commit"])
	require.Equal(t, "true", r1.Tags["sacred.git.dirty"])
	require.Equal(t, "3.12.1", r1.Tags["sacred.host.python_version"])
	pts := testutil.Points(t, db, r1.ID, "training.loss", nil)
	require.Len(t, pts, 400)
	require.Equal(t, int64(1), pts[0].Step)
	require.Equal(t, 0.2630771433830261, pts[0].Value)
	require.Equal(t, -0.6781838181495666, pts[399].Value)

	r3 := runs["3"]
	require.Equal(t, engine.StatusFailed, r3.Status)
	require.NotEmpty(t, r3.Tags["sacred.fail_trace"])
	require.Len(t, testutil.Points(t, db, r3.ID, "training.loss", nil), 400, "a failed run keeps its points")

	r73 := runs["73"]
	require.Equal(t, engine.StatusFailed, r73.Status)
	series, err := db.SeriesOf(r73.ID)
	require.NoError(t, err)
	require.Empty(t, series, "metrics.json is {}")
	require.Equal(t, engine.FloatValue(5.9937672665305074e+26), r73.Params["hidden_size"])
	require.Equal(t, engine.FloatValue(48), r73.Params["layers"])

	r78 := runs["78"]
	require.Equal(t, engine.StatusFinished, r78.Status)
	require.Len(t, testutil.Points(t, db, r78.ID, "training.loss", nil), 500)
	require.NotContains(t, r78.Tags, "sacred.result", "the 82 KB jsonpickle result does not fit a tag")
	require.Equal(t, int64(1), st.Skipped)

	st2, _ := importPath(t, db, root)
	require.Equal(t, 4, st2.RunsUnchanged)
	require.Zero(t, st2.Points)
}

func TestPythonJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "7")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	write := func(name, s string) { require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644)) }
	write("run.json", `{"status": "INTERRUPTED", "start_time": "2024-01-01T00:00:00", "stop_time": "2024-01-01T00:01:00.5+01:00", "experiment": {"name": "e"}, "result": NaN}`)
	write("config.json", `{"a": {"b": [1, 2], "c": null, "d": NaN, "e": "NaN text"}, "f": 1e3}`)
	write("metrics.json", `{"loss": {"steps": [0, 1, 2, 3], "timestamps": ["2024-01-01T00:00:01", "2024-01-01T00:00:02", "bad", "2024-01-01T00:00:04"], "values": [NaN, -Infinity, 1, null]}}`)
	db := testutil.OpenDB(t)
	st, warns := importPath(t, db, dir)
	require.Len(t, warns, 2)
	require.ErrorIs(t, warns[0], ErrTime)
	require.ErrorIs(t, warns[1], ErrMetrics)
	require.Equal(t, int64(2), st.Points)
	r := byName(t, db)["7"]
	require.Equal(t, engine.StatusKilled, r.Status)
	require.Equal(t, int64(1704067200000), r.StartTime)
	require.Equal(t, int64(1704067260500-3600000), r.EndTime)
	require.Equal(t, engine.StringValue("[1,2]"), r.Params["a.b"])
	require.Equal(t, engine.StringValue("null"), r.Params["a.c"])
	require.True(t, math.IsNaN(r.Params["a.d"].Float))
	require.Equal(t, engine.StringValue("NaN text"), r.Params["a.e"])
	require.Equal(t, engine.FloatValue(1000), r.Params["f"])
	require.Equal(t, `"NaN"`, r.Tags["sacred.result"])
	pts := testutil.Points(t, db, r.ID, "loss", nil)
	require.True(t, math.IsNaN(pts[0].Value))
	require.True(t, math.IsInf(pts[1].Value, -1))
}
