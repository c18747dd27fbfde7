package csvfile

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

func importText(t *testing.T, db *engine.DB, text string) (sink.Stats, []error, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.csv")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	var warns []error
	s := sink.New(db, false, func(err error) { warns = append(warns, err) })
	err := Import(s, path, nil)
	require.NoError(t, s.Flush())
	return s.Stats(), warns, err
}

func TestHeaders(t *testing.T) {
	for _, h := range []string{"step,loss\n", "run,loss\n", "run,step\n", "run,step,metric\n", "run,step,context,loss\n"} {
		_, _, err := importText(t, testutil.OpenDB(t), h+"r,1,2\n")
		require.ErrorIs(t, err, ErrHeader, h)
		require.Contains(t, err.Error(), "in.csv:1:")
	}
	_, _, err := importText(t, testutil.OpenDB(t), "")
	require.NoError(t, err, "an empty file imports nothing")
}

func TestWideAndLong(t *testing.T) {
	db := testutil.OpenDB(t)
	st, warns, err := importText(t, db, "\ufeffRun,Step,Time,loss\nr1,0,,1.5\nr1,1.0,10,-Infinity\nr1,2,11,abc\nr1,3\n")
	require.NoError(t, err)
	require.Len(t, warns, 1)
	require.ErrorIs(t, warns[0], ErrRow)
	require.Contains(t, warns[0].Error(), "in.csv:4: column 9:")
	require.Equal(t, int64(2), st.Points)
	pts := testutil.Points(t, db, "r1", "loss", nil)
	require.Equal(t, int64(0), pts[0].Time, "no time is 0, not now")
	require.True(t, math.IsInf(pts[1].Value, -1))

	st, warns, err = importText(t, db, "run,metric,step,value,context\nr2,acc,0,0.5,{}\nr2,acc,1,0.25,\"{\"\"subset\"\":\"\"val\"\"}\"\nr2,acc,2,0.5,[1]\n")
	require.NoError(t, err)
	require.Len(t, warns, 1)
	require.Equal(t, int64(2), st.Points)
	require.Len(t, testutil.Points(t, db, "r2", "acc", engine.Context{"subset": "val"}), 1)
}
