package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/jsonl"
)

// Commit cadence under --ack: a commit (db.Sync, then "ack N") happens
// when the input falls silent, and at the latest after ackMaxLines lines
// or ackMaxDelay, so that a producer that never pauses still sees acks
// and the fsync cost stays a small share of a fast import.
const (
	ackMaxLines = 1 << 16
	ackMaxDelay = 100 * time.Millisecond
)

func newIngestCommand() *command {
	return &command{
		name:     "ingest",
		summary:  "store JSON Lines of runs and points",
		operands: "[FILE...]",
		doc: `
Ingest reads JSON Lines (see docs/cli.md) from each FILE in turn, or from
standard input when there is none or FILE is "-", and stores them.

A line with "metrics" logs points (one db.Log per line); any other line
creates the run or updates its attributes, params and tags. Points of a
run not seen before create it. A malformed or refused line stops the
ingest with its file name and line number; every line before it stays
stored.

With --ack, "ack N" is printed on standard output each time the first N
input lines (counted across all inputs, blank lines included) are durable.`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			o := ingestOptions{dir: dirFlag(fs)}
			fs.StringVar(&o.sync, "sync", "interval", "fsync `policy`: always, interval or never")
			fs.BoolVar(&o.ack, "ack", false, `print "ack N" on stdout once the first N lines are durable`)
			fs.BoolVar(&o.quiet, "quiet", false, "do not print the summary on stderr")
			return func(e *env, files []string) error { return runIngest(e, &o, files) }
		},
	}
}

type ingestOptions struct {
	dir   *string
	sync  string
	ack   bool
	quiet bool
}

// input is one source of lines.
type input struct {
	name string
	r    io.Reader
}

func runIngest(e *env, o *ingestOptions, files []string) error {
	policy, err := engine.ParseSyncPolicy(o.sync)
	if err != nil {
		return usagef("--sync %q: want always, interval or never", o.sync)
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	// Open every file before touching the store, so that a mistyped name
	// fails the command before anything is written.
	var inputs []input
	for _, name := range files {
		if name == "-" {
			inputs = append(inputs, input{"stdin", e.stdin})
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		inputs = append(inputs, input{name, f})
	}

	opts := storeOptions(e.stderr)
	opts.Sync = policy
	db, err := openStore(*o.dir, opts)
	if err != nil {
		return err
	}
	in := &ingester{
		applier: newApplier(db),
		policy:  policy,
		ack:     o.ack,
		out:     bufio.NewWriter(e.stdout),
	}
	start := time.Now()
	err = in.run(inputs)
	elapsed := time.Since(start)
	if cerr := db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close store: %w", cerr)
	}
	if !o.quiet {
		in.summarize(e.stderr, elapsed)
	}
	return err
}

// ingester reads lines, applies them and acknowledges them.
type ingester struct {
	*applier // the store and the counts
	policy   engine.SyncPolicy
	parser   jsonl.Parser
	line     jsonl.Line

	ack        bool
	out        *bufio.Writer
	lines      int64 // lines consumed, across inputs
	acked      int64 // lines covered by the last ack
	lastCommit time.Time
}

// run ingests every input. Whatever happens, the lines consumed before
// the end or the failure are made durable and, under --ack, acknowledged.
func (in *ingester) run(inputs []input) error {
	in.lastCommit = time.Now()
	var err error
	for _, src := range inputs {
		if err = in.ingest(src); err != nil {
			break
		}
	}
	if in.ack {
		if cerr := in.commit(); err == nil {
			err = cerr
		}
	}
	return err
}

func (in *ingester) ingest(src input) error {
	lr := newLineReader(src.r)
	defer lr.close()
	for n := 1; ; n++ {
		b, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", src.name, n, err)
		}
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark, as Windows tools write
		}
		if err := in.applyLine(b); err != nil {
			var pe *jsonl.Error
			if errors.As(err, &pe) {
				return fmt.Errorf("%s:%d:%d: %s", src.name, n, pe.Column(), lineMessage(pe))
			}
			return fmt.Errorf("%s:%d: %w", src.name, n, err)
		}
		in.lines++
		if in.ack && (!lr.ready() || in.lines-in.acked >= ackMaxLines || time.Since(in.lastCommit) >= ackMaxDelay) {
			if err := in.commit(); err != nil {
				return err
			}
		}
	}
}

// lineMessage renders a parse error without the column, which the caller
// puts after the line number.
func lineMessage(pe *jsonl.Error) string {
	if pe.Field != "" {
		return pe.Field + ": " + pe.Msg
	}
	return pe.Msg
}

func (in *ingester) applyLine(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil // blank lines count as lines but store nothing
	}
	if err := in.parser.Parse(b, &in.line); err != nil {
		return err
	}
	return in.apply(&in.line)
}

// commit makes the consumed lines durable and acknowledges them. Under
// --sync always every engine call has fsynced before returning, so there
// is nothing left to sync.
func (in *ingester) commit() error {
	in.lastCommit = time.Now()
	if in.lines == in.acked {
		return nil
	}
	if in.policy != engine.SyncAlways {
		if err := in.db.Sync(); err != nil {
			return fmt.Errorf("sync: %w", err)
		}
	}
	in.acked = in.lines
	fmt.Fprintf(in.out, "ack %d\n", in.lines)
	return in.out.Flush()
}

func (in *ingester) summarize(w io.Writer, elapsed time.Duration) {
	fmt.Fprintf(w, "ingested %s lines in %s: %s runs created, %s updated, %s points (%s points/s)\n",
		count(in.lines), dur(elapsed), count(in.created), count(in.updated),
		count(in.points), rate(in.points, elapsed))

}
