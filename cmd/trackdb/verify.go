package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/trackdb/trackdb/engine"
)

// errDamaged makes verify exit 1 after it printed its findings.
var errDamaged = errors.New("the store is damaged")

func newVerifyCommand() *command {
	return &command{
		name:    "verify",
		summary: "check every checksum and cross-reference of a store",
		doc: `
Verify reads the whole store without changing it: the marker file, every
WAL frame, and in every block the meta file, each index section, each
chunk's checksum, that each chunk decodes to the points its index entry
claims, that every wall-time reference resolves, and that summaries agree
with the chunks. Each problem is printed with its file and byte offset.
It exits 0 when the store is sound and 1 otherwise. The store must not be
open in another process.`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			return func(e *env, operands []string) error {
				if len(operands) > 0 {
					return usagef("unexpected operand %q", operands[0])
				}
				return runVerify(e, *dir)
			}
		},
	}
}

func runVerify(e *env, dir string) error {
	rep, err := engine.Verify(dir, nil)
	if err != nil {
		if errors.Is(err, engine.ErrLocked) {
			return fmt.Errorf("%s is in use by another trackdb process; verify needs it closed", dir)
		}
		return err
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(e.stdout, "note: %s\n", n)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(e.stdout, "problem: %s\n", p)
	}
	fmt.Fprintf(e.stdout, "checked %d block(s): %d chunks, %d timeline chunks, %d points; %d WAL segment(s), %d records: ",
		rep.Blocks, rep.Chunks, rep.TimelineChunks, rep.Points, rep.WALSegments, rep.WALRecords)
	if rep.OK() {
		fmt.Fprintln(e.stdout, "ok")
		return nil
	}
	fmt.Fprintf(e.stdout, "%d problem(s)\n", len(rep.Problems))
	return errDamaged
}
