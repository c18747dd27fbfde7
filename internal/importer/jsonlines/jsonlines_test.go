package jsonlines

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/importer/testutil"
	"github.com/trackdb/trackdb/internal/jsonl"
)

func importFile(t *testing.T, db *engine.DB, path string, strict bool) (sink.Stats, []error, error) {
	t.Helper()
	var warns []error
	s := sink.New(db, strict, func(err error) { warns = append(warns, err) })
	err := Import(s, path, nil)
	require.NoError(t, s.Flush())
	return s.Stats(), warns, err
}

func TestLinesWarningsAndUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(`{"run":"r1","experiment":"e","params":{"lr":0.1},"datasets":[{"name":"mnist"}]}
{"run":"r1","step":0,"time":5,"metrics":{"loss":1.5}}
{"run":"r1","step":1,"time":6,"metrics":{"loss":
{"run":"r1","step":1,"time":6,"metrics":{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx":1}}

{"run":"r2","step":3,"time":7,"context":{"subset":"val"},"metrics":{"acc":0.5}}
{"run":"r1","status":"FINISHED","end_time":10}
`), 0o644))
	db := testutil.OpenDB(t)
	st, warns, err := importFile(t, db, path, false)
	require.NoError(t, err)
	require.Len(t, warns, 2)
	require.ErrorIs(t, warns[0], jsonl.ErrField)
	require.Contains(t, warns[0].Error(), "in.jsonl:3: column")
	require.ErrorIs(t, warns[1], engine.ErrInvalidMetric)
	require.Equal(t, int64(2), st.Points)
	require.Equal(t, 2, st.RunsCreated)
	require.Equal(t, int64(1+1), st.Skipped, "the bad line, the bad metric")
	r, err := db.Run("r1")
	require.NoError(t, err)
	require.Equal(t, engine.StatusFinished, r.Status)
	require.Equal(t, int64(10), r.EndTime)
	require.Equal(t, "e", r.Experiment)
	require.Equal(t, []engine.Dataset{{Name: "mnist"}}, r.Datasets)
	require.Equal(t, int64(7), testutil.Points(t, db, "r2", "acc", engine.Context{"subset": "val"})[0].Time)

	// Unchanged: nothing; grown: only the new point.
	st, _, err = importFile(t, db, path, false)
	require.NoError(t, err)
	require.Equal(t, 2, st.RunsUnchanged)
	require.Zero(t, st.Points)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"run":"r1","step":2,"time":8,"metrics":{"loss":0.5}}` + "\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	st, _, err = importFile(t, db, path, false)
	require.NoError(t, err)
	require.Equal(t, int64(1), st.Points)
	require.Equal(t, int64(2), st.Duplicates)
	require.Len(t, testutil.Points(t, db, "r1", "loss", nil), 2)

	_, _, err = importFile(t, testutil.OpenDB(t), path, true)
	require.ErrorIs(t, err, sink.ErrStrict)
	require.ErrorIs(t, err, jsonl.ErrField)
}
