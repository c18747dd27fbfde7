package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/importer/testutil"
)

func TestDetectRealData(t *testing.T) {
	rd := testutil.RealData(t, "")
	for path, want := range map[string]string{
		"tfevents": "tfevents",
		"tfevents/janosh__tensorboard-reducer/tests/runs/strict/run_1/events.out.tfevents.1622543341.janoshs-mbp.lan.86862.0": "tfevents",
		"tensorboard_edge_cases":                                           "tfevents",
		"mlruns/16aryan__MLFlow/mlruns":                                    "mlflow",
		"mlruns/16aryan__MLFlow/mlruns/0":                                  "mlflow",
		"mlruns/16aryan__MLFlow/mlruns/0/0d8653353e3e43beb89442a8bca1a94d": "mlflow",
		"sacred/manuel-rhdt__ml-pws/runs":                                  "sacred",
		"sacred/manuel-rhdt__ml-pws/runs/1":                                "sacred",
	} {
		got, err := Detect(filepath.Join(rd, path))
		require.NoError(t, err, path)
		require.Equal(t, want, got, path)
	}
	require.Positive(t, Size([]string{filepath.Join(rd, "tfevents")}, ""))
}

func TestDetectFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	for path, want := range map[string]string{
		write("a.jsonl", ""):         "jsonl",
		write("b.ndjson", ""):        "jsonl",
		write("c.csv", ""):           "csv",
		write("d.txt", "  {\"run\""): "jsonl",
	} {
		got, err := Detect(path)
		require.NoError(t, err, path)
		require.Equal(t, want, got, path)
	}
	_, err := Detect(write("e.txt", "hello"))
	require.ErrorIs(t, err, ErrUnknownFormat)
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	_, err = Detect(empty)
	require.ErrorIs(t, err, ErrUnknownFormat)
	_, err = Import(nil, []string{empty}, Options{Format: "wandb"})
	require.ErrorIs(t, err, ErrUnknownFormat)
}
