package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/jsonl"
)

// point is one dumped point, parsed back.
type point struct {
	run, metric, ctx string
	step, time       int64
	bits             uint64
}

// parseDump reads dump output with the interchange parser.
func parseDump(t *testing.T, out string) []point {
	t.Helper()
	var p jsonl.Parser
	var l jsonl.Line
	var pts []point
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		require.NoError(t, p.Parse([]byte(line), &l), "dump line %d: %s", i+1, line)
		require.Equal(t, jsonl.KindPoints, l.Kind)
		require.True(t, l.Has(jsonl.FieldTime), "dump writes the time")
		require.Len(t, l.Metrics, 1)
		for m, v := range l.Metrics {
			pts = append(pts, point{l.Run, m, engine.Context(l.Context).String(), l.Step, l.Time, math.Float64bits(v)})
		}
	}
	return pts
}

// valueLiteral writes v the way a Python producer would: bare NaN and
// infinities, shortest repr otherwise (not through jsonl, so that the
// test does not check the package against itself).
func valueLiteral(v float64, r *rand.Rand) string {
	switch {
	case math.IsNaN(v):
		return []string{"NaN", `"NaN"`, `"nan"`}[r.IntN(3)]
	case math.IsInf(v, 1):
		return []string{"Infinity", `"Infinity"`, `"inf"`}[r.IntN(3)]
	case math.IsInf(v, -1):
		return []string{"-Infinity", `"-Infinity"`, `"-inf"`}[r.IntN(3)]
	}
	return strconv.FormatFloat(v, []byte{'g', 'e', 'f'}[r.IntN(3)], -1, 64)
}

// TestIngestDumpRoundTrip ingests points with awkward values and step
// orders and checks that dump returns every value bit for bit, ordered by
// run, metric, context and step, with ties in ingest order.
func TestIngestDumpRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0,
		math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64, 1e21, 2.31, float64(float32(0.1))}
	value := func(i int) float64 {
		switch i % 4 {
		case 0:
			return special[r.IntN(len(special))]
		case 1:
			return float64(float32(r.NormFloat64())) // widened float32
		case 2:
			return math.Float64frombits(r.Uint64()) // any bits
		}
		return float64(r.IntN(10001)) / 10000
	}

	type key struct{ run, metric, ctx string }
	want := map[key][]point{}
	var in strings.Builder
	runs := []string{"b-run", "a-run", "c-run"}
	contexts := []map[string]string{nil, {"subset": "val"}, {"subset": "train", "fold": "2"}}
	now := int64(1700000000000)
	for i := range 3000 {
		run := runs[r.IntN(len(runs))]
		ctx := contexts[r.IntN(len(contexts))]
		// Steps run forward with jumps back and repeats, as resumed runs do.
		step := int64(i/3) - int64(r.IntN(3))*int64(r.IntN(50))
		if r.IntN(10) == 0 {
			step = -step
		}
		now += int64(r.IntN(100))
		tm := now
		// Now and then the extremes, and wall time going backwards.
		switch r.IntN(50) {
		case 0:
			step = math.MinInt64
		case 1:
			step = math.MaxInt64
		case 2:
			tm = math.MinInt64
		case 3:
			tm = math.MaxInt64
		case 4:
			tm = now - 1_000_000
		}
		line := fmt.Sprintf(`{"run":%q,"step":%d,"time":%d`, run, step, tm)
		if ctx != nil {
			line += `,"context":` + string(jsonl.AppendStringMap(nil, ctx))
		}
		line += `,"metrics":{`
		for j, m := range []string{"loss", "acc", "val/acc"}[:1+r.IntN(3)] {
			v := value(i + j)
			if j > 0 {
				line += ","
			}
			line += fmt.Sprintf("%q:%s", m, valueLiteral(v, r))
			bits := math.Float64bits(v)
			if math.IsNaN(v) {
				bits = jsonl.NaNBits
			}
			k := key{run, m, engine.Context(ctx).String()}
			want[k] = append(want[k], point{run, m, k.ctx, step, tm, bits})
		}
		in.WriteString(line + "}}\n")
	}

	dir := filepath.Join(t.TempDir(), "store")
	res := trackdb(t, strings.NewReader(in.String()), "ingest", "--dir", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stderr, "ingested 3,000 lines")

	res = trackdb(t, nil, "dump", "--dir", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	got := parseDump(t, res.stdout)

	// Expected order: by run ID, metric, context; within a series by step,
	// ties in ingest order (a stable sort of the ingest order).
	keys := make([]key, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return strings.Compare(a.run+"\x00"+a.metric+"\x00"+ctxKey(a.ctx), b.run+"\x00"+b.metric+"\x00"+ctxKey(b.ctx))
	})
	var all []point
	for _, k := range keys {
		pts := want[k]
		slices.SortStableFunc(pts, func(a, b point) int { return cmpInt(a.step, b.step) })
		all = append(all, pts...)
	}
	require.Equal(t, len(all), len(got))
	for i := range all {
		require.Equal(t, all[i], got[i], "point %d", i)
	}
}

