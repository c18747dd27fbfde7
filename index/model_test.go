package index

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// The model: the obvious representation of every run's state, and
// brute-force evaluation of predicates and sorts over it. The index must
// agree with it after any sequence of writes, flushes to blocks and
// compactions.

type mrun struct {
	vals map[fieldKey]Value
	sums map[seriesKey]Summary
}

type model struct {
	runs map[uint32]*mrun // live runs
	dead map[uint32]bool
	next uint32
}

func newModel() *model { return &model{runs: map[uint32]*mrun{}, dead: map[uint32]bool{}} }

func (m *model) value(r *mrun, f Field) (Value, bool) {
	if f.Kind == FieldMetric {
		s, ok := r.sums[seriesKey{f.Key, f.Context}]
		if !ok {
			return Value{}, false
		}
		switch f.Stat {
		case StatLast:
			return Float(s.Last), true
		case StatMin:
			return Float(s.Min), true
		case StatMax:
			return Float(s.Max), true
		}
		return Int(s.Count), true
	}
	v, ok := r.vals[fieldKey{f.Kind, f.Key}]
	return v, ok
}

// live returns the live ordinals in order.
func (m *model) live() []uint32 {
	out := make([]uint32, 0, len(m.runs))
	for o := range m.runs {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

func (m *model) eval(p Predicate) *roaring.Bitmap {
	out := roaring.New()
	for o, r := range m.runs {
		if m.match(p, r) {
			out.Add(o)
		}
	}
	return out
}

func (m *model) match(p Predicate, r *mrun) bool {
	switch p := p.(type) {
	case nil:
		return true
	case And:
		for _, q := range p {
			if !m.match(q, r) {
				return false
			}
		}
		return true
	case Or:
		for _, q := range p {
			if m.match(q, r) {
				return true
			}
		}
		return false
	case Not:
		return !m.match(p.P, r)
	case Cond:
		v, ok := m.value(r, p.Field)
		return condHolds(p, v, ok)
	}
	panic(fmt.Sprintf("predicate %T", p))
}

// bigOf returns a numeric, non-NaN value exactly.
func bigOf(v Value) (*big.Float, bool) {
	switch v.Kind {
	case KindInt:
		return new(big.Float).SetInt64(v.Int), true
	case KindFloat:
		if math.IsNaN(v.Float) {
			return nil, false
		}
		return new(big.Float).SetFloat64(v.Float), true
	}
	return nil, false
}

func isNaNValue(v Value) bool { return v.Kind == KindFloat && math.IsNaN(v.Float) }

// eqLit is = for one literal, by the literal's kind.
func eqLit(v Value, ok bool, lit Value) bool {
	if !ok {
		return false
	}
	switch lit.Kind {
	case KindString:
		return v.String() == lit.Str
	case KindBool:
		return v.Kind == KindBool && v.Bool == lit.Bool
	}
	a, ok1 := bigOf(v)
	b, ok2 := bigOf(lit)
	return ok1 && ok2 && a.Cmp(b) == 0
}

// inDomain reports whether v is of lit's domain for != and NOT IN.
func inDomain(v Value, ok bool, lit Value) bool {
	if !ok {
		return false
	}
	switch lit.Kind {
	case KindString:
		return true
	case KindBool:
		return v.Kind == KindBool
	}
	_, num := bigOf(v)
	return num
}

func condHolds(c Cond, v Value, ok bool) bool {
	switch c.Op {
	case OpIsNull:
		return !ok
	case OpIsNotNull:
		return ok
	case OpEq:
		return eqLit(v, ok, c.Value)
	case OpNe:
		if isNaNValue(c.Value) {
			return false
		}
		return inDomain(v, ok, c.Value) && !eqLit(v, ok, c.Value)
	case OpIn:
		for _, l := range c.Values {
			if eqLit(v, ok, l) {
				return true
			}
		}
		return false
	case OpNotIn:
		if !ok {
			return false
		}
		dom := len(c.Values) == 0
		for _, l := range c.Values {
			if isNaNValue(l) {
				return false
			}
			dom = dom || inDomain(v, ok, l)
			if eqLit(v, ok, l) {
				return false
			}
		}
		return dom
	case OpLt, OpLe, OpGt, OpGe:
		if !ok {
			return false
		}
		var c3 int
		if c.Value.Kind == KindString {
			c3 = strings.Compare(v.String(), c.Value.Str)
		} else {
			a, ok1 := bigOf(v)
			b, ok2 := bigOf(c.Value)
			if !ok1 || !ok2 {
				return false
			}
			c3 = a.Cmp(b)
		}
		switch c.Op {
		case OpLt:
			return c3 < 0
		case OpLe:
			return c3 <= 0
		case OpGt:
			return c3 > 0
		}
		return c3 >= 0
	case OpLike, OpILike:
		return ok && likeMatch([]rune(c.Pattern), []rune(v.String()), c.Op == OpILike)
	case OpRegex:
		return ok && regexp.MustCompile(c.Pattern).MatchString(v.String())
	case OpPrefix:
		return ok && strings.HasPrefix(v.String(), c.Pattern)
	}
	panic(c.Op.String())
}

// likeMatch is SQL LIKE by backtracking over runes: % any run, _ one
// rune, backslash escapes the next rune.
func likeMatch(p, s []rune, fold bool) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch p[0] {
	case '%':
		for i := 0; i <= len(s); i++ {
			if likeMatch(p[1:], s[i:], fold) {
				return true
			}
		}
		return false
	case '_':
		return len(s) > 0 && likeMatch(p[1:], s[1:], fold)
	case '\\':
		if len(p) > 1 {
			p = p[1:]
		}
	}
	if len(s) == 0 {
		return false
	}
	if p[0] != s[0] && !(fold && strings.EqualFold(string(p[0]), string(s[0]))) {
		return false
	}
	return likeMatch(p[1:], s[1:], fold)
}

// modelSort orders runs by keys the brute-force way.
func (m *model) sort(runs *roaring.Bitmap, keys []SortKey, offset, limit int) []uint32 {
	var ords []uint32
	for _, o := range runs.ToArray() {
		if m.runs[o] != nil {
			ords = append(ords, o)
		}
	}
	rank := func(v Value, ok bool) int {
		switch {
		case !ok:
			return 4
		case isNaNValue(v):
			return 3
		case v.Kind == KindBool:
			return 2
		case v.Kind == KindString:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(ords, func(a, b uint32) int {
		for _, k := range keys {
			va, oka := m.value(m.runs[a], k.Field)
			vb, okb := m.value(m.runs[b], k.Field)
			ra, rb := rank(va, oka), rank(vb, okb)
			c := 0
			switch {
			case ra != rb && (ra >= 3 || rb >= 3):
				if ra < rb {
					return -1
				}
				return 1
			case ra != rb:
				c = ra - rb
			case ra == 0:
				x, _ := bigOf(va)
				y, _ := bigOf(vb)
				c = x.Cmp(y)
			case ra == 1:
				c = strings.Compare(va.Str, vb.Str)
			case ra == 2:
				c = b2i(va.Bool) - b2i(vb.Bool)
			}
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	offset = min(offset, len(ords))
	ords = ords[offset:]
	if limit >= 0 && limit < len(ords) {
		ords = ords[:limit]
	}
	return ords
}

// Random values and predicates.

var (
	intPool    = []int64{-3, 0, 1, 2, 7, 100, 1<<53 + 1, 1 << 53, math.MaxInt64, math.MinInt64}
	floatPool  = []float64{0.01, 1.0, math.Copysign(0, -1), 0, 2.5, math.NaN(), math.Inf(1), math.Inf(-1), 1e-05, 1 << 53, 1e300, 7.0, 0.1, -3.5}
	stringPool = []string{"adam", "sgd", "0.01", "1", "1.0", "True", "", "Adam", "ab%c", "a_b", "nan", "résumé", "RÉSUMÉ", "007", "resnet-50", "r\nx"}
	likePool   = []string{"%", "a%", "%a%", "_", "ad_m", "AD%", "0.0%", "1%", "%.0", `ab\%c`, "r%", "%É%", "%é%", "_____", "%e+%", "-%", "%\n%"}
	regexPool  = []string{"^a", "d", `^0\.`, "^(a|s)", "[0-9]+$", "(?i)^ad", "^$", "nan", `^\d+$`, "^-", "^r.s", "^Tr"}
	prefixPool = []string{"a", "0.", "", "1", "r", "ré", "-"}
	attrPool   = []string{AttrExperiment, AttrName, AttrStatus, AttrRunID, AttrStartTime, AttrEndTime}
	paramPool  = []string{"p0", "p1", "p2", "p3", "p4"}
	tagPool    = []string{"t0", "t1", "t2", "t3"}
	metricPool = []string{"loss", "val/acc"}
	ctxPool    = []string{"", "subset\x00val"}
)

func randValue(r *rand.Rand) Value {
	switch r.IntN(7) {
	case 0, 1:
		return Int(pick(r, intPool))
	case 2, 3:
		return Float(pick(r, floatPool))
	case 4:
		return Bool(r.IntN(2) == 1)
	}
	return String(pick(r, stringPool))
}

func randFloat(r *rand.Rand) float64 {
	if r.IntN(4) == 0 {
		return pick(r, floatPool)
	}
	return float64(r.IntN(20)) / 8
}

func randField(r *rand.Rand) Field {
	switch r.IntN(5) {
	case 0:
		return Attr(pick(r, attrPool))
	case 1, 2:
		return Param(pick(r, append(paramPool, "missing")))
	case 3:
		return Tag(pick(r, tagPool))
	}
	return Metric(pick(r, metricPool), pick(r, ctxPool), Stat(1+r.IntN(4)))
}

func randCond(r *rand.Rand) Cond {
	f := randField(r)
	lit := func() Value {
		if f.Kind == FieldMetric {
			if r.IntN(2) == 0 {
				return Int(int64(r.IntN(5)))
			}
			return Float(randFloat(r))
		}
		if f.Key == AttrStartTime || f.Key == AttrEndTime {
			return Int(int64(r.IntN(10)))
		}
		return randValue(r)
	}
	if f.Kind == FieldMetric {
		switch r.IntN(10) {
		case 0:
			return Cond{Field: f, Op: OpIsNull}
		case 1:
			return Cond{Field: f, Op: OpIsNotNull}
		case 2, 3:
			vals := []Value{lit(), lit()}
			return Cond{Field: f, Op: pick(r, []Op{OpIn, OpNotIn}), Values: vals}
		}
		return Cond{Field: f, Op: Op(int(OpEq) + r.IntN(6)), Value: lit()}
	}
	switch r.IntN(14) {
	case 0:
		return Cond{Field: f, Op: OpIsNull}
	case 1:
		return Cond{Field: f, Op: OpIsNotNull}
	case 2, 3:
		n := r.IntN(4)
		vals := make([]Value, n)
		for i := range vals {
			vals[i] = lit()
		}
		return Cond{Field: f, Op: pick(r, []Op{OpIn, OpNotIn}), Values: vals}
	case 4:
		return Cond{Field: f, Op: pick(r, []Op{OpLike, OpILike}), Pattern: pick(r, likePool)}
	case 5:
		return Cond{Field: f, Op: OpRegex, Pattern: pick(r, regexPool)}
	case 6:
		return Cond{Field: f, Op: OpPrefix, Pattern: pick(r, prefixPool)}
	}
	v := lit()
	op := Op(int(OpEq) + r.IntN(6))
	for v.Kind == KindBool && op > OpNe {
		v = lit()
	}
	return Cond{Field: f, Op: op, Value: v}
}

func randPredicate(r *rand.Rand, depth int) Predicate {
	if depth <= 0 || r.IntN(3) == 0 {
		return randCond(r)
	}
	switch r.IntN(3) {
	case 0:
		n := r.IntN(3)
		a := make(And, n)
		for i := range a {
			a[i] = randPredicate(r, depth-1)
		}
		return a
	case 1:
		n := r.IntN(3)
		o := make(Or, n)
		for i := range o {
			o[i] = randPredicate(r, depth-1)
		}
		return o
	}
	return Not{P: randPredicate(r, depth-1)}
}
