package main

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
)

// exportInput covers what a lossless export must carry: every param type,
// statuses and times, contexts, repeated and out-of-order steps, NaN,
// ±Inf, -0 and a subnormal.
const exportInput = `{"run":"r1","experiment":"cifar","name":"lr-0.1","status":"finished","start_time":1700000000000,"end_time":1700000900000,"params":{"lr":0.1,"epochs":10,"one":1.0,"opt":"adam","amp":true,"nested":{"depth":3},"nan":NaN},"tags":{"git":"3f2a","note":"two\nlines"},"datasets":[{"name":"cifar10","digest":"d41d8cd9","context":"training"},{"name":"cifar10-test"}]}
{"run":"r1","step":2,"time":1700000000002,"metrics":{"loss":2.5,"acc":0.1}}
{"run":"r1","step":0,"time":1700000000000,"metrics":{"loss":"NaN","acc":-0}}
{"run":"r1","step":2,"time":1700000000003,"metrics":{"loss":"Infinity"}}
{"run":"r1","step":1,"time":1700000000001,"context":{"subset":"val"},"metrics":{"acc":"-Infinity"}}
{"run":"r2","step":5,"time":1700000000005,"metrics":{"loss":5e-324,"big":1.7976931348623157e308}}
{"run":"r2","status":"running"}
`

func runOK(t *testing.T, args ...string) result {
	t.Helper()
	r := trackdb(t, nil, args...)
	require.Equal(t, exitOK, r.code, "%v: %s", args, r.stderr)
	return r
}

func stripImportTags(runs []engine.RunInfo) []engine.RunInfo {
	for i := range runs {
		delete(runs[i].Tags, sink.TagSource)
		delete(runs[i].Tags, sink.TagDigest)
		for k, v := range runs[i].Params {
			if v.Type == engine.TypeFloat && math.IsNaN(v.Float) {
				// NaN != NaN for require.Equal: compare the bits.
				runs[i].Params[k] = engine.StringValue(fmt.Sprintf("NaN %x", math.Float64bits(v.Float)))
			}
		}
	}
	return runs
}

func readRuns(t *testing.T, dir string) []engine.RunInfo {
	t.Helper()
	db, err := engine.Open(dir, nil)
	require.NoError(t, err)
	defer db.Close()
	runs, err := db.Runs()
	require.NoError(t, err)
	return stripImportTags(runs)
}

func TestExportImportRoundTrip(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	runOK(t, "ingest", "--dir", src, "--quiet", writeFile(t, exportInput))
	want := runOK(t, "dump", "--dir", src).stdout
	require.Equal(t, 8, strings.Count(want, "\n"))

	for _, format := range []string{"jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			out := runOK(t, "export", "--dir", src, "--format", format).stdout
			file := filepath.Join(t.TempDir(), "export."+format)
			require.NoError(t, os.WriteFile(file, []byte(out), 0o644))
			dst := filepath.Join(t.TempDir(), "dst")
			r := runOK(t, "import", "--dir", dst, file)
			require.Contains(t, r.stderr, " 8 points")
			require.Equal(t, want, runOK(t, "dump", "--dir", dst).stdout)
			if format == "jsonl" {
				require.Equal(t, readRuns(t, src), readRuns(t, dst), "runs, params with types, tags")
			}
			// Importing the same file again adds nothing.
			r = runOK(t, "import", "--dir", dst, file)
			require.Contains(t, r.stderr, " 0 points")
			require.Equal(t, want, runOK(t, "dump", "--dir", dst).stdout)
		})
	}
}

func TestExportSelectsRuns(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	runOK(t, "ingest", "--dir", src, "--quiet", writeFile(t, exportInput))
	out := runOK(t, "export", "--dir", src, "--run", "r2").stdout
	require.NotContains(t, out, `"r1"`)
	require.Equal(t, 3, strings.Count(out, "\n"))
	r := trackdb(t, nil, "export", "--dir", src, "--run", "nope")
	require.Equal(t, exitError, r.code)
	r = trackdb(t, nil, "export", "--dir", src, "--format", "xml")
	require.Equal(t, exitUsage, r.code)
}

func TestExportByQuery(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	runOK(t, "ingest", "--dir", src, "--quiet", writeFile(t, exportInput))
	out := runOK(t, "export", "--dir", src, "runs where experiment = 'cifar'").stdout
	require.Contains(t, out, `"run":"r1"`)
	require.NotContains(t, out, `"run":"r2"`)
	out = runOK(t, "export", "--dir", src, "params.lr < 1").stdout
	require.Contains(t, out, `"run":"r1"`)
	require.NotContains(t, out, `"run":"r2"`)
	out = runOK(t, "export", "--dir", src, "status = 'killed'").stdout
	require.Empty(t, out)
	r := trackdb(t, nil, "export", "--dir", src, "runs where = 3")
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.stderr, "^")
	r = trackdb(t, nil, "export", "--dir", src, "series loss")
	require.Equal(t, exitUsage, r.code)
}
