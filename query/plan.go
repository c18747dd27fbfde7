package query

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/trackdb/trackdb/index"
)

// filter is a planned run filter. A subtree the index can answer alone is
// one index.Predicate (pred); dataset conditions, which the index does not
// hold, are evaluated by scanning the candidate runs (ds), and the
// boolean nodes above them combine bitmaps (op, kids).
type filter struct {
	pred index.Predicate // pure index subtree; nil in the others
	ds   *datasetCond    // a dataset condition
	op   string          // "and", "or" or "not" over kids
	kids []*filter
}

func (f *filter) pure() bool { return f.ds == nil && f.op == "" }

// datasetCond is a condition on a run's datasets: it holds when any of
// the run's datasets satisfies it.
type datasetCond struct {
	key  string // name, digest or context
	cmp  *Comparison
	re   *regexp.Regexp // LIKE, ILIKE and REGEXP patterns
	text string         // String of the comparison, for messages
}

// planFilter turns a filter expression into a plan.
func planFilter(e Expr) (*filter, error) {
	switch e := e.(type) {
	case nil:
		return &filter{}, nil
	case *ParenExpr:
		return planFilter(e.X)
	case *NotExpr:
		x, err := planFilter(e.X)
		if err != nil {
			return nil, err
		}
		if x.pure() {
			return &filter{pred: index.Not{P: x.pred}}, nil
		}
		return &filter{op: "not", kids: []*filter{x}}, nil
	case *BinaryExpr:
		x, err := planFilter(e.X)
		if err != nil {
			return nil, err
		}
		y, err := planFilter(e.Y)
		if err != nil {
			return nil, err
		}
		if x.pure() && y.pure() {
			if e.Op == OpAnd {
				return &filter{pred: flatAnd(x.pred, y.pred)}, nil
			}
			return &filter{pred: flatOr(x.pred, y.pred)}, nil
		}
		return &filter{op: strings.ToLower(e.Op.String()), kids: []*filter{x, y}}, nil
	case *Comparison:
		if e.Field.Kind == FieldDataset {
			return planDataset(e)
		}
		return &filter{pred: planComparison(e)}, nil
	}
	return nil, fmt.Errorf("%w: unknown expression %T", ErrInvalid, e)
}

