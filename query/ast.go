package query

import (
	"strconv"
	"strings"

	"github.com/trackdb/trackdb/index"
)

// Node is a node of the syntax tree. Every node's String returns query
// text that parses back to an equal node (see [Equal]).
type Node interface {
	// Pos returns the offset of the node's first byte in the query text.
	Pos() Pos
	// String renders the node as query text.
	String() string
}

// Query is a whole query: a [*RunsQuery] or a [*SeriesQuery].
type Query interface {
	Node
	queryNode()
}

// Expr is a run filter: a [*BinaryExpr], [*NotExpr], [*ParenExpr] or
// [*Comparison].
type Expr interface {
	Node
	exprNode()
}

// RunsQuery searches runs:
//
//	runs [where FILTER] [order by KEY [asc|desc], ...] [limit N] [offset N | page 'TOKEN']
//
// A query that starts with neither RUNS nor SERIES is a run filter (MLflow's
// filter string) and parses as a RunsQuery too.
type RunsQuery struct {
	Runs   Pos         // position of RUNS, or of the filter
	Where  Expr        // the filter; nil matches every run
	Order  []*OrderKey // ORDER BY keys
	Limit  *Literal    // LIMIT, an int; nil for none
	Offset *Literal    // OFFSET, an int; nil for none
	Page   *Literal    // PAGE, a string token; nil for none
}

// SeriesQuery reads curves, or aggregates them across runs:
//
//	series ITEM, ... [from runs] [where FILTER] [group by FIELD, ...]
//	       [order by KEY, ...] [limit N] [offset N]
//	       [steps A..B] [time A..B] [downsample N [minmax|lttb]] [smooth W] [x step|time|relative]
type SeriesQuery struct {
	Series  Pos           // position of SERIES
	Items   []*SeriesItem // what to read
	Where   Expr          // which runs; nil for all
	GroupBy []*Field      // GROUP BY fields (aggregates only)
	Order   []*OrderKey   // order of the runs read
	Limit   *Literal      // at most this many runs
	Offset  *Literal      // skip this many runs
	Steps   *Range        // step range, inclusive
	Time    *Range        // wall time range in Unix ms, inclusive
	Sample  *Downsample   // DOWNSAMPLE; nil for every point
	Smooth  *Literal      // SMOOTH weight in [0, 1); nil for none
	X       *XAxis        // X axis; nil is step
}

// BoolOp is AND or OR.
type BoolOp uint8

// Boolean operators.
const (
	OpAnd BoolOp = iota + 1 // AND
	OpOr                    // OR
)

// String returns AND or OR.
func (o BoolOp) String() string {
	if o == OpAnd {
		return "AND"
	}
	return "OR"
}

// BinaryExpr is X AND Y or X OR Y.
type BinaryExpr struct {
	X     Expr   // left operand
	OpPos Pos    // position of the operator
	Op    BoolOp // AND or OR
	Y     Expr   // right operand
}

// NotExpr is NOT X.
type NotExpr struct {
	Not Pos  // position of NOT
	X   Expr // operand
}

// ParenExpr is a parenthesized filter.
type ParenExpr struct {
	Lparen Pos  // position of (
	X      Expr // the filter inside
}

// CompareOp is the operator of a [Comparison].
type CompareOp uint8

// Comparison operators.
const (
	OpEq        CompareOp = iota + 1 // = (also ==)
	OpNe                             // != (also <>)
	OpLt                             // <
	OpLe                             // <=
	OpGt                             // >
	OpGe                             // >=
	OpIn                             // IN (list)
	OpNotIn                          // NOT IN (list)
	OpLike                           // LIKE pattern
	OpNotLike                        // NOT LIKE pattern
	OpILike                          // ILIKE pattern
	OpNotILike                       // NOT ILIKE pattern
	OpRegexp                         // REGEXP pattern (also RLIKE, ~)
	OpNotRegexp                      // NOT REGEXP pattern
	OpIsNull                         // IS NULL
	OpIsNotNull                      // IS NOT NULL
)

