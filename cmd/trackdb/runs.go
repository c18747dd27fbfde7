package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/jsonl"
)

func newRunsCommand() *command {
	return &command{
		name:    "runs",
		summary: "list runs with their attributes, params and tags",
		doc: `
Runs lists every run of the store, sorted by ID.

The table format shows ID, experiment, name, status, start and end time
(UTC), params and tags as key=value lists. The json format prints one
object a line in the shape of an ingest run line:

	{"run":"r1","experiment":"cifar","name":"lr-0.1","status":"finished","start_time":1700000000000,"end_time":1700000900000,"params":{"lr":0.1},"tags":{"git":"3f2a"}}

Params keep their types (a float param always has a fraction or exponent),
so the output can be ingested into another store.`,
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
				return runRuns(e, *dir, *format)
			}
		},
	}
}

func runRuns(e *env, dir, format string) error {
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	runs, err := db.Runs()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	switch format {
	case "json":
		writeRunsJSON(w, runs)
	case "csv":
		if err := writeRunsCSV(w, runs); err != nil {
			return err
		}
	default:
		writeRunsTable(w, runs)
	}
	return w.Flush()
}

func writeRunsTable(w io.Writer, runs []engine.RunInfo) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tEXPERIMENT\tNAME\tSTATUS\tSTART\tEND\tPARAMS\tTAGS")
	for _, r := range runs {
		params := make([]string, 0, len(r.Params))
		for _, k := range sortedKeys(r.Params) {
			params = append(params, k+"="+r.Params[k].String())
		}
		tags := make([]string, 0, len(r.Tags))
		for _, k := range sortedKeys(r.Tags) {
			tags = append(tags, k+"="+r.Tags[k])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(r.ID), cell(r.Experiment), cell(r.Name), r.Status,
			formatTime(r.StartTime), formatTime(r.EndTime), cell(strings.Join(params, " ")), cell(strings.Join(tags, " ")))
	}
	tw.Flush()
}

// cell keeps a table cell on one line and visibly non-empty: tabs and
// newlines in names or tag values would break the alignment.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.NewReplacer("\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}

func writeRunsJSON(w io.Writer, runs []engine.RunInfo) {
	var b []byte
	for _, r := range runs {
		b = append(b[:0], `{"run":`...)
		b = jsonl.AppendString(b, r.ID)
		b = append(b, `,"experiment":`...)
		b = jsonl.AppendString(b, r.Experiment)
		b = append(b, `,"name":`...)
		b = jsonl.AppendString(b, r.Name)
		b = append(b, `,"status":`...)
		b = jsonl.AppendString(b, r.Status.String())
		b = append(b, `,"start_time":`...)
		b = appendInt(b, r.StartTime)
		if r.EndTime != 0 {
			b = append(b, `,"end_time":`...)
			b = appendInt(b, r.EndTime)
		}
		b = append(b, `,"params":{`...)
		for i, k := range sortedKeys(r.Params) {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonl.AppendString(b, k)
			b = append(b, ':')
			b = jsonl.AppendParam(b, r.Params[k].Any())
		}
		b = append(b, `},"tags":`...)
		b = jsonl.AppendStringMap(b, r.Tags)
		if len(r.Datasets) > 0 {
			b = appendDatasets(b, r.Datasets)
		}
		b = append(b, '}', '\n')
		w.Write(b) // a bufio.Writer keeps its first error for Flush to return
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// appendDatasets writes a run's inputs as the "datasets" field of a run
// line, leaving out empty digests and contexts.
func appendDatasets(b []byte, ds []engine.Dataset) []byte {
	b = append(b, `,"datasets":[`...)
	for i, d := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = jsonl.AppendString(b, d.Name)
		if d.Digest != "" {
			b = append(b, `,"digest":`...)
			b = jsonl.AppendString(b, d.Digest)
		}
		if d.Context != "" {
			b = append(b, `,"context":`...)
			b = jsonl.AppendString(b, d.Context)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}
