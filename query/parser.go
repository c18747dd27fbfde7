package query

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/trackdb/trackdb/index"
)

// Parse parses a query: RUNS ..., SERIES ..., or a bare run filter (an
// MLflow filter string, optionally followed by ORDER BY, LIMIT, OFFSET).
// Errors are an [ErrorList] of positioned [*Error]s wrapping [ErrSyntax],
// [ErrInvalid], [ErrTooLong] or [ErrTooDeep].
func Parse(text string) (Query, error) {
	p, err := newParser(text)
	if err != nil {
		return nil, err
	}
	var q Query
	err = p.run(func() {
		switch {
		case p.isKw("runs"):
			q = p.parseRuns()
		case p.isKw("series"):
			q = p.parseSeries()
		default:
			r := &RunsQuery{Runs: p.tok.pos}
			if p.tok.kind != tEOF && !p.isKw("order") && !p.isKw("limit") && !p.isKw("offset") && !p.isKw("page") {
				r.Where = p.parseExpr()
			}
			p.parseRunsTail(r)
			q = r
		}
		p.expectEOF()
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// ParseFilter parses a run filter alone, such as an MLflow search_runs
// filter string: metrics.acc > 0.9 and params.model = 'cnn'. An empty
// filter returns nil (every run).
func ParseFilter(text string) (Expr, error) {
	p, err := newParser(text)
	if err != nil {
		return nil, err
	}
	var e Expr
	err = p.run(func() {
		if p.tok.kind != tEOF {
			e = p.parseExpr()
		}
		p.expectEOF()
	})
	return e, err
}

// ParseOrderBy parses ORDER BY keys without the keywords, as MLflow's
// order_by strings write them: "metrics.key1 desc", "params.`my_param`
// DESC". Several keys are separated by commas.
func ParseOrderBy(text string) ([]*OrderKey, error) {
	p, err := newParser(text)
	if err != nil {
		return nil, err
	}
	var keys []*OrderKey
	err = p.run(func() {
		keys = p.parseOrderKeys()
		p.expectEOF()
	})
	return keys, err
}

// parser holds the state of one parse: the scanner, one token of
// lookahead and the nesting depth.
type parser struct {
	src   string
	s     scanner
	tok   token
	depth int
	errs  ErrorList
}

// bailout unwinds the parser at its first error.
type bailout struct{}

func newParser(text string) (*parser, error) {
	if len(text) > MaxQueryLen {
		return nil, ErrorList{newError(text[:MaxQueryLen], MaxQueryLen, ErrTooLong,
			fmt.Sprintf("query longer than %d bytes", MaxQueryLen))}
	}
	return &parser{src: text, s: scanner{src: text}}, nil
}

// run reads the first token and calls f, turning the bailout of the
// first error into the returned ErrorList.
func (p *parser) run(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			err = p.errs.err()
		}
	}()
	p.next()
	f()
	return p.errs.err()
}

func (p *parser) next() {
	p.tok = p.s.next()
	if p.tok.kind == tIllegal {
		p.errorAt(p.tok.pos, ErrSyntax, p.s.errMsg)
	}
}

func (p *parser) errorAt(pos Pos, kind error, msg string) {
	p.errs = append(p.errs, newError(p.src, pos, kind, msg))
	panic(bailout{})
}

func (p *parser) invalid(pos Pos, format string, args ...any) {
	p.errorAt(pos, ErrInvalid, fmt.Sprintf(format, args...))
}

func (p *parser) expected(what string) {
	p.errorAt(p.tok.pos, ErrSyntax, "expected "+what+", found "+p.tok.describe())
}

func (p *parser) expect(k tokenKind) Pos {
	pos := p.tok.pos
	if p.tok.kind != k {
		p.expected(k.String())
	}
	p.next()
	return pos
}

func (p *parser) expectEOF() {
	if p.tok.kind != tEOF {
		p.expected("end of query")
	}
}

// isKw reports whether the current token is the keyword kw: an undotted,
// unquoted name, compared without case.
func (p *parser) isKw(kw string) bool {
	t := &p.tok
	return t.kind == tName && !t.quoted && t.prefix == "" && strings.EqualFold(t.val, kw)
}

func (p *parser) expectKw(kw string) Pos {
	pos := p.tok.pos
	if !p.isKw(kw) {
		p.expected(strings.ToUpper(kw))
	}
	p.next()
	return pos
}

// enter and leave count nesting.
func (p *parser) enter(pos Pos) {
	p.depth++
	if p.depth > MaxNesting {
		p.errorAt(pos, ErrTooDeep, fmt.Sprintf("nested more than %d levels deep", MaxNesting))
	}
}

func (p *parser) leave() { p.depth-- }

// reserved words are the keywords String quotes when they are metric names.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`and or not in like ilike regexp rlike is null true false
		order by asc desc limit offset page runs series from where group steps time
		downsample smooth x mean std min max count last minmax lttb step relative`) {
		reserved[w] = true
	}
}

func isReserved(s string) bool { return reserved[strings.ToLower(s)] }

// Runs queries.

func (p *parser) parseRuns() *RunsQuery {
	q := &RunsQuery{Runs: p.expectKw("runs")}
	if p.isKw("where") {
		p.next()
		q.Where = p.parseExpr()
	}
	p.parseRunsTail(q)
	return q
}

func (p *parser) parseRunsTail(q *RunsQuery) {
	q.Order, q.Limit, q.Offset = p.parseOrderLimit()
	if p.isKw("page") {
		p.next()
		if p.tok.kind != tString {
			p.expected("a page token string")
		}
		q.Page = &Literal{ValuePos: p.tok.pos, Value: index.String(p.tok.val)}
		p.next()
		if q.Offset != nil {
			p.invalid(q.Page.ValuePos, "PAGE and OFFSET both given; a page token holds the offset")
		}
	}
}

func (p *parser) parseOrderLimit() (order []*OrderKey, limit, offset *Literal) {
	if p.isKw("order") {
		p.next()
		p.expectKw("by")
		order = p.parseOrderKeys()
	}
	if p.isKw("limit") {
		p.next()
		limit = p.parseCount("LIMIT")
	}
	if p.isKw("offset") {
		p.next()
		offset = p.parseCount("OFFSET")
	}
	return order, limit, offset
}

// parseCount parses a non-negative int.
func (p *parser) parseCount(what string) *Literal {
	if p.tok.kind != tNumber {
		p.expected("a number after " + what)
	}
	l := p.parseValue()
	if l.Value.Kind != index.KindInt || l.Value.Int < 0 {
		p.invalid(l.ValuePos, "%s takes a non-negative integer, not %s", what, l)
	}
	return l
}

func (p *parser) parseOrderKeys() []*OrderKey {
	var keys []*OrderKey
	for {
		f := p.parseField()
		if f.Kind == FieldDataset {
			p.invalid(f.NamePos, "cannot order by %s: a run may have several datasets", f)
		}
		k := &OrderKey{Field: f}
		switch {
		case p.isKw("desc"):
			k.Desc = true
			p.next()
		case p.isKw("asc"):
			p.next()
		}
		keys = append(keys, k)
		if p.tok.kind != tComma {
			return keys
		}
		p.next()
	}
}

// Filters.

func (p *parser) parseExpr() Expr { return p.parseBinary(1) }

// boolOp returns the operator at the current token and its precedence:
// OR 1, AND 2; 0 for anything else.
func (p *parser) boolOp() (BoolOp, int) {
	switch {
	case p.isKw("or"):
		return OpOr, 1
	case p.isKw("and"):
		return OpAnd, 2
	}
	return 0, 0
}

// parseBinary climbs precedences: it parses operands joined by operators
// of precedence prec or higher, left-associatively.
func (p *parser) parseBinary(prec int) Expr {
	x := p.parseUnary()
	for {
		op, oprec := p.boolOp()
		if oprec < prec {
			return x
		}
		pos := p.tok.pos
		p.next()
		y := p.parseBinary(oprec + 1)
		x = &BinaryExpr{X: x, OpPos: pos, Op: op, Y: y}
	}
}

func (p *parser) parseUnary() Expr {
	switch {
	case p.isKw("not"):
		pos := p.tok.pos
		p.enter(pos)
		p.next()
		x := p.parseUnary()
		p.leave()
		return &NotExpr{Not: pos, X: x}
	case p.tok.kind == tLParen:
		pos := p.tok.pos
		p.enter(pos)
		p.next()
		x := p.parseExpr()
		p.expect(tRParen)
		p.leave()
		return &ParenExpr{Lparen: pos, X: x}
	}
	return p.parseComparison()
}

func (p *parser) parseComparison() *Comparison {
	c := &Comparison{Field: p.parseField(), OpPos: p.tok.pos}
	switch p.tok.kind {
	case tEq, tNe, tLt, tLe, tGt, tGe, tTilde:
		c.Op = [...]CompareOp{tEq: OpEq, tNe: OpNe, tLt: OpLt, tLe: OpLe, tGt: OpGt, tGe: OpGe, tTilde: OpRegexp}[p.tok.kind]
		p.next()
		c.Value = p.parseValue()
	default:
		not := false
		if p.isKw("not") {
			not = true
			p.next()
		}
		switch {
		case p.isKw("in"):
			p.next()
			c.Op = pick(not, OpNotIn, OpIn)
			c.Values = p.parseList()
		case p.isKw("like"):
			p.next()
			c.Op = pick(not, OpNotLike, OpLike)
			c.Value = p.parseValue()
		case p.isKw("ilike"):
			p.next()
			c.Op = pick(not, OpNotILike, OpILike)
			c.Value = p.parseValue()
		case p.isKw("regexp") || p.isKw("rlike"):
			p.next()
			c.Op = pick(not, OpNotRegexp, OpRegexp)
			c.Value = p.parseValue()
		case !not && p.isKw("is"):
			p.next()
			c.Op = OpIsNull
			if p.isKw("not") {
				p.next()
				c.Op = OpIsNotNull
			}
			p.expectKw("null")
		case not:
			p.expected("IN, LIKE, ILIKE or REGEXP after NOT")
		default:
			p.expected("a comparison operator")
		}
	}
	p.check(c)
	return c
}

func pick(cond bool, a, b CompareOp) CompareOp {
	if cond {
		return a
	}
	return b
}

// parseList parses (value, ...).
func (p *parser) parseList() []*Literal {
	p.expect(tLParen)
	var vals []*Literal
	for {
		vals = append(vals, p.parseValue())
		if len(vals) > MaxListLen {
			p.errorAt(vals[len(vals)-1].ValuePos, ErrTooLong, fmt.Sprintf("list longer than %d values", MaxListLen))
		}
		if p.tok.kind != tComma {
			break
		}
		p.next()
	}
	p.expect(tRParen)
	return vals
}

// parseValue parses a literal: a quoted string, a signed number, true or
// false.
func (p *parser) parseValue() *Literal {
	t := p.tok
	switch {
	case t.kind == tString:
		p.next()
		return &Literal{ValuePos: t.pos, Value: index.String(t.val)}
	case p.isKw("true"), p.isKw("false"):
		p.next()
		return &Literal{ValuePos: t.pos, Value: index.Bool(strings.EqualFold(t.val, "true"))}
	case t.kind == tMinus || t.kind == tPlus || t.kind == tNumber:
		sign := ""
		if t.kind != tNumber {
			if t.kind == tMinus {
				sign = "-"
			}
			p.next()
			if p.tok.kind != tNumber {
				p.expected("a number after the sign")
			}
		}
		lit := sign + p.tok.lit
		p.next()
		return &Literal{ValuePos: t.pos, Value: p.number(t.pos, lit)}
	}
	p.expected("a value")
	return nil
}

// number converts number text: an int when it has no fraction or
// exponent and fits in 64 bits, else a float.
func (p *parser) number(pos Pos, lit string) index.Value {
	if !strings.ContainsAny(lit, ".eE") {
		if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return index.Int(i)
		}
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) {
		p.errorAt(pos, ErrSyntax, fmt.Sprintf("number %s out of range", lit))
	}
	return index.Float(f)
}

// Fields.

// prefixes maps MLflow's field prefixes, singular and plural, to kinds.
var prefixes = map[string]FieldKind{
	"metrics": FieldMetric, "metric": FieldMetric,
	"params": FieldParam, "param": FieldParam, "parameters": FieldParam, "parameter": FieldParam,
	"tags": FieldTag, "tag": FieldTag,
	"attributes": FieldAttr, "attribute": FieldAttr, "attr": FieldAttr, "run": FieldAttr,
	"datasets": FieldDataset, "dataset": FieldDataset,
}

// attrAliases maps attribute names, as MLflow and this language write
// them, to the index's attribute keys. Attributes MLflow has and trackdb
// does not store (artifact_uri, user_id, lifecycle_stage) are accepted and
// hold no value.
var attrAliases = map[string]string{
	"run_id": index.AttrRunID, "id": index.AttrRunID,
	"experiment": index.AttrExperiment, "experiment_id": index.AttrExperiment,
	"name": index.AttrName, "run_name": index.AttrName, "run name": index.AttrName, "Run name": index.AttrName, "Run Name": index.AttrName,
	"status":     index.AttrStatus,
	"start_time": index.AttrStartTime, "created": index.AttrStartTime, "Created": index.AttrStartTime,
	"end_time":     index.AttrEndTime,
	"artifact_uri": "artifact_uri", "user_id": "user_id", "lifecycle_stage": "lifecycle_stage",
}

var statFuncs = map[string]index.Stat{
	"last": index.StatLast, "min": index.StatMin, "max": index.StatMax, "count": index.StatCount,
}

// parseField parses a field: a prefixed name, a bare attribute name, or a
// statistic function of a metric.
func (p *parser) parseField() *Field {
	t := p.tok
	f := &Field{NamePos: t.pos}
	switch t.kind {
	case tQName:
		p.next()
		return p.bareAttr(f, t)
	case tName:
	default:
		p.expected("a field (metrics.X, params.X, tags.X, attributes.X or datasets.X)")
	}
	p.next()
	if t.prefix != "" {
		kind, ok := prefixes[t.prefix]
		if !ok {
			p.invalid(t.pos, "unknown prefix %q: a field is metrics.X, params.X, tags.X, attributes.X or datasets.X", t.prefix)
		}
		f.Kind, f.Key = kind, t.val
		switch kind {
		case FieldAttr:
			key, ok := attrAliases[t.val]
			if !ok {
				p.invalid(t.pos, "unknown attribute %q", t.val)
			}
			f.Key = key
		case FieldDataset:
			if t.val != "name" && t.val != "digest" && t.val != "context" {
				p.invalid(t.pos, "unknown dataset field %q: want datasets.name, datasets.digest or datasets.context", t.val)
			}
		case FieldMetric:
			f.Stat = index.StatLast
			if p.tok.kind == tLBrace {
				f.Context = p.parseLabels()
			}
		}
		return f
	}
	if stat, ok := statFuncs[strings.ToLower(t.val)]; ok && !t.quoted && p.tok.kind == tLParen {
		p.next()
		f.Kind, f.Stat, f.Func = FieldMetric, stat, true
		f.Key = p.parseMetricName()
		if p.tok.kind == tLBrace {
			f.Context = p.parseLabels()
		}
		p.expect(tRParen)
		return f
	}
	return p.bareAttr(f, t)
}

func (p *parser) bareAttr(f *Field, t token) *Field {
	key, ok := attrAliases[t.val]
	if !ok {
		p.invalid(t.pos, "unknown field %q: a field is metrics.X, params.X, tags.X, attributes.X or datasets.X, or an attribute (run_id, experiment, run_name, status, start_time, end_time)", t.val)
	}
	f.Kind, f.Key = FieldAttr, key
	return f
}

// parseMetricName parses a metric name: a bare name (val/acc, train.loss),
// a backquoted name or a string.
func (p *parser) parseMetricName() string {
	t := p.tok
	switch t.kind {
	case tName:
		p.next()
		if t.prefix != "" {
			return t.prefix + "." + t.val
		}
		return t.val
	case tQName, tString:
		p.next()
		return t.val
	}
	p.expected("a metric name")
	return ""
}

// parseLabels parses {name="value", ...}; braces without labels give an
// empty, non-nil slice.
func (p *parser) parseLabels() []Label {
	p.expect(tLBrace)
	ls := []Label{}
	for p.tok.kind != tRBrace {
		if len(ls) > 0 {
			p.expect(tComma)
		}
		name := p.parseMetricName()
		p.expect(tEq)
		if p.tok.kind != tString {
			p.expected("a quoted label value")
		}
		ls = append(ls, Label{Name: name, Value: p.tok.val})
		p.next()
	}
	p.next()
	return ls
}

// check rejects comparisons whose value cannot mean anything for the
// field, at the value's position.
func (p *parser) check(c *Comparison) {
	f := c.Field
	vals := c.Values
	if c.Value != nil {
		vals = []*Literal{c.Value}
	}
	switch c.Op {
	case OpLike, OpNotLike, OpILike, OpNotILike, OpRegexp, OpNotRegexp:
		if c.Value.Value.Kind != index.KindString {
			p.invalid(c.Value.ValuePos, "%s takes a quoted pattern, not %s", c.Op, c.Value)
		}
		if f.Kind == FieldMetric || f.Kind == FieldAttr && isTimeAttr(f.Key) {
			p.invalid(c.OpPos, "%s is a number: %s does not apply", f, c.Op)
		}
		if c.Op == OpRegexp || c.Op == OpNotRegexp {
			if _, err := regexp.Compile(c.Value.Value.Str); err != nil {
				p.invalid(c.Value.ValuePos, "bad regular expression: %v", err)
			}
		}
		return
	}
	for _, v := range vals {
		k := v.Value.Kind
		switch {
		case f.Kind == FieldMetric && k != index.KindInt && k != index.KindFloat:
			p.invalid(v.ValuePos, "%s is a number: compare it with a number, not %s", f, v)
		case f.Kind == FieldAttr && isTimeAttr(f.Key) && k != index.KindInt && k != index.KindFloat:
			p.invalid(v.ValuePos, "%s is a time in Unix milliseconds: compare it with a number, not %s", f, v)
		case (f.Kind == FieldTag || f.Kind == FieldDataset || f.Kind == FieldAttr && !isTimeAttr(f.Key)) && k != index.KindString:
			p.invalid(v.ValuePos, "%s is a string: quote the value %s", f, v)
		}
	}
}

func isTimeAttr(key string) bool { return key == index.AttrStartTime || key == index.AttrEndTime }

func compileCheck(pattern string) error {
	_, err := regexp.Compile(pattern)
	return err
}
