package query

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/trackdb/trackdb/index"
	"github.com/trackdb/trackdb/internal/jsonl"
)

// Formats Result.Write knows.
const (
	FormatTable = "table" // aligned columns, one run or one point a line
	FormatJSON  = "json"  // JSON Lines: one run or one curve an object
	FormatCSV   = "csv"   // RFC 4180, a header line, then as table
)

// Write renders the result in format: table, json or csv. Tables and CSV
// print a run search as one run a row (with the ORDER BY keys as
// columns) and curves in long form, one point a row; JSON prints one
// object a line, one run or one curve each.
func (r *Result) Write(w io.Writer, format string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case FormatTable:
		tw := tabwriter.NewWriter(bw, 0, 8, 2, ' ', 0)
		r.rows(func(cells []string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) })
		err = tw.Flush()
	case FormatCSV:
		cw := csv.NewWriter(bw)
		r.rows(func(cells []string) { cw.Write(cells) })
		cw.Flush()
		err = cw.Error()
	case FormatJSON:
		r.writeJSON(bw)
	default:
		return fmt.Errorf("%w: unknown format %q (want table, json or csv)", ErrInvalid, format)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// rows calls row with the header and then each row of the table form.
func (r *Result) rows(row func([]string)) {
	switch r.Kind {
	case KindRuns:
		row(append([]string{"RUN", "EXPERIMENT", "NAME", "STATUS"}, r.Columns...))
		for _, run := range r.Runs {
			cells := []string{cell(run.ID), cell(run.Experiment), cell(run.Name), cell(run.Status)}
			for _, v := range run.Keys {
				cells = append(cells, valueText(v))
			}
			row(cells)
		}
	case KindSeries:
		row([]string{"RUN", "METRIC", "CONTEXT", strings.ToUpper(r.X), "VALUE"})
		for i := range r.Curves {
			c := &r.Curves[i]
			for _, p := range c.Points {
				row([]string{cell(c.RunID), cell(c.Metric), contextText(c.Context),
					strconv.FormatInt(c.XOf(p, r.X), 10), floatText(p.Value)})
			}
		}
	case KindAggregate:
		row([]string{"GROUP", "METRIC", "CONTEXT", "AGG", "RUNS", "STEP", "VALUE"})
		for i := range r.Curves {
			c := &r.Curves[i]
			for _, p := range c.Points {
				row([]string{groupText(c.Group), cell(c.Metric), contextText(c.Context), c.Agg,
					strconv.Itoa(c.Runs), strconv.FormatInt(p.Step, 10), floatText(p.Value)})
			}
		}
	}
}

// cell keeps a table cell on one line and visibly non-empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.NewReplacer("\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}

func valueText(v index.Value) string {
	switch v.Kind {
	case 0:
		return "-"
	case index.KindFloat:
		return floatText(v.Float)
	}
	return cell(v.String())
}

func floatText(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func contextText(ctx map[string]string) string {
	if len(ctx) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(ctx))
	for k := range ctx {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + ctx[k]
	}
	return cell(strings.Join(parts, ","))
}

func groupText(g []GroupValue) string {
	if len(g) == 0 {
		return "*"
	}
	parts := make([]string, len(g))
	for i, v := range g {
		parts[i] = v.Field + "=" + valueText(v.Value)
	}
	return cell(strings.Join(parts, ","))
}

func (r *Result) writeJSON(w *bufio.Writer) {
	var b []byte
	switch r.Kind {
	case KindRuns:
		for _, run := range r.Runs {
			b = append(b[:0], `{"run":`...)
			b = jsonl.AppendString(b, run.ID)
			b = append(b, `,"experiment":`...)
			b = jsonl.AppendString(b, run.Experiment)
			b = append(b, `,"name":`...)
			b = jsonl.AppendString(b, run.Name)
			b = append(b, `,"status":`...)
			b = jsonl.AppendString(b, run.Status)
			b = append(b, `,"start_time":`...)
			b = strconv.AppendInt(b, run.StartTime, 10)
			if run.EndTime != 0 {
				b = append(b, `,"end_time":`...)
				b = strconv.AppendInt(b, run.EndTime, 10)
			}
			b = append(b, `,"params":{`...)
			keys := make([]string, 0, len(run.Params))
			for k := range run.Params {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for i, k := range keys {
				if i > 0 {
					b = append(b, ',')
				}
				b = jsonl.AppendString(b, k)
				b = append(b, ':')
				b = appendValue(b, run.Params[k])
			}
			b = append(b, `},"tags":`...)
			b = jsonl.AppendStringMap(b, run.Tags)
			if len(run.Datasets) > 0 {
				b = append(b, `,"datasets":[`...)
				for i, d := range run.Datasets {
					if i > 0 {
						b = append(b, ',')
					}
					b = append(b, `{"name":`...)
					b = jsonl.AppendString(b, d.Name)
					b = append(b, `,"digest":`...)
					b = jsonl.AppendString(b, d.Digest)
					b = append(b, `,"context":`...)
					b = jsonl.AppendString(b, d.Context)
					b = append(b, '}')
				}
				b = append(b, ']')
			}
			if len(r.Columns) > 0 {
				b = append(b, `,"keys":{`...)
				for i, col := range r.Columns {
					if i > 0 {
						b = append(b, ',')
					}
					b = jsonl.AppendString(b, col)
					b = append(b, ':')
					b = appendValue(b, run.Keys[i])
				}
				b = append(b, '}')
			}
			b = append(b, '}', '\n')
			w.Write(b)
		}
	default:
		for i := range r.Curves {
			c := &r.Curves[i]
			b = append(b[:0], '{')
			if c.RunID != "" {
				b = append(b, `"run":`...)
				b = jsonl.AppendString(b, c.RunID)
				b = append(b, ',')
			}
			if c.Agg != "" {
				b = append(b, `"group":{`...)
				for i, g := range c.Group {
					if i > 0 {
						b = append(b, ',')
					}
					b = jsonl.AppendString(b, g.Field)
					b = append(b, ':')
					b = appendValue(b, g.Value)
				}
				b = append(b, `},"agg":`...)
				b = jsonl.AppendString(b, c.Agg)
				b = append(b, `,"runs":`...)
				b = strconv.AppendInt(b, int64(c.Runs), 10)
				b = append(b, ',')
			}
			b = append(b, `"metric":`...)
			b = jsonl.AppendString(b, c.Metric)
			b = append(b, `,"context":`...)
			b = jsonl.AppendStringMap(b, c.Context)
			b = append(b, `,"x":`...)
			b = jsonl.AppendString(b, r.X)
			b = append(b, `,"points":[`...)
			for i, p := range c.Points {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = strconv.AppendInt(b, c.XOf(p, r.X), 10)
				b = append(b, ',')
				b = jsonl.AppendValue(b, p.Value)
				b = append(b, ']')
			}
			b = append(b, "]}\n"...)
			w.Write(b)
		}
	}
}

// appendValue writes a typed value as JSON; null when missing.
func appendValue(b []byte, v index.Value) []byte {
	switch v.Kind {
	case index.KindString:
		return jsonl.AppendString(b, v.Str)
	case index.KindInt:
		return jsonl.AppendParam(b, v.Int)
	case index.KindFloat:
		return jsonl.AppendParam(b, v.Float)
	case index.KindBool:
		return jsonl.AppendParam(b, v.Bool)
	}
	return append(b, "null"...)
}
