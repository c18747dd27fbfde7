package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCompactStatsVerify(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	var in strings.Builder
	in.WriteString(`{"run":"r1","params":{"lr":0.1}}` + "\n")
	for s := 0; s < 500; s++ {
		in.WriteString(`{"run":"r1","step":` + strconv.Itoa(s) + `,"time":` + strconv.Itoa(1000+s) + `,"metrics":{"loss":0.5,"acc":0.25}}` + "\n")
	}
	r := trackdb(t, strings.NewReader(in.String()), "ingest", "--dir", dir, "--quiet")
	require.Equal(t, exitOK, r.code, r.stderr)
	before := trackdb(t, nil, "dump", "--dir", dir)
	require.Equal(t, exitOK, before.code, before.stderr)

	r = trackdb(t, nil, "compact", "--dir", dir)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "1 block(s)")

	r = trackdb(t, nil, "stats", "--dir", dir)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "points   1000 (0 since the last compaction)")
	require.Contains(t, r.stdout, "blocks   1")

	after := trackdb(t, nil, "dump", "--dir", dir)
	require.Equal(t, before.stdout, after.stdout, "compaction changes no point")

	r = trackdb(t, nil, "verify", "--dir", dir)
	require.Equal(t, exitOK, r.code, r.stdout+r.stderr)
	require.Contains(t, r.stdout, "1000 points")
	require.True(t, strings.HasSuffix(strings.TrimSpace(r.stdout), "ok"))

	// A flipped byte in the block's chunks is found and named.
	blocks, err := os.ReadDir(filepath.Join(dir, "blocks"))
	require.NoError(t, err)
	require.Len(t, blocks, 1)
	chunks := filepath.Join(dir, "blocks", blocks[0].Name(), "chunks")
	b, err := os.ReadFile(chunks)
	require.NoError(t, err)
	b[len(b)/2] ^= 0x20
	require.NoError(t, os.WriteFile(chunks, b, 0o644))
	r = trackdb(t, nil, "verify", "--dir", dir)
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.stdout, "problem: "+chunks+" at offset")
}

func TestRunsCSVAndDirFromEnvironment(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	t.Setenv(dirEnv, dir)
	in := `{"run":"a","experiment":"e","params":{"lr":0.1},"tags":{"k":"v,1"},"start_time":5}
{"run":"b","params":{"layers":50},"start_time":6}
`
	r := trackdb(t, strings.NewReader(in), "ingest", "--quiet")
	require.Equal(t, exitOK, r.code, r.stderr)
	r = trackdb(t, nil, "runs", "--format", "csv")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "run_id,experiment,name,status,start_time,end_time,params.layers,params.lr,tags.k\n"+
		"a,e,,running,5,,,0.1,\"v,1\"\n"+
		"b,,,running,6,,50,,\n", r.stdout)
}

func TestStatsFormats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	r := trackdb(t, strings.NewReader(`{"run":"a","step":1,"time":2,"metrics":{"m":1}}`+"\n"), "ingest", "--dir", dir, "--quiet")
	require.Equal(t, exitOK, r.code, r.stderr)
	r = trackdb(t, nil, "stats", "--dir", dir, "--format", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.True(t, json.Valid([]byte(r.stdout)), r.stdout)
	require.Contains(t, r.stdout, `"points":1`)
	r = trackdb(t, nil, "stats", "--dir", dir, "--format", "csv")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "figure,value\nruns,1\n")
}
