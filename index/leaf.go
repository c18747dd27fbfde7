package index

import (
	"fmt"
	"slices"
	"sort"
)

// numTest is a compiled numeric predicate: a set of numbers or a range.
// NaN never matches.
type numTest struct {
	op    Op    // OpEq (also In) or a range operator
	eq    []num // OpEq: the numbers, sorted, deduplicated, NaN dropped
	bound num   // range operators: the literal, never NaN
}

func (t *numTest) match(x num) bool {
	if x.isNaN() {
		return false
	}
	if t.op == OpEq {
		i := sort.Search(len(t.eq), func(i int) bool { return cmpNum(t.eq[i], x) >= 0 })
		return i < len(t.eq) && cmpNum(t.eq[i], x) == 0
	}
	c := cmpNum(x, t.bound)
	switch t.op {
	case OpLt:
		return c < 0
	case OpLe:
		return c <= 0
	case OpGt:
		return c > 0
	case OpGe:
		return c >= 0
	}
	return false
}

// ranges returns the index ranges [lo, hi) of a sequence of n non-NaN
// numbers in increasing order that match t; cmp(i, b) compares element i
// with b.
func (t *numTest) ranges(n int, cmp func(i int, b num) int) [][2]int {
	lower := func(b num) int { return sort.Search(n, func(i int) bool { return cmp(i, b) >= 0 }) }
	upper := func(b num) int { return sort.Search(n, func(i int) bool { return cmp(i, b) > 0 }) }
	switch t.op {
	case OpEq:
		var rs [][2]int
		for _, b := range t.eq {
			if lo, hi := lower(b), upper(b); lo < hi {
				rs = append(rs, [2]int{lo, hi})
			}
		}
		return rs
	case OpLt:
		return [][2]int{{0, lower(t.bound)}}
	case OpLe:
		return [][2]int{{0, upper(t.bound)}}
	case OpGt:
		return [][2]int{{upper(t.bound), n}}
	case OpGe:
		return [][2]int{{lower(t.bound), n}}
	}
	return nil
}

// domain is a set of value kinds, seen as predicate domains: a negated
// condition (!=, NOT IN) selects the runs whose value lies in the domain of
// its literals and does not match them.
type domain uint8

const (
	domText domain = 1 << iota // every value, through its canonical text
	domNum                     // int and non-NaN float values
	domBool                    // bool values
)

// leaf is a compiled [Cond]: the union of its tests, or, when negate is
// set, the runs in dom that the union does not match.
type leaf struct {
	field  Field
	op     Op
	text   *textTest
	num    *numTest
	bools  [2]bool // bools[b]: bool value b matches
	negate bool
	dom    domain
	none   bool // matches nothing: a NaN literal in != or NOT IN, as SQL's NULL
}

// hasBools reports whether the leaf tests bool values.
func (l *leaf) hasBools() bool { return l.bools[0] || l.bools[1] }

// compile checks a condition and prepares its tests.
func compile(c *Cond) (*leaf, error) {
	f := c.Field
	switch f.Kind {
	case FieldAttr, FieldParam, FieldTag:
	case FieldMetric:
		if f.Stat < StatLast || f.Stat > StatCount {
			return nil, fmt.Errorf("%w: %s: unknown statistic", ErrInvalidPredicate, c)
		}
	default:
		return nil, fmt.Errorf("%w: %s: unknown field kind", ErrInvalidPredicate, c)
	}
	l := &leaf{field: f, op: c.Op}
	add := func(v Value) error {
		switch v.Kind {
		case KindString:
			l.dom |= domText
		case KindInt, KindFloat:
			l.dom |= domNum
			if n, _ := numOf(v); n.isNaN() {
				l.none = l.none || c.Op == OpNe || c.Op == OpNotIn
			} else {
				if l.num == nil {
					l.num = &numTest{op: OpEq}
				}
				l.num.eq = append(l.num.eq, n)
			}
		case KindBool:
			l.dom |= domBool
			l.bools[b2i(v.Bool)] = true
		default:
			return fmt.Errorf("%w: %s: literal of unknown kind %d", ErrInvalidPredicate, c, v.Kind)
		}
		return nil
	}
	switch c.Op {
	case OpIsNull, OpIsNotNull:
		return l, nil
	case OpEq, OpNe, OpIn, OpNotIn:
		vals := c.Values
		if c.Op == OpEq || c.Op == OpNe {
			vals = []Value{c.Value}
		}
		for _, v := range vals {
			if err := add(v); err != nil {
				return nil, err
			}
		}
		l.negate = c.Op == OpNe || c.Op == OpNotIn
		if l.negate && len(vals) == 0 {
			l.dom = domText
		}
		if l.num != nil {
			slices.SortFunc(l.num.eq, cmpNum)
			l.num.eq = slices.CompactFunc(l.num.eq, func(a, b num) bool { return cmpNum(a, b) == 0 })
		}
		if l.dom&domText != 0 {
			t, err := compileText(c)
			if err != nil {
				return nil, err
			}
			l.text = t
		}
	case OpLt, OpLe, OpGt, OpGe:
		switch v := c.Value; v.Kind {
		case KindString:
			l.text = &textTest{op: c.Op, bound: v.Str}
		case KindInt, KindFloat:
			if n, _ := numOf(v); !n.isNaN() {
				l.num = &numTest{op: c.Op, bound: n}
			}
		case KindBool:
			return nil, fmt.Errorf("%w: %s: bools are not ordered", ErrInvalidPredicate, c)
		default:
			return nil, fmt.Errorf("%w: %s: literal of unknown kind %d", ErrInvalidPredicate, c, v.Kind)
		}
	case OpLike, OpILike, OpRegex, OpPrefix:
		t, err := compileText(c)
		if err != nil {
			return nil, err
		}
		l.text = t
	default:
		return nil, fmt.Errorf("%w: %s: unknown operator", ErrInvalidPredicate, c)
	}
	if f.Kind == FieldMetric && (l.text != nil || l.dom&(domText|domBool) != 0 || l.hasBools()) {
		return nil, fmt.Errorf("%w: %s: metrics compare with numbers only", ErrInvalidPredicate, c)
	}
	return l, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
