package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// demoScale keeps the demo's test runs at 400 steps per run.
const demoScale = "0.01"

func TestDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	res := trackdb(t, nil, "demo", "--dir", dir, "--scale", demoScale)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Empty(t, res.stderr)
	out := res.stdout
	require.Contains(t, out, "a simulated hyperparameter sweep of 32 runs")
	require.Regexp(t, `ingested +[0-9,]+ points in .* by 32 goroutines: .* points/s`, out)
	require.Regexp(t, `reopened +in .*: replayed [0-9,]+ WAL records \([0-9,]+ points\)`, out)
	require.Contains(t, out, "Best 5 of 32 runs by final val acc")
	require.Regexp(t, `(?m)^RANK +RUN +BATCH_SIZE +LR +OPTIMIZER +SCHEDULE +SEED +VAL ACC +VAL LOSS +STATUS$`, out)
	rows := regexp.MustCompile(`(?m)^[1-5] +run-\d\d +(64|256) +0\.\d+ +(sgd|adam) +(step|cosine) +[01] +0\.\d{4} +\d\.\d{4} +finished$`).FindAllString(out, -1)
	require.Len(t, rows, 5, out)
	require.Contains(t, out, "2 runs diverged (loss went to Inf, then NaN) and were marked failed: run-16, run-17")
	require.Contains(t, out, "trackdb runs --dir "+dir)
	require.Contains(t, out, "trackdb dump --dir "+dir+" --run run-")

	// The store is there for the other commands to read.
	res = trackdb(t, nil, "runs", "--dir", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, 33, strings.Count(res.stdout, "\n"))
	require.Equal(t, 2, strings.Count(res.stdout, " failed "))
	res = trackdb(t, nil, "dump", "--dir", dir, "--run", "run-16", "--metric", "loss")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stdout, `"value":"Infinity"`)
	require.Contains(t, res.stdout, `"value":"NaN"`)

	// A second demo into the same store would mix two sweeps: refused.
	res = trackdb(t, nil, "demo", "--dir", dir, "--scale", demoScale)
	require.Equal(t, exitError, res.code)
	require.Contains(t, res.stderr, "trackdb demo: "+dir+" already holds 32 runs")
}

func TestDemoDefaultDirectory(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	res := trackdb(t, nil, "demo", "--scale", demoScale, "--top", "3")
	require.Equal(t, exitOK, res.code, res.stderr)
	m := regexp.MustCompile(`(?m)^  store +(\S+)$`).FindStringSubmatch(res.stdout)
	require.NotNil(t, m, res.stdout)
	require.Equal(t, tmp, filepath.Dir(m[1]))
	require.True(t, strings.HasPrefix(filepath.Base(m[1]), "trackdb-demo-"))
	require.FileExists(t, filepath.Join(m[1], "TRACKDB"))
	require.Contains(t, res.stdout, "Best 3 of 32 runs")
}

func TestDemoRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notes, []byte("mine"), 0o644))
	res := trackdb(t, nil, "demo", "--dir", dir, "--scale", demoScale)
	require.Equal(t, exitError, res.code)
	require.Contains(t, res.stderr, "trackdb demo: "+dir+" is not a trackdb store")
	require.Empty(t, res.stdout)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "nothing written next to the foreign file")
	b, err := os.ReadFile(notes)
	require.NoError(t, err)
	require.Equal(t, "mine", string(b))
}
