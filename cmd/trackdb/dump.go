package main

import (
	"bufio"
	"flag"
	"fmt"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/jsonl"
)

func newDumpCommand() *command {
	return &command{
		name:    "dump",
		summary: "print stored points as JSON Lines",
		doc: `
Dump prints every stored point as one JSON object a line,

	{"run":"r1","metric":"acc","context":{"subset":"val"},"step":0,"time":1700000000000,"value":0.12}

ordered by run ID, metric name, context and step; points with equal steps
come in the order they were stored. "context" is left out for the default
context. Finite values are the shortest decimal that reads back to the
same float64; NaN and the infinities are the strings "NaN", "Infinity"
and "-Infinity". The output is valid input for 'trackdb ingest'.`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			run := fs.String("run", "", "dump only the run with this `ID`")
			metric := fs.String("metric", "", "dump only the metric with this `name`")
			return func(e *env, operands []string) error {
				if len(operands) > 0 {
					return usagef("unexpected operand %q", operands[0])
				}
				return runDump(e, *dir, *run, *metric)
			}
		},
	}
}

func runDump(e *env, dir, runID, metric string) (err error) {
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	var ids []string
	if runID != "" {
		if _, err := db.Run(runID); err != nil {
			return err
		}
		ids = []string{runID}
	} else {
		runs, err := db.Runs()
		if err != nil {
			return err
		}
		for _, r := range runs {
			ids = append(ids, r.ID)
		}
	}
	w := bufio.NewWriterSize(e.stdout, 256<<10)
	var buf []byte
	for _, id := range ids {
		series, err := db.SeriesOf(id) // sorted by metric, then context
		if err != nil {
			return err
		}
		for _, s := range series {
			if metric != "" && s.Metric != metric {
				continue
			}
			if buf, err = dumpSeries(w, db, s, buf); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// dumpSeries writes the points of one series. The part of each line that
// names the series is encoded once; per point only the numbers are.
func dumpSeries(w *bufio.Writer, db *engine.DB, s engine.SeriesInfo, buf []byte) ([]byte, error) {
	prefix := append([]byte(nil), `{"run":`...)
	prefix = jsonl.AppendString(prefix, s.RunID)
	prefix = append(prefix, `,"metric":`...)
	prefix = jsonl.AppendString(prefix, s.Metric)
	if len(s.Context) > 0 {
		prefix = append(prefix, `,"context":`...)
		prefix = jsonl.AppendStringMap(prefix, s.Context)
	}
	prefix = append(prefix, `,"step":`...)

	it, err := db.Points(s.Ref, engine.MinStep, engine.MaxStep)
	if err != nil {
		return buf, err
	}
	defer it.Close()
	for it.Next() {
		p := it.At()
		buf = append(buf[:0], prefix...)
		buf = appendInt(buf, p.Step)
		buf = append(buf, `,"time":`...)
		buf = appendInt(buf, p.Time)
		buf = append(buf, `,"value":`...)
		buf = jsonl.AppendValue(buf, p.Value)
		buf = append(buf, '}', '\n')
		if _, err := w.Write(buf); err != nil {
			return buf, err
		}
	}
	if err := it.Err(); err != nil {
		return buf, fmt.Errorf("run %q metric %q: %w", s.RunID, s.Metric, err)
	}
	return buf, nil
}
