package mlflow

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/importer/testutil"
)

func importPath(t testing.TB, db *engine.DB, path string) (sink.Stats, []error) {
	t.Helper()
	var warns []error
	s := sink.New(db, false, func(err error) { warns = append(warns, err) })
	require.NoError(t, Import(s, path, nil))
	require.NoError(t, s.Flush())
	return s.Stats(), warns
}

func TestRealMLflow2(t *testing.T) {
	root := filepath.Join(testutil.RealData(t, "mlruns"), "16aryan__MLFlow", "mlruns")
	db := testutil.OpenDB(t)
	st, warns := importPath(t, db, root)
	require.Empty(t, warns)
	require.Equal(t, 7, st.RunsCreated)
	require.Equal(t, int64(21), st.Points)

	runs, err := db.Runs()
	require.NoError(t, err)
	require.Len(t, runs, 7)
	status := map[engine.Status]int{}
	for _, r := range runs {
		status[r.Status]++
		require.Equal(t, "Default", r.Experiment)
		require.Equal(t, r.Tags["mlflow.runName"], r.Name)
		if r.Status == engine.StatusRunning {
			require.Zero(t, r.EndTime, "end_time: null")
		}
		series, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		require.Len(t, series, 3)
	}
	require.Equal(t, map[engine.Status]int{engine.StatusFinished: 3, engine.StatusRunning: 4}, status)

	r, err := db.Run("0d8653353e3e43beb89442a8bca1a94d")
	require.NoError(t, err)
	require.Equal(t, "wise-roo-476", r.Name)
	require.Equal(t, int64(1748257990910), r.StartTime)
	require.Equal(t, int64(1748257992525), r.EndTime)
	require.Equal(t, engine.FloatValue(0.1), r.Params["alpha"])
	require.Equal(t, engine.FloatValue(0.6), r.Params["l1_ratio"])
	require.NotContains(t, r.Tags, ParamTextTag+"alpha")
	require.True(t, strings.HasPrefix(r.Tags["mlflow.log-model.history"], `[{"run_id": "0d8653353e3e43beb89442a8bca1a94d"`))
	pts := testutil.Points(t, db, r.ID, "mae", nil)
	require.Equal(t, []engine.Point{{Step: 0, Time: 1748257990918, Value: 0.5627373693033669}}, pts)

	st2, _ := importPath(t, db, root)
	require.Equal(t, 7, st2.RunsUnchanged)
	require.Zero(t, st2.Points)
}