var compareNames = [...]string{
	OpEq: "=", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpIn: "IN", OpNotIn: "NOT IN", OpLike: "LIKE", OpNotLike: "NOT LIKE",
	OpILike: "ILIKE", OpNotILike: "NOT ILIKE", OpRegexp: "REGEXP", OpNotRegexp: "NOT REGEXP",
	OpIsNull: "IS NULL", OpIsNotNull: "IS NOT NULL",
}

// String returns the operator as the language writes it.
func (o CompareOp) String() string {
	if o >= OpEq && o <= OpIsNotNull {
		return compareNames[o]
	}
	return "CompareOp(" + strconv.Itoa(int(o)) + ")"
}

// Comparison is FIELD OP VALUE, FIELD [NOT] IN (VALUES), FIELD IS [NOT] NULL.
type Comparison struct {
	Field  *Field     // the left side
	OpPos  Pos        // position of the operator
	Op     CompareOp  // the operator
	Value  *Literal   // the right side of a comparison or pattern match
	Values []*Literal // the list of IN and NOT IN
}

// FieldKind is the namespace of a [Field].
type FieldKind uint8

// Field kinds.
const (
	FieldAttr    FieldKind = iota + 1 // a run attribute
	FieldParam                        // a param
	FieldTag                          // a tag
	FieldMetric                       // a statistic of a metric
	FieldDataset                      // a property of the run's input datasets
)

// Field is what a comparison, sort key or group key looks at.
type Field struct {
	NamePos Pos       // position of the field's first byte
	Kind    FieldKind // namespace
	// Key is the canonical attribute name (run_id, experiment, name,
	// status, start_time, end_time, or another MLflow attribute), the
	// param or tag key, the metric name, or the dataset property (name,
	// digest, context).
	Key string
	// Stat is the metric statistic; metrics.X is last.
	Stat index.Stat
	// Func is set when the metric was written as a function, last(X).
	Func bool
	// Context holds a metric's context labels as written in braces.
	Context []Label
}

// Label is one context label, name="value".
type Label struct {
	Name  string // label name
	Value string // label value
}

// Literal is a constant: a string, an int, a float or a bool.
type Literal struct {
	ValuePos Pos         // position of the first byte (a sign included)
	Value    index.Value // the value
}

// OrderKey is one key of ORDER BY.
type OrderKey struct {
	Field *Field // the key
	Desc  bool   // DESC
}

// Range is A..B; either bound may be missing (open).
type Range struct {
	From Pos      // position of the keyword (STEPS, TIME)
	Lo   *Literal // lower bound, an int; nil for none
	Hi   *Literal // upper bound, an int; nil for none
}

// MatchKind says how a [SeriesItem] names metrics.
type MatchKind uint8

// Metric match kinds.
const (
	MatchName   MatchKind = iota // the metric named Name
	MatchLike                    // metrics whose name is LIKE Name
	MatchRegexp                  // metrics whose name matches the regex Name
)

// SeriesItem is one item of SERIES: metrics by name or pattern, optionally
// restricted to context labels, optionally aggregated across runs.
type SeriesItem struct {
	ItemPos Pos       // position of the item
	Agg     string    // "", or mean, std, min, max, count
	Match   MatchKind // how Name selects metrics
	Name    string    // the metric name or pattern
	// Context restricts the series to those whose context has these
	// labels; HasContext with no labels means the default context only.
	Context    []Label
	HasContext bool
}

// Downsample is DOWNSAMPLE N [MINMAX|LTTB].
type Downsample struct {
	DownPos Pos    // position of DOWNSAMPLE
	N       int64  // points per series at most
	Method  string // "minmax" or "lttb"
}

// XAxis is X STEP|TIME|RELATIVE.
type XAxis struct {
	XPos Pos    // position of X
	Axis string // "step", "time" or "relative"
}

// Pos returns the offset of RUNS (or the filter).
func (q *RunsQuery) Pos() Pos { return q.Runs }

// Pos returns the offset of SERIES.
func (q *SeriesQuery) Pos() Pos { return q.Series }

// Pos returns the offset of the left operand.
func (e *BinaryExpr) Pos() Pos { return e.X.Pos() }

