package engine

import (
	"math"
	"strings"

	"github.com/trackdb/trackdb/index"
)

// Context is a series' context labels, as Aim calls them: {"subset": "val"}.
// A nil or empty Context is the default context.
type Context map[string]string

// key returns the context's canonical form: sorted name=value pairs joined
// by NUL bytes, which no validated label contains. Equal contexts have equal
// keys, and the empty context has the empty key.
func (c Context) key() string {
	switch len(c) {
	case 0:
		return ""
	case 1: // the common case, without the sort
		for k, v := range c {
			return k + "\x00" + v
		}
	}
	return index.ContextKey(c)
}

// String renders the context as {a=1, b=2} in name order.
func (c Context) String() string {
	if len(c) == 0 {
		return "{}"
	}
	parts := strings.Split(c.key(), "\x00")
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(parts); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(parts[i])
		b.WriteByte('=')
		b.WriteString(parts[i+1])
	}
	b.WriteByte('}')
	return b.String()
}

// clone copies c so the caller's map can change afterwards.
func (c Context) clone() Context {
	if len(c) == 0 {
		return nil
	}
	out := make(Context, len(c))
	for k, v := range c {
		out[k] = v
	}
	return out
}

// SeriesRef is a series' numeric handle. Refs are assigned once, never
// reused, and survive reopen; hot paths use them so that appending a point
// hashes no strings.
type SeriesRef uint64

// Point is one stored point of a series.
type Point struct {
	Step  int64   // training step; the series' ordering key
	Time  int64   // wall time, Unix milliseconds
	Value float64 // stored bit-exactly, NaN and -0 included
}

// Sample is a point addressed to a series, the unit of DB.Append.
type Sample struct {
	Ref   SeriesRef
	Step  int64
	Time  int64
	Value float64
}

// Summary is kept for every series at write time so that questions like
// "last value of val/acc" never decode chunks.
type Summary struct {
	Count     int64   // points stored, NaN included
	FirstStep int64   // lowest step
	LastStep  int64   // highest step
	Last      float64 // value at the highest step; ties go to the latest time, then the latest append
	LastTime  int64   // wall time of Last
	Min       float64 // smallest non-NaN value; NaN when every value is NaN
	Max       float64 // largest non-NaN value; NaN when every value is NaN
}

func newSummary() Summary {
	return Summary{Min: math.NaN(), Max: math.NaN(), Last: math.NaN()}
}

func (s *Summary) add(step, t int64, v float64) {
	if s.Count == 0 {
		s.FirstStep, s.LastStep, s.Last, s.LastTime = step, step, v, t
	} else {
		if step < s.FirstStep {
			s.FirstStep = step
		}
		if step > s.LastStep || (step == s.LastStep && t >= s.LastTime) {
			s.LastStep, s.Last, s.LastTime = step, v, t
		}
	}
	s.Count++
	if v == v { // not NaN
		if !(v >= s.Min) { // also true while Min is NaN
			s.Min = v
		}
		if !(v <= s.Max) {
			s.Max = v
		}
	}
}

// SeriesInfo describes one series of a run.
type SeriesInfo struct {
	Ref     SeriesRef
	RunID   string
	Metric  string
	Context Context
	Summary Summary
}

// merge returns the summary of s's points followed by o's: o was appended
// later, so it wins ties on the last step.
func (s Summary) merge(o Summary) Summary {
	if o.Count == 0 {
		return s
	}
	if s.Count == 0 {
		return o
	}
	out := s
	out.Count += o.Count
	out.FirstStep = min(s.FirstStep, o.FirstStep)
	if o.LastStep > s.LastStep || (o.LastStep == s.LastStep && o.LastTime >= s.LastTime) {
		out.LastStep, out.Last, out.LastTime = o.LastStep, o.Last, o.LastTime
	}
	if o.Min == o.Min && !(o.Min >= out.Min) {
		out.Min = o.Min
	}
	if o.Max == o.Max && !(o.Max <= out.Max) {
		out.Max = o.Max
	}
	return out
}