func write(t testing.TB, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

const runID1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// fixture writes an mlruns tree covering what the real files do not.
func fixture(t testing.TB) string {
	root := filepath.Join(t.TempDir(), "mlruns")
	write(t, filepath.Join(root, "1", "meta.yaml"), "artifact_location: /x\nexperiment_id: 1\nlifecycle_stage: active\nname: cifar\n")
	run := filepath.Join(root, "1", runID1)
	// MLflow 1.x: run_uuid, name, string status.
	write(t, filepath.Join(run, "meta.yaml"), "artifact_uri: /x\nend_time: 1700000009000\nexperiment_id: 1\nlifecycle_stage: active\nname: old-name\nrun_uuid: "+runID1+"\nsource_type: 4\nstart_time: 1700000000000\nstatus: 4\ntags: []\nuser_id: me\n")
	write(t, filepath.Join(run, "params", "lr"), "1e-5")
	write(t, filepath.Join(run, "params", "epochs"), "10")
	write(t, filepath.Join(run, "params", "nested", "opt"), "adam")
	write(t, filepath.Join(run, "params", "amp"), "True")
	write(t, filepath.Join(run, "tags", "mlflow.note.content"), "line one\nline two\n")
	write(t, filepath.Join(run, "tags", "json"), `{"a": [1, 2]}`)
	write(t, filepath.Join(run, "metrics", "loss"), "1700000001000 2.5 0\n1700000002000 nan 1\n1700000003000 inf 2\n1700000003000 -inf 2\n")
	write(t, filepath.Join(run, "metrics", "val", "acc"), "1700000001000 0.5\n1700000002000 0.75\n")
	// A dataset input (MLflow 2.4+), and another kind of input.
	write(t, filepath.Join(root, "1", "datasets", "d1", "meta.yaml"), "name: cifar10\ndigest: 4ac5f1b2\nsource_type: local\nsource: '{\"uri\": \"/data\"}'\nschema: ''\nprofile: ''\n")
	write(t, filepath.Join(run, "inputs", "i1", "meta.yaml"), "source_type: DATASET\nsource_id: d1\ndestination_type: RUN\ndestination_id: d1\ntags:\n  mlflow.data.context: training\n")
	write(t, filepath.Join(run, "inputs", "i2", "meta.yaml"), "source_type: MODEL\nsource_id: m1\n")
	// A deleted run, a stray mlruns, .trash and models/ are not imported.
	write(t, filepath.Join(root, "1", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "meta.yaml"), "experiment_id: '1'\nlifecycle_stage: deleted\nrun_id: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\nstatus: 3\nstart_time: 1\nend_time: 2\n")
	write(t, filepath.Join(root, "1", "mlruns", "0", "meta.yaml"), "experiment_id: '0'\nname: stray\n")
	write(t, filepath.Join(root, ".trash", "2", "meta.yaml"), "experiment_id: '2'\nname: gone\n")
	write(t, filepath.Join(root, "models", "m", "meta.yaml"), "name: m\n")
	return root
}

func TestFixture(t *testing.T) {
	root := fixture(t)
	db := testutil.OpenDB(t)
	st, warns := importPath(t, db, root)
	require.Empty(t, warns)
	require.Equal(t, 1, st.RunsCreated)
	require.Equal(t, int64(1), st.Skipped, "the deleted run")
	require.Equal(t, int64(6), st.Points)

	r, err := db.Run(runID1)
	require.NoError(t, err)
	require.Equal(t, "cifar", r.Experiment)
	require.Equal(t, "old-name", r.Name)
	require.Equal(t, engine.StatusFailed, r.Status)
	require.Equal(t, engine.FloatValue(1e-5), r.Params["lr"])
	require.Equal(t, "1e-5", r.Tags[ParamTextTag+"lr"])
	require.Equal(t, engine.IntValue(10), r.Params["epochs"])
	require.Equal(t, engine.StringValue("adam"), r.Params["nested/opt"])
	require.Equal(t, engine.BoolValue(true), r.Params["amp"])
	require.NotContains(t, r.Tags, ParamTextTag+"amp")
	require.Equal(t, "line one\nline two\n", r.Tags["mlflow.note.content"])
	require.Equal(t, `{"a": [1, 2]}`, r.Tags["json"])
	require.Equal(t, []engine.Dataset{{Name: "cifar10", Digest: "4ac5f1b2", Context: "training"}}, r.Datasets)

	loss := testutil.Points(t, db, runID1, "loss", nil)
	require.Len(t, loss, 4)
	require.True(t, math.IsNaN(loss[1].Value))
	require.True(t, math.IsInf(loss[2].Value, 1))
	require.True(t, math.IsInf(loss[3].Value, -1), "a repeated step keeps both points")
	acc := testutil.Points(t, db, runID1, "val/acc", nil)
	require.Equal(t, []engine.Point{{Step: 0, Time: 1700000001000, Value: 0.5}, {Step: 0, Time: 1700000002000, Value: 0.75}}, acc)

	// The source grows: only the new line is added.
	f, err := os.OpenFile(filepath.Join(root, "1", runID1, "metrics", "loss"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("1700000004000 0.5 3\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	st2, warns := importPath(t, db, root)
	require.Empty(t, warns)
	require.Equal(t, 1, st2.RunsUpdated)
	require.Equal(t, int64(1), st2.Points)
	require.Equal(t, int64(6), st2.Duplicates)
	require.Len(t, testutil.Points(t, db, runID1, "loss", nil), 5)

	// One run directory alone.
	db2 := testutil.OpenDB(t)
	st3, _ := importPath(t, db2, filepath.Join(root, "1", runID1))
	require.Equal(t, 1, st3.RunsCreated)
	r2, err := db2.Run(runID1)
	require.NoError(t, err)
	require.Equal(t, "cifar", r2.Experiment)
}

func TestBadMetricLines(t *testing.T) {
	root := fixture(t)
	write(t, filepath.Join(root, "1", runID1, "metrics", "bad"), "1 2 3\nx 1 2\n1 y 2\n1 2 z\n1\n1 2 3 4\n5 6 7\n")
	db := testutil.OpenDB(t)
	st, warns := importPath(t, db, root)
	require.Len(t, warns, 5)
	for i, w := range warns {
		require.ErrorIs(t, w, ErrMetricLine)
		require.Contains(t, w.Error(), fmt.Sprintf("bad:%d:", i+2))
	}
	require.Equal(t, int64(8), st.Points)

	s := sink.New(testutil.OpenDB(t), true, nil)
	require.ErrorIs(t, Import(s, root, nil), ErrMetricLine)
}

func TestTypedParam(t *testing.T) {
	for _, c := range []struct {
		text string
		v    any
		keep bool
	}{
		{"0.1", 0.1, false}, {"1.0", 1.0, false}, {"0.10", 0.1, true}, {"10", int64(10), false},
		{"007", int64(7), true}, {"-3", int64(-3), false}, {"True", true, false}, {"false", false, true},
		{"adam", "adam", false}, {"None", "None", false}, {"0x10", "0x10", false}, {"1_000", "1_000", false},
		{"[1, 2]", "[1, 2]", false}, {"", "", false}, {"1e-05", 1e-5, false},
	} {
		v, keep := TypedParam(c.text)
		require.Equal(t, c.v, v, c.text)
		require.Equal(t, c.keep, keep, c.text)
	}
}

// BenchmarkImport measures points/s of an mlruns tree: 20 runs of 10
// metrics of 5,000 steps.
func BenchmarkImport(b *testing.B) {
	root := filepath.Join(b.TempDir(), "mlruns")
	write(b, filepath.Join(root, "0", "meta.yaml"), "experiment_id: '0'\nname: Default\n")
	var points int64
	for r := range 20 {
		id := fmt.Sprintf("%032x", r+1)
		dir := filepath.Join(root, "0", id)
		write(b, filepath.Join(dir, "meta.yaml"), "run_id: "+id+"\nexperiment_id: '0'\nstatus: 3\nstart_time: 1700000000000\nend_time: 1700000900000\nlifecycle_stage: active\n")
		for m := range 10 {
			var sb strings.Builder
			for step := range 5000 {
				fmt.Fprintf(&sb, "%d %v %d\n", 1700000000000+int64(step)*100, float64(float32(math.Exp(-float64(step)/500)+float64(m))), step)
				points++
			}
			write(b, filepath.Join(dir, "metrics", fmt.Sprintf("m%d", m)), sb.String())
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		db, err := engine.Open(b.TempDir(), nil)
		require.NoError(b, err)
		s := sink.New(db, false, nil)
		require.NoError(b, Import(s, root, nil))
		require.NoError(b, s.Flush())
		require.NoError(b, db.Close())
	}
	b.ReportMetric(float64(points)*float64(b.N)/b.Elapsed().Seconds(), "points/s")
}
