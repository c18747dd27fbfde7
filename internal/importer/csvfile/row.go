package csvfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
)

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
