package main

import (
	"flag"
	"fmt"
	"text/tabwriter"
)

func newStatsCommand() *command {
	return &command{
		name:    "stats",
		summary: "print runs, series, points, bytes per point, blocks and WAL size",
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			return func(e *env, operands []string) error {
				if len(operands) > 0 {
					return usagef("unexpected operand %q", operands[0])
				}
				return runStats(e, *dir)
			}
		},
	}
}

func runStats(e *env, dir string) error {
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	st, err := db.Stats()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "store\t%s\n", dir)
	fmt.Fprintf(tw, "runs\t%d (%d deleted, awaiting compaction)\n", st.Runs, st.DeletedRuns)
	fmt.Fprintf(tw, "series\t%d\n", st.Series)
	fmt.Fprintf(tw, "points\t%d (%d since the last compaction)\n", st.Points, st.HeadPoints)
	fmt.Fprintf(tw, "on disk\t%s (%.2f bytes/point)\n", formatBytes(st.DiskBytes()), st.BytesPerPoint())
	fmt.Fprintf(tw, "blocks\t%d, %s\n", len(st.Blocks), formatBytes(st.BlockBytes))
	fmt.Fprintf(tw, "wal\t%d segment(s), %s\n", st.WALSegments, formatBytes(st.WALBytes))
	tw.Flush()
	if len(st.Blocks) > 0 {
		fmt.Fprintln(e.stdout)
		tw = tabwriter.NewWriter(e.stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "BLOCK\tLEVEL\tRUNS\tSERIES\tPOINTS\tBYTES\tBYTES/POINT\t")
		for _, b := range st.Blocks {
			bpp := 0.0
			if b.Points > 0 {
				bpp = float64(b.Bytes) / float64(b.Points)
			}
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%s\t%.2f\t\n", b.Seq, b.Level, b.Runs, b.Series, b.Points, formatBytes(b.Bytes), bpp)
		}
		tw.Flush()
	}
	return nil
}
