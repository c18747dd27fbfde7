package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/trackdb/trackdb/engine"
)

func newStatsCommand() *command {
	return &command{
		name:    "stats",
		summary: "print runs, series, points, bytes per point, blocks and WAL size",
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			format, checkFormat := formatFlag(fs, "table", "json", "csv")
			return func(e *env, operands []string) error {
				if len(operands) > 0 {
					return usagef("unexpected operand %q", operands[0])
				}
				if err := checkFormat(); err != nil {
					return err
				}
				return runStats(e, *dir, *format)
			}
		},
	}
}

func runStats(e *env, dir, format string) error {
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
	switch format {
	case "json":
		return writeStatsJSON(e.stdout, st)
	case "csv":
		return writeStatsCSV(e.stdout, st)
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

// statsFigures are the store-wide figures, in the order every format
// prints them.
func statsFigures(st engine.Stats) [][2]string {
	return [][2]string{
		{"runs", strconv.Itoa(st.Runs)},
		{"deleted_runs", strconv.Itoa(st.DeletedRuns)},
		{"series", strconv.Itoa(st.Series)},
		{"points", strconv.FormatInt(st.Points, 10)},
		{"head_points", strconv.FormatInt(st.HeadPoints, 10)},
		{"disk_bytes", strconv.FormatInt(st.DiskBytes(), 10)},
		{"bytes_per_point", strconv.FormatFloat(st.BytesPerPoint(), 'f', 3, 64)},
		{"blocks", strconv.Itoa(len(st.Blocks))},
		{"block_bytes", strconv.FormatInt(st.BlockBytes, 10)},
		{"wal_segments", strconv.Itoa(st.WALSegments)},
		{"wal_bytes", strconv.FormatInt(st.WALBytes, 10)},
	}
}

// writeStatsJSON writes one object: the figures, and the blocks as an array.
func writeStatsJSON(w io.Writer, st engine.Stats) error {
	b := []byte{'{'}
	for i, f := range statsFigures(st) {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, f[0])
		b = append(b, ':')
		b = append(b, f[1]...)
	}
	b = append(b, `,"block_list":[`...)
	for i, bl := range st.Blocks {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"seq":%d,"level":%d,"runs":%d,"series":%d,"points":%d,"bytes":%d}`,
			bl.Seq, bl.Level, bl.Runs, bl.Series, bl.Points, bl.Bytes)
	}
	b = append(b, "]}\n"...)
	_, err := w.Write(b)
	return err
}

// writeStatsCSV writes the figures as name,value rows.
func writeStatsCSV(w io.Writer, st engine.Stats) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"figure", "value"}); err != nil {
		return err
	}
	for _, f := range statsFigures(st) {
		if err := cw.Write(f[:]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