// Pos returns the offset of NOT.
func (e *NotExpr) Pos() Pos { return e.Not }

// Pos returns the offset of the opening parenthesis.
func (e *ParenExpr) Pos() Pos { return e.Lparen }

// Pos returns the offset of its field.
func (e *Comparison) Pos() Pos { return e.Field.Pos() }

// Pos returns the offset of the field.
func (f *Field) Pos() Pos { return f.NamePos }

// Pos returns the offset of the literal (its sign included).
func (l *Literal) Pos() Pos { return l.ValuePos }

// Pos returns the offset of its field.
func (k *OrderKey) Pos() Pos { return k.Field.Pos() }

// Pos returns the offset of STEPS or TIME.
func (r *Range) Pos() Pos { return r.From }

// Pos returns the offset of the item.
func (s *SeriesItem) Pos() Pos { return s.ItemPos }

// Pos returns the offset of DOWNSAMPLE.
func (d *Downsample) Pos() Pos { return d.DownPos }

// Pos returns the offset of X.
func (x *XAxis) Pos() Pos { return x.XPos }

func (*RunsQuery) queryNode()   {}
func (*SeriesQuery) queryNode() {}
func (*BinaryExpr) exprNode()   {}
func (*NotExpr) exprNode()      {}
func (*ParenExpr) exprNode()    {}
func (*Comparison) exprNode()   {}

// String renders the query.
func (q *RunsQuery) String() string {
	var b strings.Builder
	b.WriteString("runs")
	if q.Where != nil {
		b.WriteString(" where " + q.Where.String())
	}
	writeTail(&b, q.Order, q.Limit, q.Offset)
	if q.Page != nil {
		b.WriteString(" page " + q.Page.String())
	}
	return b.String()
}

func writeTail(b *strings.Builder, order []*OrderKey, limit, offset *Literal) {
	if len(order) > 0 {
		b.WriteString(" order by ")
		for i, k := range order {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k.String())
		}
	}
	if limit != nil {
		b.WriteString(" limit " + limit.String())
	}
	if offset != nil {
		b.WriteString(" offset " + offset.String())
	}
}

// String renders the query.
func (q *SeriesQuery) String() string {
	var b strings.Builder
	b.WriteString("series ")
	for i, it := range q.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(it.String())
	}
	b.WriteString(" from runs")
	if q.Where != nil {
		b.WriteString(" where " + q.Where.String())
	}
	if len(q.GroupBy) > 0 {
		b.WriteString(" group by ")
		for i, f := range q.GroupBy {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.String())
		}
	}
	writeTail(&b, q.Order, q.Limit, q.Offset)
	if q.Steps != nil {
		b.WriteString(" steps " + q.Steps.String())
	}
	if q.Time != nil {
		b.WriteString(" time " + q.Time.String())
	}
	if q.Sample != nil {
		b.WriteString(" " + q.Sample.String())
	}
	if q.Smooth != nil {
		b.WriteString(" smooth " + q.Smooth.String())
	}
	if q.X != nil {
		b.WriteString(" " + q.X.String())
	}
	return b.String()
}

// String renders X AND Y, parenthesizing an operand that binds looser.
func (e *BinaryExpr) String() string {
	return operand(e.X, e.Op) + " " + e.Op.String() + " " + operand(e.Y, e.Op)
}

// operand renders x as an operand of op: an OR inside an AND needs
// parentheses (the parser never builds one without a ParenExpr, but a
// tree built by hand may).
func operand(x Expr, op BoolOp) string {
	if b, ok := x.(*BinaryExpr); ok && op == OpAnd && b.Op == OpOr {
		return "(" + b.String() + ")"
	}
	return x.String()
}

// String renders NOT X.
func (e *NotExpr) String() string {
	if _, ok := e.X.(*BinaryExpr); ok {
		return "NOT (" + e.X.String() + ")"
	}
	return "NOT " + e.X.String()
}

// String renders (X).
func (e *ParenExpr) String() string { return "(" + e.X.String() + ")" }

