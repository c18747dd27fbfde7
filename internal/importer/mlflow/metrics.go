package mlflow

import (
	"bytes"
	"fmt"
	"strconv"
)

// MetricLineError is a bad line of a metric file.
type MetricLineError struct {
	Line int
	Err  error
}

func (e *MetricLineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *MetricLineError) Unwrap() error { return e.Err }

// ParseMetrics calls point for each line of a metric file:
// "<timestamp ms> <value> <step>", or "<timestamp ms> <value>" (step 0)
// as MLflow before 1.0 wrote. Values are Python's float text, "nan",
// "inf" and "-inf" included. Blank lines are skipped. A bad line is
// passed to bad (a *MetricLineError wrapping ErrMetricLine) and parsing
// goes on when bad returns nil.
func ParseMetrics(b []byte, point func(ts int64, v float64, step int64) error, bad func(error) error) error {
	for n := 1; len(b) > 0; n++ {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if len(line) == 0 {
			continue
		}
		ts, v, step, err := parseMetricLine(line)
		if err != nil {
			if err := bad(&MetricLineError{Line: n, Err: err}); err != nil {
				return err
			}
			continue
		}
		if err := point(ts, v, step); err != nil {
			return err
		}
	}
	return nil
}

func parseMetricLine(line []byte) (ts int64, v float64, step int64, err error) {
	var f [3][]byte
	k := 0
	for i := 0; i < len(line); {
		if c := line[i]; c == ' ' || c == '\t' || c == '\r' {
			i++
			continue
		}
		if k == 3 {
			return 0, 0, 0, fmt.Errorf("%w: more than 3 fields", ErrMetricLine)
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' {
			j++
		}
		f[k] = line[i:j]
		k++
		i = j
	}
	if k < 2 {
		return 0, 0, 0, fmt.Errorf("%w: %d field(s), want <timestamp> <value> [<step>]", ErrMetricLine, k)
	}
	var ok bool
	if ts, ok = atoi(f[0]); !ok {
		return 0, 0, 0, fmt.Errorf("%w: timestamp %q is not an integer", ErrMetricLine, f[0])
	}
	if v, err = strconv.ParseFloat(string(f[1]), 64); err != nil {
		return 0, 0, 0, fmt.Errorf("%w: value %q is not a number", ErrMetricLine, f[1])
	}
	if k == 3 {
		if step, ok = atoi(f[2]); !ok {
			return 0, 0, 0, fmt.Errorf("%w: step %q is not an integer", ErrMetricLine, f[2])
		}
	}
	return ts, v, step, nil
}

// atoi parses a base-10 int64 without allocating.
func atoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg || b[0] == '+' {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (1<<63-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	if neg {
		return -int64(n), true
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}
