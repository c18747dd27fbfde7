package csvfile

import (
	"fmt"
	"strings"
)

// LongHeader is the header of a long file as export writes it.
var LongHeader = []string{"run", "metric", "context", "step", "time", "value"}

// layout says which column holds what.
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