// ctxKey orders contexts as the engine does: the empty one first, then by
// sorted labels. The rendered "{a=1, b=2}" form sorts the same way here.
func ctxKey(s string) string {
	if s == "{}" {
		return ""
	}
	return s
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestDumpFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	in := `{"run":"r1","experiment":"cifar","name":"lr-0.1","params":{"lr":0.1,"opt":"adam"},"tags":{"git":"3f2a"},"start_time":1700000000000}
{"run":"r1","step":0,"time":1700000000000,"metrics":{"loss":2.31,"acc":0.1}}
{"run":"r1","step":0,"time":1700000000001,"context":{"subset":"val"},"metrics":{"acc":0.12}}
{"run":"r1","step":1,"time":1700000000002,"metrics":{"loss":NaN,"acc":-0}}
{"run":"r1","step":2,"time":1700000000003,"metrics":{"loss":"-Infinity","acc":5e-324}}
{"run":"r1","step":3,"time":1700000000004,"metrics":{"loss":1.7976931348623157e308,"acc":"inf"}}
{"run":"r1","status":"finished","end_time":1700000900000}
`
	res := trackdb(t, strings.NewReader(in), "ingest", "--dir", dir, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Empty(t, res.stderr)
	res = trackdb(t, nil, "dump", "--dir", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, `{"run":"r1","metric":"acc","step":0,"time":1700000000000,"value":0.1}
{"run":"r1","metric":"acc","step":1,"time":1700000000002,"value":-0}
{"run":"r1","metric":"acc","step":2,"time":1700000000003,"value":5e-324}
{"run":"r1","metric":"acc","step":3,"time":1700000000004,"value":"Infinity"}
{"run":"r1","metric":"acc","context":{"subset":"val"},"step":0,"time":1700000000001,"value":0.12}
{"run":"r1","metric":"loss","step":0,"time":1700000000000,"value":2.31}
{"run":"r1","metric":"loss","step":1,"time":1700000000002,"value":"NaN"}
{"run":"r1","metric":"loss","step":2,"time":1700000000003,"value":"-Infinity"}
{"run":"r1","metric":"loss","step":3,"time":1700000000004,"value":1.7976931348623157e+308}
`, res.stdout)

	res = trackdb(t, nil, "dump", "--dir", dir, "--metric", "loss", "--run", "r1")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, 4, strings.Count(res.stdout, "\n"))
	require.NotContains(t, res.stdout, `"acc"`)

	res = trackdb(t, nil, "dump", "--dir", dir, "--run", "nope")
	require.Equal(t, exitError, res.code)
	require.Contains(t, res.stderr, `trackdb dump: trackdb: run not found: "nope"`)

	// Dump's output is ingest's input: a second store dumps the same.
	first := trackdb(t, nil, "dump", "--dir", dir).stdout
	dir2 := filepath.Join(t.TempDir(), "copy")
	res = trackdb(t, strings.NewReader(first), "ingest", "--dir", dir2, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, first, trackdb(t, nil, "dump", "--dir", dir2).stdout)
}

func TestDumpNeedsExistingStore(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	res := trackdb(t, nil, "dump", "--dir", missing)
	require.Equal(t, exitError, res.code)
	require.Contains(t, res.stderr, "trackdb dump: no store at "+missing)
	require.NoDirExists(t, missing, "a read command must not create a store")

	empty := t.TempDir()
	res = trackdb(t, nil, "runs", "--dir", empty)
	require.Equal(t, exitError, res.code)
	require.Contains(t, res.stderr, "is empty, not a trackdb store")
	entries, err := os.ReadDir(empty)
	require.NoError(t, err)
	require.Empty(t, entries)
}

