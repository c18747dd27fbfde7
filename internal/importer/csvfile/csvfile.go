// Package csvfile imports metric points from CSV files, in one of two
// shapes told apart by the header row (names are case-insensitive):
//
//	wide: run,step,time,<metric>,<metric>...   one row per run and step; an empty cell is no point
//	long: run,metric,step,time,value           one row per point; an optional context column
//	                                           holds the series' labels as a JSON object
//
// A file is long when its header has both "metric" and "value" columns,
// and wide otherwise; "run" and "step" are required, "time" (Unix
// milliseconds) is optional and an empty or missing time is 0 — never
// the time of the import, so that importing a file twice gives the same
// points. Values are decimal numbers or NaN, Inf, +Inf, -Inf, Infinity,
// -Infinity (any case). Steps are integers; an exact float such as 3.0 is
// accepted. A run not in the store is created with its first row's time
// as start time. CSV carries no params, tags or statuses: export as JSON
// Lines for those. A bad row is a warning naming file, line and column.
package csvfile

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
)

// Format is the importer's name.
const Format = "csv"

// Errors of the CSV importer, wrapped in a sink.PosError.
var (
	// ErrHeader is a header row without the required columns.
	ErrHeader = errors.New("trackdb/csv: bad header")
	// ErrRow is a row whose step, time, value or context does not parse.
	ErrRow = errors.New("trackdb/csv: bad row")
)

// Columns of a long file, in the order export writes them.
var LongHeader = []string{"run", "metric", "context", "step", "time", "value"}

type layout struct {
	long                           bool
	run, metric, step, time, value int
	context                        int
	metrics                        []int // wide: the metric columns
	names                          []string
}

func parseHeader(h []string) (layout, error) {
	l := layout{run: -1, metric: -1, step: -1, time: -1, value: -1, context: -1}
	cols := map[string]*int{"run": &l.run, "metric": &l.metric, "step": &l.step, "time": &l.time, "value": &l.value, "context": &l.context}
	for i, name := range h {
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff") // a BOM, as spreadsheets write
		}
		if p := cols[strings.ToLower(strings.TrimSpace(name))]; p != nil && *p < 0 {
			*p = i
		}
	}
	l.long = l.metric >= 0 && l.value >= 0
	if l.run < 0 || l.step < 0 {
		return l, fmt.Errorf("%w: need run and step columns, got %q", ErrHeader, h)
	}
	if !l.long {
		if l.metric >= 0 || l.value >= 0 || l.context >= 0 {
			return l, fmt.Errorf("%w: a long file needs both metric and value columns; a wide file has neither, nor context", ErrHeader)
		}
		for i, name := range h {
			if i != l.run && i != l.step && i != l.time {
				l.metrics = append(l.metrics, i)
				l.names = append(l.names, name)
			}
		}
		if len(l.metrics) == 0 {
			return l, fmt.Errorf("%w: no metric columns", ErrHeader)
		}
	}
	return l, nil
}

// Import imports one CSV file.
func Import(s *sink.Sink, path string, progress func(int64)) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	digest, err := sink.Fingerprint([]string{abs})
	if err != nil {
		return err
	}
	f, err := os.Open(abs)
	if err != nil {
		return err
	}
	defer f.Close()
	if progress != nil {
		if fi, err := f.Stat(); err == nil {
			defer progress(fi.Size())
		}
	}
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return sink.InFile(path, err)
	}
	lay, err := parseHeader(header)
	if err != nil {
		return sink.AtLine(path, 1, err)
	}
	im := &importer{s: s, src: sink.Source{Format: Format, Path: abs, Digest: digest}, runs: map[string]*sink.Run{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				s.Skip(1)
				if werr := s.Warn(sink.AtLine(path, pe.Line, err)); werr != nil {
					return werr
				}
				continue
			}
			return sink.InFile(path, err)
		}
		line, _ := cr.FieldPos(0) // the record has at least one field
		if err := im.row(&lay, rec); err != nil {
			var re *rowError
			if !errors.As(err, &re) {
				return sink.AtLine(path, line, err)
			}
			s.Skip(1)
			msg := re.err
			if re.col >= 0 && re.col < len(rec) {
				_, col := cr.FieldPos(re.col)
				msg = fmt.Errorf("column %d: %w", col, re.err)
			}
			if werr := s.Warn(sink.AtLine(path, line, msg)); werr != nil {
				return werr
			}
		}
	}
	for _, id := range im.order {
		if err := im.runs[id].Finish(); err != nil {
			return err
		}
	}
	return nil
}

// rowError is a bad cell: the row is skipped, the import goes on.
type rowError struct {
	col int
	err error
}

func (e *rowError) Error() string { return e.err.Error() }

type importer struct {
	s     *sink.Sink
	src   sink.Source
	runs  map[string]*sink.Run
	order []string
	ctx   map[string]engine.Context // parsed context cells
}

func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (im *importer) row(l *layout, rec []string) error {
	id := cell(rec, l.run)
	if id == "" {
		return &rowError{l.run, fmt.Errorf("%w: empty run", ErrRow)}
	}
	step, err := parseStep(cell(rec, l.step))
	if err != nil {
		return &rowError{l.step, err}
	}
	var t int64
	if c := cell(rec, l.time); c != "" {
		if t, err = parseStep(c); err != nil {
			return &rowError{l.time, err}
		}
	}
	r := im.runs[id]
	if r == nil {
		if err := engine.ValidateRunID(id); err != nil {
			return &rowError{l.run, err}
		}
		if r, err = im.s.Begin(im.src, engine.RunSpec{ID: id, StartTime: t}); err != nil {
			return err
		}
		im.runs[id] = r
		im.order = append(im.order, id)
	}
	if l.long {
		v, err := parseValue(cell(rec, l.value))
		if err != nil {
			return &rowError{l.value, err}
		}
		ctx, err := im.context(cell(rec, l.context))
		if err != nil {
			return &rowError{l.context, err}
		}
		metric := cell(rec, l.metric)
		if metric == "" {
			return &rowError{l.metric, fmt.Errorf("%w: empty metric", ErrRow)}
		}
		return r.Add(metric, ctx, step, t, v)
	}
	for k, i := range l.metrics {
		c := cell(rec, i)
		if c == "" {
			continue
		}
		v, err := parseValue(c)
		if err != nil {
			return &rowError{i, err}
		}
		if err := r.Add(l.names[k], nil, step, t, v); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) context(c string) (engine.Context, error) {
	if c == "" || c == "{}" {
		return nil, nil
	}
	if ctx, ok := im.ctx[c]; ok {
		return ctx, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(c), &m); err != nil {
		return nil, fmt.Errorf("%w: context %q is not a JSON object of strings", ErrRow, c)
	}
	if im.ctx == nil {
		im.ctx = map[string]engine.Context{}
	}
	im.ctx[c] = m
	return m, nil
}

func parseStep(c string) (int64, error) {
	if n, err := strconv.ParseInt(c, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(c, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return 0, fmt.Errorf("%w: %q is not an integer", ErrRow, c)
	}
	return int64(f), nil
}

func parseValue(c string) (float64, error) {
	v, err := strconv.ParseFloat(c, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%w: value %q is not a number", ErrRow, c)
	}
	return v, nil
}
