package main

import (
	"flag"
	"fmt"
	"time"
)

func newCompactCommand() *command {
	return &command{
		name:    "compact",
		summary: "write the head to a block and merge all blocks into one",
		doc: `
Compact flushes everything appended since the last compaction into an
immutable block, truncates the write-ahead log, and merges all blocks into
one, dropping the data of deleted runs. The store is otherwise compacted in
the background as it grows; this command forces a full compaction, which
makes the next open fast and the store as small as it gets.`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			return func(e *env, operands []string) error {
				if len(operands) > 0 {
					return usagef("unexpected operand %q", operands[0])
				}
				return runCompact(e, *dir)
			}
		},
	}
}

func runCompact(e *env, dir string) error {
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	before, err := db.Stats()
	if err != nil {
		db.Close()
		return err
	}
	start := time.Now()
	if err := db.Compact(); err != nil {
		db.Close()
		return err
	}
	took := time.Since(start)
	after, err := db.Stats()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "compacted %s in %v: %s -> %s on disk (%.2f bytes/point), %d block(s), WAL %s\n",
		dir, took.Round(time.Millisecond), formatBytes(before.DiskBytes()), formatBytes(after.DiskBytes()),
		after.BytesPerPoint(), len(after.Blocks), formatBytes(after.WALBytes))
	return nil
}

// formatBytes renders a byte count with a binary unit.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