// TestIngestMalformedLine checks that a bad line stops the ingest with its
// file name, line and column, and that every line before it is stored
// and acknowledged.
func TestIngestMalformedLine(t *testing.T) {
	for _, tc := range []struct {
		bad, msg string
	}{
		{`{"run":"r1","step":4,"metrics":{"loss":tru}}`, `in.jsonl:5:40: metrics.loss: want a number, found "tru"`},
		{`{"run":"r1","step":4.5,"metrics":{"loss":1}}`, "in.jsonl:5:20: step: 4.5 is not an integer"},
		{`{"run":"r1","stpe":4,"metrics":{"loss":1}}`, `in.jsonl:5:13: unknown key "stpe" (did you mean "step"?)`},
		{`{"run":"a/b","step":4,"metrics":{"loss":1}}`, "in.jsonl:5: trackdb: invalid run ID"},
		{`{"run":"r1","params":{"lr":0.2}}`, `in.jsonl:5: run "r1": trackdb: param already set to a different value: param "lr" is float 0.1, not float 0.2`},
		{`{"run":"r1","step":4,"metrics":{"lo\u0001ss":1}}`, "in.jsonl:5: log run \"r1\": trackdb: invalid metric name"},
		{`{"run":"r1","step":4,"metrics":{"loss":1}`, "in.jsonl:5:42: want ',' or '}', found end of line"},
	} {
		t.Run(tc.bad, func(t *testing.T) {
			good := `{"run":"r1","params":{"lr":0.1}}` + "\n" +
				`{"run":"r1","step":1,"metrics":{"loss":1}}` + "\n" +
				"\n" + // blank lines count
				`{"run":"r1","step":3,"metrics":{"loss":3}}` + "\n"
			file := writeFile(t, good+tc.bad+"\n"+`{"run":"r1","step":6,"metrics":{"loss":6}}`+"\n")
			dir := filepath.Join(t.TempDir(), "store")
			res := trackdb(t, nil, "ingest", "--dir", dir, "--ack", file)
			require.Equal(t, exitError, res.code)
			require.Contains(t, res.stderr, "trackdb ingest: "+file[:len(file)-len("in.jsonl")]+tc.msg)
			require.Contains(t, res.stderr, "ingested 4 lines")
			acks := parseAcks(t, res.stdout)
			require.Equal(t, int64(4), acks[len(acks)-1])

			pts := parseDump(t, trackdb(t, nil, "dump", "--dir", dir).stdout)
			require.Len(t, pts, 2)
			require.Equal(t, int64(3), pts[1].step)
		})
	}
}

// parseAcks checks that stdout is only ack lines with increasing counts.
func parseAcks(t *testing.T, out string) []int64 {
	t.Helper()
	var acks []int64
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		n, ok := strings.CutPrefix(line, "ack ")
		require.True(t, ok, "stdout line %q", line)
		v, err := strconv.ParseInt(n, 10, 64)
		require.NoError(t, err)
		if len(acks) > 0 {
			require.Greater(t, v, acks[len(acks)-1], "acks must increase")
		}
		acks = append(acks, v)
	}
	require.NotEmpty(t, acks)
	return acks
}

// TestIngestAckProtocol feeds lines through a pipe with pauses, as a
// training process would: every pause must bring an ack, acks must grow,
// and the last one must count every line, blank ones included.
func TestIngestAckProtocol(t *testing.T) {
	for _, policy := range []string{"always", "interval", "never"} {
		t.Run(policy, func(t *testing.T) {
			pr, pw := io.Pipe()
			const lines = 60
			go func() {
				for i := range lines {
					line := fmt.Sprintf(`{"run":"r","step":%d,"metrics":{"loss":%d}}`, i, i)
					if i%7 == 3 {
						line = "  "
					}
					fmt.Fprintln(pw, line)
					if i%10 == 9 {
						time.Sleep(5 * time.Millisecond) // the trainer computes; ingest commits
					}
				}
				pw.Close()
			}()
			dir := filepath.Join(t.TempDir(), "store")
			res := trackdb(t, pr, "ingest", "--dir", dir, "--sync", policy, "--ack", "--quiet")
			require.Equal(t, exitOK, res.code, res.stderr)
			acks := parseAcks(t, res.stdout)
			require.Equal(t, int64(lines), acks[len(acks)-1])
			require.GreaterOrEqual(t, len(acks), 2, "pauses in the input bring acks: %v", acks)
		})
	}
}

func TestIngestAckAcrossInputs(t *testing.T) {
	a := writeFile(t, `{"run":"r","step":1,"metrics":{"x":1}}`+"\n\n")
	b := writeFile(t, `{"run":"r","step":2,"metrics":{"x":2}}`) // no final newline: still a line
	dir := filepath.Join(t.TempDir(), "store")
	res := trackdb(t, strings.NewReader(`{"run":"s","step":0,"metrics":{"x":0}}`+"\r\n"), "ingest", "--dir", dir, "--ack", a, "-", b)
	require.Equal(t, exitOK, res.code, res.stderr)
	acks := parseAcks(t, res.stdout)
	require.Equal(t, int64(4), acks[len(acks)-1])
	require.Contains(t, res.stderr, "ingested 4 lines")
	require.Contains(t, res.stderr, "2 runs created")
	require.Contains(t, res.stderr, "3 points")
}