func flatAnd(x, y index.Predicate) index.Predicate {
	out := index.And{}
	for _, p := range []index.Predicate{x, y} {
		if a, ok := p.(index.And); ok {
			out = append(out, a...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

func flatOr(x, y index.Predicate) index.Predicate {
	out := index.Or{}
	for _, p := range []index.Predicate{x, y} {
		if o, ok := p.(index.Or); ok {
			out = append(out, o...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

// indexField maps a field to the index's.
func indexField(f *Field) index.Field {
	switch f.Kind {
	case FieldAttr:
		return index.Attr(f.Key)
	case FieldParam:
		return index.Param(f.Key)
	case FieldTag:
		return index.Tag(f.Key)
	case FieldMetric:
		return index.Metric(f.Key, contextKey(f.Context), f.Stat)
	}
	return index.Field{}
}

func contextKey(ls []Label) string {
	if len(ls) == 0 {
		return ""
	}
	m := make(map[string]string, len(ls))
	for _, l := range ls {
		m[l.Name] = l.Value
	}
	return index.ContextKey(m)
}

// planComparison maps a comparison to an index condition. Statuses are
// stored lower-case and compared without case, as MLflow writes them
// upper-case. NOT LIKE, NOT ILIKE and NOT REGEXP keep SQL's meaning: a run
// without the field matches neither the pattern nor its negation.
func planComparison(c *Comparison) index.Predicate {
	f := indexField(c.Field)
	status := c.Field.Kind == FieldAttr && c.Field.Key == index.AttrStatus
	val := func(l *Literal) index.Value {
		if status && l.Value.Kind == index.KindString {
			return index.String(strings.ToLower(l.Value.Str))
		}
		return l.Value
	}
	cond := index.Cond{Field: f}
	switch c.Op {
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
		cond.Op = [...]index.Op{OpEq: index.OpEq, OpNe: index.OpNe, OpLt: index.OpLt, OpLe: index.OpLe, OpGt: index.OpGt, OpGe: index.OpGe}[c.Op]
		cond.Value = val(c.Value)
	case OpIn, OpNotIn:
		cond.Op = index.OpIn
		if c.Op == OpNotIn {
			cond.Op = index.OpNotIn
		}
		for _, v := range c.Values {
			cond.Values = append(cond.Values, val(v))
		}
	case OpIsNull:
		cond.Op = index.OpIsNull
	case OpIsNotNull:
		cond.Op = index.OpIsNotNull
	default:
		cond.Pattern = c.Value.Value.Str
		switch c.Op {
		case OpLike, OpNotLike:
			cond.Op = index.OpLike
			if status {
				cond.Op = index.OpILike
			}
		case OpILike, OpNotILike:
			cond.Op = index.OpILike
		case OpRegexp, OpNotRegexp:
			cond.Op = index.OpRegex
			if status {
				cond.Pattern = "(?i)" + cond.Pattern
			}
		}
		if c.Op == OpNotLike || c.Op == OpNotILike || c.Op == OpNotRegexp {
			return index.And{index.Cond{Field: f, Op: index.OpIsNotNull}, index.Not{P: cond}}
		}
	}
	return cond
}

// planDataset compiles a dataset condition.
func planDataset(c *Comparison) (*filter, error) {
	d := &datasetCond{key: c.Field.Key, cmp: c, text: c.String()}
	var err error
	switch c.Op {
	case OpLike, OpNotLike:
		d.re, err = likeRegexp(c.Value.Value.Str, false)
	case OpILike, OpNotILike:
		d.re, err = likeRegexp(c.Value.Value.Str, true)
	case OpRegexp, OpNotRegexp:
		d.re, err = regexp.Compile(c.Value.Value.Str)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, c, err)
	}
	return &filter{ds: d}, nil
}

// likeRegexp compiles a SQL LIKE pattern: % any run of characters, _ one
// character, a backslash escapes the next character.
func likeRegexp(pattern string, fold bool) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^(?s)")
	if fold {
		b.WriteString("(?i)")
	}
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; {
		case r == '\\' && i+1 < len(rs):
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// match reports whether some dataset of the run satisfies the condition.
func (d *datasetCond) match(ds []Dataset) bool {
	for _, x := range ds {
		v := x.Name
		switch d.key {
		case "digest":
			v = x.Digest
		case "context":
			v = x.Context
		}
		if d.matchOne(v) {
			return true
		}
	}
	return false
}

func (d *datasetCond) matchOne(v string) bool {
	c := d.cmp
	switch c.Op {
	case OpEq:
		return v == c.Value.Value.Str
	case OpNe:
		return v != c.Value.Value.Str
	case OpLt:
		return v < c.Value.Value.Str
	case OpLe:
		return v <= c.Value.Value.Str
	case OpGt:
		return v > c.Value.Value.Str
	case OpGe:
		return v >= c.Value.Value.Str
	case OpIn, OpNotIn:
		in := false
		for _, l := range c.Values {
			if l.Value.Str == v {
				in = true
			}
		}
		return in == (c.Op == OpIn)
	case OpLike, OpILike, OpRegexp:
		return d.re.MatchString(v)
	case OpNotLike, OpNotILike, OpNotRegexp:
		return !d.re.MatchString(v)
	case OpIsNotNull:
		return true
	}
	return false
}

// sortKeys maps ORDER BY keys to the index's.
func sortKeys(order []*OrderKey) []index.SortKey {
	keys := make([]index.SortKey, len(order))
	for i, k := range order {
		keys[i] = index.SortKey{Field: indexField(k.Field), Desc: k.Desc}
	}
	return keys
}

// pageToken is the page token's JSON, MLflow's shape.
type pageToken struct {
	Offset int `json:"offset"`
}

// encodePageToken writes the token of the page starting at offset.
func encodePageToken(offset int) string {
	b, _ := json.Marshal(pageToken{Offset: offset})
	return base64.StdEncoding.EncodeToString(b)
}

// decodePageToken reads a token written by encodePageToken.
func decodePageToken(s string) (int, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	var t pageToken
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil || t.Offset < 0 {
		return 0, fmt.Errorf("%w: %q", ErrPageToken, s)
	}
	return t.Offset, nil
}
