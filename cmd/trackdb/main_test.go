package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// result is what one in-process run of the command line produced.
type result struct {
	code           int
	stdout, stderr string
}

// trackdb runs the command line in-process with stdin as standard input.
func trackdb(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	code := run(args, stdin, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := trackdb(t, nil, args...)
		require.Equal(t, exitOK, r.code)
		for _, c := range commands() {
			require.Contains(t, r.stdout, c.name)
			require.Contains(t, r.stdout, c.summary)
		}
	}
	r := trackdb(t, nil)
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.stderr, "Commands:")
}

func TestCommandHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "demo"}, {"demo", "-h"}, {"demo", "--help"}} {
		r := trackdb(t, nil, args...)
		require.Equal(t, exitOK, r.code, "%v: %s", args, r.stderr)
		require.Contains(t, r.stdout, "Usage: trackdb demo [flags]")
		require.Contains(t, r.stdout, "--dir directory")
		require.Contains(t, r.stdout, "--top N")
		require.NotContains(t, r.stdout, "scale", "hidden flags stay out of the help")
	}
	r := trackdb(t, nil, "help", "ingest")
	require.Contains(t, r.stdout, "Usage: trackdb ingest [flags] [FILE...]")
	require.Contains(t, r.stdout, "--sync policy")
	require.Contains(t, r.stdout, "(default interval)")
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"nosuch"}, `trackdb: unknown command "nosuch"`},
		{[]string{"help", "nosuch"}, `unknown command "nosuch"`},
		{[]string{"help", "a", "b"}, "usage: trackdb help"},
		{[]string{"ingest", "--bogus"}, "trackdb ingest: flag provided but not defined: -bogus"},
		{[]string{"ingest", "--sync", "sometimes"}, `trackdb ingest: --sync "sometimes": want always, interval or never`},
		{[]string{"runs", "--format", "xml"}, `trackdb runs: --format "xml": want table, json or csv`},
		{[]string{"runs", "extra"}, `trackdb runs: unexpected operand "extra"`},
		{[]string{"dump", "extra"}, `trackdb dump: unexpected operand "extra"`},
		{[]string{"demo", "--top", "0"}, "trackdb demo: --top 0"},
		{[]string{"demo", "--scale", "-1"}, "trackdb demo: --scale -1"},
		{[]string{"demo", "--top", "x"}, "trackdb demo: invalid value"},
	} {
		r := trackdb(t, nil, tc.args...)
		require.Equal(t, exitUsage, r.code, "%v", tc.args)
		require.Contains(t, r.stderr, tc.msg, "%v", tc.args)
		require.Empty(t, r.stdout, "%v", tc.args)
	}
}

func TestFlagsAfterOperands(t *testing.T) {
	dir := t.TempDir() + "/store"
	file := writeFile(t, `{"run":"r","step":1,"metrics":{"a":1}}`+"\n")
	r := trackdb(t, nil, "ingest", file, "--dir", dir, "--quiet", "--ack")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "ack 1\n", r.stdout)
	require.Empty(t, r.stderr)

	// After "--" everything is an operand, even what looks like a flag.
	r = trackdb(t, nil, "ingest", "--dir", dir, "--", "--ack")
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.stderr, "--ack: no such file")
}

func TestParseInterleavedDash(t *testing.T) {
	c := newIngestCommand()
	fs := newFlagSet(c)
	ops, err := parseInterleaved(fs, []string{"a", "-", "--quiet", "b"})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "-", "b"}, ops)
}

func TestCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 3891200: "3,891,200", -1234567: "-1,234,567"} {
		require.Equal(t, want, count(n))
	}
}

func newFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.setup(fs)
	return fs
}

// writeFile writes content to a new file in a test directory.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "in.jsonl")
	require.NoError(t, os.WriteFile(name, []byte(content), 0o644))
	return name
}
