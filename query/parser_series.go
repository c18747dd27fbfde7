package query

import (
	"strings"

	"github.com/trackdb/trackdb/index"
)

var aggFuncs = map[string]bool{"mean": true, "std": true, "min": true, "max": true, "count": true}

func (p *parser) parseSeries() *SeriesQuery {
	q := &SeriesQuery{Series: p.expectKw("series")}
	for {
		q.Items = append(q.Items, p.parseItem())
		if p.tok.kind != tComma {
			break
		}
		p.next()
	}
	if p.isKw("from") {
		p.next()
		p.expectKw("runs")
	}
	if p.isKw("where") {
		p.next()
		q.Where = p.parseExpr()
	}
	if p.isKw("group") {
		p.next()
		p.expectKw("by")
		for {
			f := p.parseField()
			if f.Kind == FieldMetric || f.Kind == FieldDataset {
				p.invalid(f.NamePos, "cannot group by %s: group by params, tags or attributes", f)
			}
			q.GroupBy = append(q.GroupBy, f)
			if p.tok.kind != tComma {
				break
			}
			p.next()
		}
	}
	q.Order, q.Limit, q.Offset = p.parseOrderLimit()
	p.parseModifiers(q)
	p.checkSeries(q)
	return q
}

// parseModifiers parses STEPS, TIME, DOWNSAMPLE, SMOOTH and X in any
// order, each at most once.
func (p *parser) parseModifiers(q *SeriesQuery) {
	for {
		pos := p.tok.pos
		dup := func(set bool) {
			if set {
				p.invalid(pos, "%s given twice", strings.ToUpper(p.tok.val))
			}
		}
		switch {
		case p.isKw("steps"):
			dup(q.Steps != nil)
			p.next()
			q.Steps = p.parseRange(pos)
		case p.isKw("time"):
			dup(q.Time != nil)
			p.next()
			q.Time = p.parseRange(pos)
		case p.isKw("downsample"):
			dup(q.Sample != nil)
			p.next()
			n := p.parseCount("DOWNSAMPLE")
			if n.Value.Int < 2 || n.Value.Int > MaxDownsample {
				p.invalid(n.ValuePos, "DOWNSAMPLE takes 2 to %d points, not %d", MaxDownsample, n.Value.Int)
			}
			d := &Downsample{DownPos: pos, N: n.Value.Int, Method: "minmax"}
			switch {
			case p.isKw("minmax"):
				p.next()
			case p.isKw("lttb"):
				d.Method = "lttb"
				p.next()
			}
			q.Sample = d
		case p.isKw("smooth"):
			dup(q.Smooth != nil)
			p.next()
			if p.tok.kind != tNumber {
				p.expected("a smoothing weight in [0, 1)")
			}
			w := p.parseValue()
			f := w.Value.Float
			if w.Value.Kind == index.KindInt {
				f = float64(w.Value.Int)
			}
			if !(f >= 0 && f < 1) {
				p.invalid(w.ValuePos, "SMOOTH takes a weight in [0, 1), not %s", w)
			}
			q.Smooth = w
		case p.isKw("x"):
			dup(q.X != nil)
			p.next()
			x := &XAxis{XPos: pos}
			switch {
			case p.isKw("step"), p.isKw("time"), p.isKw("relative"):
				x.Axis = strings.ToLower(p.tok.val)
				p.next()
			default:
				p.expected("STEP, TIME or RELATIVE")
			}
			q.X = x
		default:
			return
		}
	}
}

// parseRange parses [A]..[B] with int bounds.
func (p *parser) parseRange(pos Pos) *Range {
	r := &Range{From: pos}
	bound := func() *Literal {
		l := p.parseValue()
		if l.Value.Kind != index.KindInt {
			p.invalid(l.ValuePos, "a range bound is an integer, not %s", l)
		}
		return l
	}
	if p.tok.kind != tRange {
		r.Lo = bound()
	}
	p.expect(tRange)
	if p.tok.kind == tNumber || p.tok.kind == tMinus || p.tok.kind == tPlus {
		r.Hi = bound()
	}
	if r.Lo != nil && r.Hi != nil && r.Lo.Value.Int > r.Hi.Value.Int {
		p.invalid(r.Hi.ValuePos, "empty range: %s is below %s", r.Hi, r.Lo)
	}
	return r
}

// parseItem parses a series item: NAME{labels}, LIKE 'pat', REGEXP 'pat',
// or AGG(item).
func (p *parser) parseItem() *SeriesItem {
	t := p.tok
	if t.kind == tName && !t.quoted && t.prefix == "" && aggFuncs[strings.ToLower(t.val)] {
		p.next()
		if p.tok.kind == tLParen {
			p.next()
			it := p.parseItemInner(p.tok)
			it.ItemPos, it.Agg = t.pos, strings.ToLower(t.val)
			p.expect(tRParen)
			return it
		}
		return p.finishItem(&SeriesItem{ItemPos: t.pos, Name: t.val})
	}
	return p.parseItemInner(t)
}

func (p *parser) parseItemInner(t token) *SeriesItem {
	it := &SeriesItem{ItemPos: t.pos}
	switch {
	case p.isKw("like"):
		it.Match = MatchLike
	case p.isKw("regexp"), p.isKw("rlike"), t.kind == tTilde:
		it.Match = MatchRegexp
	default:
		for _, kw := range []string{"from", "where", "group", "order", "limit", "offset", "steps", "time", "downsample", "smooth", "x"} {
			if p.isKw(kw) {
				p.expected("a metric name (quote a metric called " + kw + " with backquotes)")
			}
		}
		it.Name = p.parseMetricName()
		return p.finishItem(it)
	}
	p.next()
	if p.tok.kind != tString {
		p.expected("a quoted pattern")
	}
	it.Name = p.tok.val
	if it.Match == MatchRegexp {
		if err := compileCheck(it.Name); err != nil {
			p.invalid(p.tok.pos, "bad regular expression: %v", err)
		}
	}
	p.next()
	return p.finishItem(it)
}

func (p *parser) finishItem(it *SeriesItem) *SeriesItem {
	if p.tok.kind == tLBrace {
		it.Context = p.parseLabels()
		it.HasContext = true
		if len(it.Context) == 0 {
			it.Context = nil
		}
	}
	return it
}

// checkSeries rejects combinations that mean nothing.
func (p *parser) checkSeries(q *SeriesQuery) {
	aggs := 0
	for _, it := range q.Items {
		if it.Agg != "" {
			aggs++
		}
	}
	switch {
	case aggs > 0 && aggs < len(q.Items):
		p.invalid(q.Items[0].ItemPos, "aggregates and plain series mixed: aggregate every item or none")
	case aggs == 0 && len(q.GroupBy) > 0:
		p.invalid(q.GroupBy[0].NamePos, "GROUP BY needs aggregates: mean(X), std(X), min(X), max(X), count(X)")
	case aggs > 0 && q.X != nil && q.X.Axis != "step":
		p.invalid(q.X.XPos, "aggregates are aligned on step: X %s does not apply", strings.ToUpper(q.X.Axis))
	}
}