// String renders the comparison.
func (e *Comparison) String() string {
	s := e.Field.String() + " " + e.Op.String()
	switch e.Op {
	case OpIsNull, OpIsNotNull:
		return s
	case OpIn, OpNotIn:
		parts := make([]string, len(e.Values))
		for i, v := range e.Values {
			parts[i] = v.String()
		}
		return s + " (" + strings.Join(parts, ", ") + ")"
	}
	return s + " " + e.Value.String()
}

// String renders the field: params.lr, tags.`a b`, run_id,
// last(val/acc{subset="val"}), datasets.name.
func (f *Field) String() string {
	switch f.Kind {
	case FieldAttr:
		if name, ok := canonicalAttrs[f.Key]; ok && name != "" {
			return name
		}
		return "attributes." + prefixedKey("attributes", f.Key)
	case FieldParam:
		return "params." + prefixedKey("params", f.Key)
	case FieldTag:
		return "tags." + prefixedKey("tags", f.Key)
	case FieldDataset:
		return "datasets." + prefixedKey("datasets", f.Key)
	case FieldMetric:
		if f.Func || f.Stat != index.StatLast {
			return f.Stat.String() + "(" + metricName(f.Key) + labels(f.Context, f.Context != nil) + ")"
		}
		return "metrics." + prefixedKey("metrics", f.Key) + labels(f.Context, f.Context != nil)
	}
	return "?"
}

// canonicalAttrs maps the attribute keys the parser produces to the bare
// name String writes; the others print with the attributes. prefix.
var canonicalAttrs = map[string]string{
	index.AttrRunID: "run_id", index.AttrExperiment: "experiment", index.AttrName: "run_name",
	index.AttrStatus: "status", index.AttrStartTime: "start_time", index.AttrEndTime: "end_time",
}

// prefixedKey renders key after "prefix." bare when it scans back as the
// same key, else backquoted.
func prefixedKey(prefix, key string) string {
	s := scanner{src: prefix + "." + key}
	t := s.next()
	if t.kind == tName && !t.quoted && t.pos == 0 && t.end == Pos(len(s.src)) && t.prefix == prefix && t.val == key {
		return key
	}
	return quote(key, '`')
}

// metricName renders a metric name on its own: bare when it scans back as
// one name that is no keyword, else backquoted.
func metricName(name string) string {
	s := scanner{src: name}
	t := s.next()
	if t.kind == tName && !t.quoted && t.pos == 0 && t.end == Pos(len(name)) && !isReserved(name) {
		return name
	}
	return quote(name, '`')
}

func labels(ls []Label, has bool) string {
	if !has {
		return ""
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = metricName(l.Name) + "=" + quote(l.Value, '"')
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// String renders the literal: strings single-quoted, numbers in their
// canonical text, bools as true and false.
func (l *Literal) String() string {
	switch l.Value.Kind {
	case index.KindString:
		return quote(l.Value.Str, '\'')
	case index.KindBool:
		if l.Value.Bool {
			return "true"
		}
		return "false"
	}
	return l.Value.String()
}

// String renders FIELD [DESC].
func (k *OrderKey) String() string {
	if k.Desc {
		return k.Field.String() + " DESC"
	}
	return k.Field.String()
}

// String renders A..B.
func (r *Range) String() string {
	s := ""
	if r.Lo != nil {
		s = r.Lo.String()
	}
	s += ".."
	if r.Hi != nil {
		s += r.Hi.String()
	}
	return s
}

// String renders the item.
func (s *SeriesItem) String() string {
	var m string
	switch s.Match {
	case MatchLike:
		m = "like " + quote(s.Name, '\'')
	case MatchRegexp:
		m = "regexp " + quote(s.Name, '\'')
	default:
		m = metricName(s.Name)
	}
	m += labels(s.Context, s.HasContext)
	if s.Agg != "" {
		return s.Agg + "(" + m + ")"
	}
	return m
}

// String renders DOWNSAMPLE N METHOD.
func (d *Downsample) String() string {
	return "downsample " + strconv.FormatInt(d.N, 10) + " " + d.Method
}

// String renders X AXIS.
func (x *XAxis) String() string { return "x " + x.Axis }
