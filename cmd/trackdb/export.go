package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/csvfile"
	"github.com/trackdb/trackdb/internal/jsonl"
	"github.com/trackdb/trackdb/query"
)

// stringsFlag is a flag that may be given many times.
type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

func newExportCommand() *command {
	return &command{
		name:     "export",
		summary:  "write runs and points as JSON Lines or CSV",
		operands: "[QUERY]",
		doc: `
Export writes the store's runs to standard output, losslessly:

	jsonl  per run, a run line (experiment, name, status, times, params
	       with their types, tags, datasets), then one line per point as dump
	       writes it; 'trackdb import' (or ingest) of the output into a
	       new store gives the same 'trackdb dump'
	csv    long CSV, run,metric,context,step,time,value: points only
	       (no params, tags or statuses), context as a JSON object

Every point is written: all steps, repeated steps, NaN, ±Inf and -0 bit
for bit. --run selects runs by ID (repeatable); without it every run is
exported. Selection by query comes with the query language.

Examples:

	trackdb export --dir store > all.jsonl
	trackdb export --dir store --format csv --run r1 --run r2 > two.csv`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			format, checkFormat := formatFlag(fs, "jsonl", "csv")
			var runs stringsFlag
			fs.Var(&runs, "run", "export the run with this `ID` (repeatable; default all)")
			return func(e *env, operands []string) error {
				if len(operands) > 1 {
					return usagef("want at most one QUERY operand (quote it), got %d", len(operands))
				}
				if err := checkFormat(); err != nil {
					return err
				}
				return runExport(e, *dir, *format, runs, strings.Join(operands, ""))
			}
		},
	}
}

func runExport(e *env, dir, format string, ids []string, text string) (err error) {
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if text != "" {
		found, err := queryRuns(db, text)
		if err != nil {
			return err
		}
		ids = append(ids, found...)
		if len(ids) == 0 {
			return nil // the search found nothing: nothing to export
		}
	}
	runs, err := selectRuns(db, ids)
	if err != nil {
		return err
	}
	var total int64
	for _, r := range runs {
		ss, err := db.SeriesOf(r.ID)
		if err != nil {
			return err
		}
		for _, s := range ss {
			total += s.Summary.Count
		}
	}
	bar := newProgress(e.stderr, "exporting", "points", total)
	defer bar.Finish()
	w := bufio.NewWriterSize(e.stdout, 256<<10)
	x := &exporter{db: db, w: w, bar: bar}
	if format == "csv" {
		x.csv = csv.NewWriter(w)
		if err := x.csv.Write(csvfile.LongHeader); err != nil {
			return err
		}
	}
	for _, r := range runs {
		if err := x.run(r); err != nil {
			return err
		}
	}
	if x.csv != nil {
		x.csv.Flush()
		if err := x.csv.Error(); err != nil {
			return err
		}
	}
	return w.Flush()
}

// queryRuns returns the IDs of the runs a run search finds, in its order.
// Text that starts with neither "runs" nor "series" is taken as a filter.
func queryRuns(db *engine.DB, text string) ([]string, error) {
	res, err := db.Query(context.Background(), runSearch(text))
	if err != nil {
		return nil, err
	}
	if res.Kind != query.KindRuns {
		return nil, usagef("QUERY must be a run search (runs where ...), not a %s query", res.Kind)
	}
	ids := make([]string, len(res.Runs))
	for i, r := range res.Runs {
		ids[i] = r.ID
	}
	return ids, nil
}

// runSearch turns a bare filter into a run search.
func runSearch(text string) string {
	first := strings.ToLower(strings.SplitN(strings.TrimSpace(text), " ", 2)[0])
	if first == "runs" || first == "series" {
		return text
	}
	return "runs where " + text
}

// selectRuns returns the runs named by ids, in the order given, or every
// run when ids is empty.
func selectRuns(db *engine.DB, ids []string) ([]engine.RunInfo, error) {
	if len(ids) == 0 {
		return db.Runs()
	}
	out := make([]engine.RunInfo, 0, len(ids))
	for _, id := range ids {
		r, err := db.Run(id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

type exporter struct {
	db  *engine.DB
	w   *bufio.Writer
	csv *csv.Writer
	bar *progress
	buf []byte
	rec []string
}

func (x *exporter) run(r engine.RunInfo) error {
	if x.csv == nil {
		x.buf = appendRunLine(x.buf[:0], r)
		if _, err := x.w.Write(x.buf); err != nil {
			return err
		}
	}
	series, err := x.db.SeriesOf(r.ID)
	if err != nil {
		return err
	}
	for _, s := range series {
		if x.csv != nil {
			err = x.csvSeries(s)
		} else {
			x.buf, err = dumpSeries(x.w, x.db, s, x.buf)
		}
		if err != nil {
			return err
		}
		x.bar.Add(s.Summary.Count)
	}
	return nil
}

// appendRunLine writes a run as one JSON Lines run line.
func appendRunLine(b []byte, r engine.RunInfo) []byte {
	b = append(b, `{"run":`...)
	b = jsonl.AppendString(b, r.ID)
	if r.Experiment != "" {
		b = append(b, `,"experiment":`...)
		b = jsonl.AppendString(b, r.Experiment)
	}
	if r.Name != "" {
		b = append(b, `,"name":`...)
		b = jsonl.AppendString(b, r.Name)
	}
	b = append(b, `,"status":`...)
	b = jsonl.AppendString(b, r.Status.String())
	b = append(b, `,"start_time":`...)
	b = strconv.AppendInt(b, r.StartTime, 10)
	if r.EndTime != 0 {
		b = append(b, `,"end_time":`...)
		b = strconv.AppendInt(b, r.EndTime, 10)
	}
	if len(r.Params) > 0 {
		keys := make([]string, 0, len(r.Params))
		for k := range r.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, `,"params":{`...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonl.AppendString(b, k)
			b = append(b, ':')
			b = jsonl.AppendParam(b, paramValue(r.Params[k]))
		}
		b = append(b, '}')
	}
	if len(r.Tags) > 0 {
		b = append(b, `,"tags":`...)
		b = jsonl.AppendStringMap(b, r.Tags)
	}
	if len(r.Datasets) > 0 {
		b = appendDatasets(b, r.Datasets)
	}
	return append(b, '}', '\n')
}

// paramValue returns a typed param as the Go value jsonl.AppendParam
// writes with its type.
func paramValue(v engine.Value) any {
	switch v.Type {
	case engine.TypeInt:
		return v.Int
	case engine.TypeFloat:
		return v.Float
	case engine.TypeBool:
		return v.Bool
	}
	return v.Str
}

func (x *exporter) csvSeries(s engine.SeriesInfo) error {
	ctx := ""
	if len(s.Context) > 0 {
		ctx = string(jsonl.AppendStringMap(nil, s.Context))
	}
	it, err := x.db.Points(s.Ref, engine.MinStep, engine.MaxStep)
	if err != nil {
		return err
	}
	defer it.Close()
	rec := append(x.rec[:0], s.RunID, s.Metric, ctx, "", "", "")
	for it.Next() {
		p := it.At()
		rec[3] = strconv.FormatInt(p.Step, 10)
		rec[4] = strconv.FormatInt(p.Time, 10)
		rec[5] = strconv.FormatFloat(p.Value, 'g', -1, 64) // NaN, +Inf, -Inf, -0 read back by ParseFloat
		if err := x.csv.Write(rec); err != nil {
			return err
		}
	}
	x.rec = rec
	if err := it.Err(); err != nil {
		return fmt.Errorf("run %q metric %q: %w", s.RunID, s.Metric, err)
	}
	return nil
}
