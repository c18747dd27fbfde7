package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// queryFixture is the store docs/query.md's examples run against.
const queryFixture = `{"run":"r1","experiment":"cifar","name":"lr-0.1","status":"finished","start_time":1700000000000,"end_time":1700000900000,"params":{"lr":0.1,"opt":"adam","seed":1},"tags":{"model":"resnet"},"datasets":[{"name":"cifar10","digest":"3f2a","context":"training"}]}
{"run":"r2","experiment":"cifar","name":"lr-0.005","status":"finished","start_time":1700000100000,"end_time":1700001000000,"params":{"lr":0.005,"opt":"adam","seed":2},"tags":{"model":"resnet"}}
{"run":"r3","experiment":"cifar","name":"lr-0.005-b","status":"FAILED","start_time":1700000200000,"end_time":1700000300000,"params":{"lr":0.005,"opt":"sgd","seed":1},"tags":{"model":"vgg"}}
{"run":"r1","step":0,"time":1700000000000,"metrics":{"loss":2.3,"val/acc":0.1}}
{"run":"r1","step":100,"time":1700000060000,"metrics":{"loss":1.2,"val/acc":0.6}}
{"run":"r1","step":200,"time":1700000120000,"metrics":{"loss":0.8,"val/acc":0.7}}
{"run":"r2","step":0,"time":1700000100000,"metrics":{"loss":2.2,"val/acc":0.2}}
{"run":"r2","step":100,"time":1700000160000,"metrics":{"loss":0.9,"val/acc":0.8}}
{"run":"r2","step":200,"time":1700000220000,"metrics":{"loss":0.6,"val/acc":0.9}}
{"run":"r2","step":200,"time":1700000220000,"context":{"subset":"test"},"metrics":{"acc":0.88}}
{"run":"r3","step":0,"time":1700000200000,"metrics":{"loss":2.4}}
{"run":"r3","step":100,"time":1700000260000,"metrics":{"loss":NaN}}
`

func TestQueryCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	r := trackdb(t, strings.NewReader(queryFixture), "ingest", "--dir", dir, "--quiet")
	require.Equal(t, exitOK, r.code, r.stderr)

	r = trackdb(t, nil, "query", "--dir", dir, `runs where params.lr < 0.01 and tags.model = 'resnet' order by last(val/acc) desc limit 10`)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "RUN  EXPERIMENT  NAME      STATUS    last(val/acc)\nr2   cifar       lr-0.005  finished  0.9\n", r.stdout)

	r = trackdb(t, nil, "query", "--dir", dir, "--format", "csv", `series mean(loss) group by params.lr steps 100..`)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "GROUP,METRIC,CONTEXT,AGG,RUNS,STEP,VALUE\n"+
		"params.lr=0.005,loss,-,mean,2,100,0.9\nparams.lr=0.005,loss,-,mean,2,200,0.6\n"+
		"params.lr=0.1,loss,-,mean,1,100,1.2\nparams.lr=0.1,loss,-,mean,1,200,0.8\n", r.stdout)

	r = trackdb(t, nil, "query", "--dir", dir, "--format", "json", `runs order by run_id limit 1`)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, `{"run":"r1"`)
	require.Contains(t, r.stderr, "PAGE '")

	r = trackdb(t, nil, "query", "--dir", dir, `tags.a = = 'x'`)
	require.Equal(t, exitError, r.code)
	require.Equal(t, "trackdb query: 1:10: expected a value, found '='\n  tags.a = = 'x'\n           ^\n", r.stderr)

	r = trackdb(t, strings.NewReader("runs\nwhere params.lr < 0.01\n  and tags.model = = 'resnet'\n"), "query", "--dir", dir, "-")
	require.Equal(t, exitError, r.code)
	require.Equal(t, "trackdb query: 3:20: expected a value, found '='\n    and tags.model = = 'resnet'\n                     ^\n", r.stderr)
	r = trackdb(t, strings.NewReader("runs\nwhere params.lr < 0.01\n"), "query", "--dir", dir, "-")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "r2")

	r = trackdb(t, nil, "query", "--dir", dir, "--format", "xml", `runs`)
	require.Equal(t, exitUsage, r.code)
}

// TestQueryDocExamples runs every example of docs/query.md: each line
// starting with "trackdb query" in a fenced block must succeed on the
// fixture store.
func TestQueryDocExamples(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	r := trackdb(t, strings.NewReader(queryFixture), "ingest", "--dir", dir, "--quiet")
	require.Equal(t, exitOK, r.code, r.stderr)
	examples := docExamples(t)
	require.NotEmpty(t, examples)
	for _, ex := range examples {
		r := trackdb(t, nil, "query", "--dir", dir, ex.query)
		if ex.err != "" {
			require.Equal(t, exitError, r.code, ex.query)
			require.Contains(t, r.stderr, ex.err)
			continue
		}
		require.Equal(t, exitOK, r.code, "%s\n%s", ex.query, r.stderr)
		require.NotEmpty(t, r.stdout, ex.query)
	}
}

// docExample is one example of docs/query.md: a query, and the error
// line the doc shows under it for one that fails.
type docExample struct {
	query, err string
}

// docExamples returns the queries of docs/query.md's example lines,
// "$ trackdb query 'QUERY'", with the shell's quoting of ' undone. A line
// after one that starts with "trackdb query:" is the error it shows.
func docExamples(t *testing.T) []docExample {
	b, err := os.ReadFile("../../docs/query.md")
	require.NoError(t, err)
	var out []docExample
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		line = strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(line, "$ trackdb query ")
		if !ok {
			continue
		}
		for strings.HasPrefix(rest, "--") {
			_, rest, _ = strings.Cut(rest, " ")
			_, rest, _ = strings.Cut(rest, " ")
		}
		require.True(t, strings.HasPrefix(rest, "'") && strings.HasSuffix(rest, "'"), "unquoted example %q", line)
		ex := docExample{query: strings.ReplaceAll(rest[1:len(rest)-1], `'\''`, `'`)}
		if i+1 < len(lines) {
			if next := strings.TrimSpace(lines[i+1]); strings.HasPrefix(next, "trackdb query:") {
				ex.err = next
			}
		}
		out = append(out, ex)
	}
	return out
}
