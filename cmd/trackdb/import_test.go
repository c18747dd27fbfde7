package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// realData returns ../shared/realdata from the project root, or skips.
func realData(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "realdata"))
	require.NoError(t, err)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real tracker files not found at %s (see shared/realdata/README.md)", dir)
	}
	return dir
}

func TestImportRealData(t *testing.T) {
	rd := realData(t)
	dir := filepath.Join(t.TempDir(), "store")
	paths := []string{
		filepath.Join(rd, "tfevents"),
		filepath.Join(rd, "mlruns", "16aryan__MLFlow", "mlruns"),
		filepath.Join(rd, "sacred", "manuel-rhdt__ml-pws", "runs"),
	}
	r := runOK(t, append([]string{"import", "--dir", dir}, paths...)...)
	require.Contains(t, r.stderr, "imported 22 runs (22 new, 0 updated, 0 unchanged), 4,042 points")
	require.Contains(t, r.stderr, " 0 warnings")
	require.NotContains(t, r.stderr, "warning:")
	require.NotContains(t, r.stderr, "\r", "no progress bar when stderr is not a terminal")
	r = runOK(t, append([]string{"import", "--dir", dir}, paths...)...)
	require.Contains(t, r.stderr, "imported 22 runs (0 new, 0 updated, 22 unchanged), 0 points")

	// Damaged event files are warnings, or with --strict the error.
	edge := filepath.Join(rd, "tensorboard_edge_cases")
	r = runOK(t, "import", "--dir", filepath.Join(t.TempDir(), "s"), edge)
	require.Contains(t, r.stderr, "warning: "+filepath.Join(edge, "real_strict_run_1_corrupt_record_50.tfevents")+": offset 2413: trackdb/tfevents: data checksum mismatch")
	r = trackdb(t, nil, "import", "--strict", "--dir", filepath.Join(t.TempDir(), "s"), edge)
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.stderr, "strict import stopped")
}

func TestImportUsage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	r := trackdb(t, nil, "import", "--dir", dir)
	require.Equal(t, exitUsage, r.code)
	r = trackdb(t, nil, "import", "--dir", dir, "--from", "wandb", "x")
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.stderr, "want one of tfevents, mlflow, sacred, jsonl, csv")
	unknown := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(unknown, []byte("hello"), 0o644))
	r = trackdb(t, nil, "import", "--dir", dir, unknown)
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.stderr, "use --from")
	_, err := os.Stat(dir)
	require.True(t, os.IsNotExist(err), "nothing is written when a path is wrong")
	r = runOK(t, "help", "import")
	require.Contains(t, r.stdout, "Usage: trackdb import [flags] PATH...")
	require.Contains(t, r.stdout, "--from format")
}

func TestImportCSVShapes(t *testing.T) {
	tmp := t.TempDir()
	wide := filepath.Join(tmp, "wide.csv")
	require.NoError(t, os.WriteFile(wide, []byte("run,step,time,loss,acc\nr1,0,1000,2.5,\nr1,1,2000,NaN,0.5\nr2,0,1000,-inf,1\nr1,x,1,1,1\n"), 0o644))
	long := filepath.Join(tmp, "long.csv")
	require.NoError(t, os.WriteFile(long, []byte("run,metric,step,time,value,context\nr3,loss,0,5,1.5,\nr3,acc,0,5,0.25,\"{\"\"subset\"\":\"\"val\"\"}\"\n"), 0o644))
	dir := filepath.Join(tmp, "store")
	r := runOK(t, "import", "--dir", dir, wide, long)
	require.Contains(t, r.stderr, "wide.csv:5: column 4: trackdb/csv: bad row")
	require.Contains(t, r.stderr, " 7 points")
	out := runOK(t, "dump", "--dir", dir, "--run", "r3").stdout
	require.Equal(t, `{"run":"r3","metric":"acc","context":{"subset":"val"},"step":0,"time":5,"value":0.25}
{"run":"r3","metric":"loss","step":0,"time":5,"value":1.5}
`, out)
	out = runOK(t, "dump", "--dir", dir, "--run", "r1").stdout
	require.Equal(t, 3, strings.Count(out, "\n"))
	require.Contains(t, out, `"value":"NaN"`)
}
