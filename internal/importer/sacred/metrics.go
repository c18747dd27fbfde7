package sacred

import (
	"encoding/json"
	"fmt"
)

// Metric is one entry of metrics.json.
type Metric struct {
	Steps      []json.Number `json:"steps"`
	Timestamps []string      `json:"timestamps"`
	Values     []any         `json:"values"`
}

// ParseMetrics parses a metrics.json.
func ParseMetrics(b []byte) (map[string]Metric, error) {
	var m map[string]Metric
	if err := decodePython(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Points calls point for each point of a metric. A step that is not an
// integer, a bad timestamp or a value that is not a number (null) is
// passed to bad with its index, and skipped.
func (m *Metric) Points(point func(step, t int64, v float64) error, bad func(error) error) error {
	n := len(m.Values)
	if len(m.Steps) != n || len(m.Timestamps) != n {
		if err := bad(fmt.Errorf("%w: %d steps, %d timestamps, %d values; the first %d points are read",
			ErrMetrics, len(m.Steps), len(m.Timestamps), n, min(n, len(m.Steps), len(m.Timestamps)))); err != nil {
			return err
		}
		n = min(n, len(m.Steps), len(m.Timestamps))
	}
	for i := range n {
		step, err := m.Steps[i].Int64()
		if err != nil {
			if err := bad(fmt.Errorf("%w: step %d: %q is not an integer", ErrMetrics, i, m.Steps[i])); err != nil {
				return err
			}
			continue
		}
		t, err := Time(m.Timestamps[i])
		if err != nil {
			if err := bad(fmt.Errorf("%w: timestamp %d: %w", ErrMetrics, i, err)); err != nil {
				return err
			}
			continue
		}
		v, ok := number(m.Values[i])
		if !ok {
			if err := bad(fmt.Errorf("%w: value %d: %v is not a number", ErrMetrics, i, m.Values[i])); err != nil {
				return err
			}
			continue
		}
		if err := point(step, t, v); err != nil {
			return err
		}
	}
	return nil
}
