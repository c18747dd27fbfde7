package index

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// FieldKind says which namespace a [Field] belongs to. The numbers are
// part of the block format.
type FieldKind uint8

// Field kinds.
const (
	// FieldAttr is a run attribute: experiment, name, status, run_id
	// (strings) and start_time, end_time (ints); see the Attr constants.
	FieldAttr FieldKind = 1
	// FieldParam is a typed hyperparameter, keyed by its flattened name.
	FieldParam FieldKind = 2
	// FieldTag is a string tag.
	FieldTag FieldKind = 3
	// FieldMetric is one statistic of a metric summary: Key is the metric
	// name, Context its context key and Stat the statistic.
	FieldMetric FieldKind = 4
)

// String returns the kind's name as the query language prefixes it.
func (k FieldKind) String() string {
	switch k {
	case FieldAttr:
		return "attributes"
	case FieldParam:
		return "params"
	case FieldTag:
		return "tags"
	case FieldMetric:
		return "metrics"
	}
	return fmt.Sprintf("FieldKind(%d)", uint8(k))
}

// Attribute names. The engine sets them with [Head.Set] like any other
// field: the string attributes as [String] values, the times as [Int]
// values in Unix milliseconds. An unset end time is absent (IS NULL), not 0.
const (
	AttrRunID      = "run_id"
	AttrExperiment = "experiment"
	AttrName       = "name"
	AttrStatus     = "status"
	AttrStartTime  = "start_time"
	AttrEndTime    = "end_time"
)

// Stat is one statistic of a metric [Summary]. The numbers are part of the
// block format.
type Stat uint8

// Summary statistics.
const (
	StatLast  Stat = 1 // the value at the highest step
	StatMin   Stat = 2 // the smallest non-NaN value
	StatMax   Stat = 3 // the largest non-NaN value
	StatCount Stat = 4 // the number of points, an int
)

// String returns the statistic's name as the query language spells it.
func (s Stat) String() string {
	switch s {
	case StatLast:
		return "last"
	case StatMin:
		return "min"
	case StatMax:
		return "max"
	case StatCount:
		return "count"
	}
	return fmt.Sprintf("Stat(%d)", uint8(s))
}

// Field names what a predicate or sort key looks at.
type Field struct {
	// Kind is the namespace.
	Kind FieldKind
	// Key is the attribute name, param key, tag key or metric name.
	Key string
	// Context is the metric's context key as [ContextKey] builds it
	// (FieldMetric only); empty is the default context.
	Context string
	// Stat is the summary statistic (FieldMetric only).
	Stat Stat
}

// Attr returns the attribute field name.
func Attr(name string) Field { return Field{Kind: FieldAttr, Key: name} }

// Param returns the param field key.
func Param(key string) Field { return Field{Kind: FieldParam, Key: key} }

// Tag returns the tag field key.
func Tag(key string) Field { return Field{Kind: FieldTag, Key: key} }

// Metric returns the field for statistic stat of metric name in the
// context with key ctx ("" for the default context).
func Metric(name, ctx string, stat Stat) Field {
	return Field{Kind: FieldMetric, Key: name, Context: ctx, Stat: stat}
}

// String renders the field as the query language would: params.lr,
// last(val/acc), last(val/acc{subset=val}).
func (f Field) String() string {
	if f.Kind == FieldMetric {
		name := f.Key
		if f.Context != "" {
			parts := strings.Split(f.Context, "\x00")
			var b strings.Builder
			for i := 0; i+1 < len(parts); i += 2 {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(parts[i] + "=" + strconv.Quote(parts[i+1]))
			}
			name += "{" + b.String() + "}"
		}
		return f.Stat.String() + "(" + name + ")"
	}
	return f.Kind.String() + "." + f.Key
}

// ContextKey returns the canonical key of a metric context: the labels'
// name and value pairs sorted by name, every name and value separated by a
// NUL byte, as the engine builds it. The empty context has the empty key.
func ContextKey(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	names := make([]string, 0, len(labels))
	for k := range labels {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(labels[k])
	}
	return b.String()
}

// Summary is what the index keeps of one series of one run: the statistics
// the engine maintains at write time. A layer's summary of a series is
// cumulative: it covers every point of the series up to the moment the
// layer was written, so the newest layer's summary is the whole answer.
type Summary struct {
	Count int64   // points stored, NaN included
	Last  float64 // value at the highest step
	Min   float64 // smallest non-NaN value; NaN when every value is NaN
	Max   float64 // largest non-NaN value; NaN when every value is NaN
}

// stat returns statistic s of the summary as a number.
func (s *Summary) stat(st Stat) num {
	switch st {
	case StatLast:
		return num{f: s.Last}
	case StatMin:
		return num{f: s.Min}
	case StatMax:
		return num{f: s.Max}
	case StatCount:
		return num{isInt: true, i: s.Count}
	}
	return num{f: math.NaN()}
}