func TestIngestMissingFileWritesNothing(t *testing.T) {
	a := writeFile(t, `{"run":"r","step":1,"metrics":{"x":1}}`+"\n")
	dir := filepath.Join(t.TempDir(), "store")
	res := trackdb(t, nil, "ingest", "--dir", dir, a, filepath.Join(t.TempDir(), "nope.jsonl"))
	require.Equal(t, exitError, res.code)
	require.Contains(t, res.stderr, "nope.jsonl: no such file")
	require.NoDirExists(t, dir)
}

func TestIngestRunLines(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	in := "\xef\xbb\xbf" + `{"run":"r1","experiment":"cifar","name":"first","params":{"lr":0.1,"opt":{"name":"adam","beta":0.9},"epochs":10,"f":1.0},"tags":{"git":"3f2a"},"start_time":1700000000000,"datasets":[{"name":"cifar10","digest":"ab"}]}
{"run":"r1","name":"renamed","params":{"lr":0.1,"seed":3},"tags":{"git":"4e5f","note":"tab\there"}}
{"run":"r1","status":"FINISHED","end_time":1700000900000}
{"run":"r2","step":5,"time":1700000001234,"metrics":{"loss":1}}
{"run":"r2","status":"failed"}
{"run":"r3","experiment":"cifar","status":"killed","start_time":1700000000000,"end_time":1700000000500}
`
	res := trackdb(t, strings.NewReader(in), "ingest", "--dir", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stderr, "3 runs created, 3 updated, 1 points")

	res = trackdb(t, nil, "runs", "--dir", dir, "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	require.Len(t, lines, 3)
	require.Equal(t, `{"run":"r1","experiment":"cifar","name":"renamed","status":"finished","start_time":1700000000000,"end_time":1700000900000,`+
		`"params":{"epochs":10,"f":1.0,"lr":0.1,"opt.beta":0.9,"opt.name":"adam","seed":3},"tags":{"git":"4e5f","note":"tab\there"},`+
		`"datasets":[{"name":"cifar10","digest":"ab"}]}`, lines[0])
	// A run created by its points starts at its first point.
	require.Contains(t, lines[1], `"run":"r2","experiment":"","name":"","status":"failed","start_time":1700000001234,"end_time":`)
	require.Equal(t, `{"run":"r3","experiment":"cifar","name":"","status":"killed","start_time":1700000000000,"end_time":1700000000500,"params":{},"tags":{}}`, lines[2])

	// runs --format json is ingestable: a second store lists the same.
	dir2 := filepath.Join(t.TempDir(), "copy")
	res = trackdb(t, strings.NewReader(res.stdout), "ingest", "--dir", dir2, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, strings.Join(lines, "\n")+"\n", trackdb(t, nil, "runs", "--dir", dir2, "--format", "json").stdout)
}

func TestRunsTable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	in := `{"run":"r1","experiment":"cifar","name":"lr-0.1","params":{"lr":0.1,"opt":"adam"},"tags":{"git":"3f2a"},"start_time":1700000000000}
{"run":"r1","status":"finished","end_time":1700000900000}
{"run":"r20","start_time":1700000000000}
`
	res := trackdb(t, strings.NewReader(in), "ingest", "--dir", dir, "--quiet")
	require.Equal(t, exitOK, res.code, res.stderr)
	res = trackdb(t, nil, "runs", "--dir", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, `RUN  EXPERIMENT  NAME    STATUS    START                END                  PARAMS           TAGS
r1   cifar       lr-0.1  finished  2023-11-14 22:13:20  2023-11-14 22:28:20  lr=0.1 opt=adam  git=3f2a
r20  -           -       running   2023-11-14 22:13:20  -                    -                -
`, res.stdout)
}

func TestIngestLongLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	in := `{"run":"r","step":1,"metrics":{"x":1}}` + "\n" + `{"run":"r","name":"` + strings.Repeat("x", jsonl.MaxLineLen) + "\"}\n"
	res := trackdb(t, strings.NewReader(in), "ingest", "--dir", dir, "--ack")
	require.Equal(t, exitError, res.code)
	require.Contains(t, res.stderr, "stdin:2: line longer than")
	require.Equal(t, "ack 1\n", res.stdout)
}
