package index

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// textTest is a compiled text predicate: a set of strings, a range bound,
// or a pattern. Patterns are run once per distinct value of a field, never
// per run, and a literal prefix narrows the sorted dictionary they scan.
type textTest struct {
	op     Op             // OpEq (also In), a range operator, or OpPrefix for patterns
	eq     []string       // OpEq: the strings, sorted and deduplicated
	bound  string         // range operators: the literal
	re     *regexp.Regexp // patterns: nil for a bare prefix
	prefix string         // patterns: every matching text starts with it
}

// match reports whether s satisfies the test.
func (t *textTest) match(s string) bool {
	switch t.op {
	case OpEq:
		_, ok := slices.BinarySearch(t.eq, s)
		return ok
	case OpLt:
		return s < t.bound
	case OpLe:
		return s <= t.bound
	case OpGt:
		return s > t.bound
	case OpGe:
		return s >= t.bound
	}
	return strings.HasPrefix(s, t.prefix) && (t.re == nil || t.re.MatchString(s))
}

// scanSorted calls fn with the index of every string that matches t in a
// sorted sequence of n strings read by at, touching only the part of the
// sequence that can hold matches.
func (t *textTest) scanSorted(n int, at func(int) string, fn func(i int)) {
	lower := func(s string) int { return sort.Search(n, func(i int) bool { return at(i) >= s }) }
	upper := func(s string) int { return sort.Search(n, func(i int) bool { return at(i) > s }) }
	lo, hi := 0, n
	switch t.op {
	case OpEq:
		for _, s := range t.eq {
			if i := lower(s); i < n && at(i) == s {
				fn(i)
			}
		}
		return
	case OpLt:
		hi = lower(t.bound)
	case OpLe:
		hi = upper(t.bound)
	case OpGt:
		lo = upper(t.bound)
	case OpGe:
		lo = lower(t.bound)
	default:
		if t.prefix != "" {
			lo = lower(t.prefix)
		}
		for i := lo; i < n; i++ {
			s := at(i)
			if !strings.HasPrefix(s, t.prefix) {
				return
			}
			if t.re == nil || t.re.MatchString(s) {
				fn(i)
			}
		}
		return
	}
	for i := lo; i < hi; i++ {
		fn(i)
	}
}

// numbers returns the numbers whose canonical text can equal one of t's
// strings, so that an equality test on text finds numeric values by
// numeric search instead of formatting every distinct number. The caller
// still checks the text (int 7 is not '007'). ok is false when t is not an
// equality test; nan reports whether "nan" is among the strings.
func (t *textTest) numbers() (nums []num, nan, ok bool) {
	if t.op != OpEq {
		return nil, false, false
	}
	for _, s := range t.eq {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			nums = append(nums, num{isInt: true, i: i})
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil || isRangeErr(err) {
			if f != f {
				nan = true
			} else {
				nums = append(nums, num{f: f})
			}
		}
	}
	return nums, nan, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// compileText builds the text test of a condition whose literal is text.
func compileText(c *Cond) (*textTest, error) {
	switch c.Op {
	case OpEq, OpNe:
		return &textTest{op: OpEq, eq: []string{c.Value.Str}}, nil
	case OpIn, OpNotIn:
		t := &textTest{op: OpEq}
		for _, v := range c.Values {
			if v.Kind == KindString {
				t.eq = append(t.eq, v.Str)
			}
		}
		slices.Sort(t.eq)
		t.eq = slices.Compact(t.eq)
		return t, nil
	case OpLt, OpLe, OpGt, OpGe:
		return &textTest{op: c.Op, bound: c.Value.Str}, nil
	case OpPrefix:
		return &textTest{op: OpPrefix, prefix: c.Pattern}, nil
	case OpLike, OpILike:
		return compileRegexp(likeToRegexp(c.Pattern, c.Op == OpILike), c.Pattern)
	case OpRegex:
		return compileRegexp(c.Pattern, c.Pattern)
	}
	return nil, fmt.Errorf("%w: %s takes no text literal", ErrInvalidPredicate, c.Op)
}

// compileRegexp compiles an RE2 expression and, when every match must start
// at the beginning of the text, takes its literal prefix for narrowing.
func compileRegexp(expr, orig string) (*textTest, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("%w: pattern %q: %v", ErrInvalidPredicate, orig, err)
	}
	t := &textTest{op: OpPrefix, re: re}
	if anchoredAtStart(expr) {
		t.prefix, _ = re.LiteralPrefix()
	}
	return t, nil
}

// anchoredAtStart reports whether every match of expr begins at the start
// of the text, which makes its literal prefix a prefix of the whole text.
func anchoredAtStart(expr string) bool {
	r, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	prog, err := syntax.Compile(r.Simplify())
	if err != nil {
		return false
	}
	return prog.StartCond()&syntax.EmptyBeginText != 0
}

// likeToRegexp translates a SQL LIKE pattern to an anchored RE2 expression:
// % matches any run of characters, _ exactly one character, a backslash
// makes the next character literal (a trailing backslash is itself), and
// everything else is literal. fold makes it case-insensitive (ILIKE).
func likeToRegexp(pattern string, fold bool) string {
	var b strings.Builder
	b.WriteString(`(?s)`)
	if fold {
		b.WriteString(`(?i)`)
	}
	b.WriteString(`\A`)
	lit := func(s string) { b.WriteString(regexp.QuoteMeta(s)) }
	for i := 0; i < len(pattern); i++ {
		switch ch := pattern[i]; ch {
		case '%':
			b.WriteString(`.*`)
		case '_':
			b.WriteString(`.`)
		case '\\':
			if i+1 < len(pattern) {
				// Copy one whole UTF-8 sequence after the backslash.
				j := i + 2
				for j < len(pattern) && pattern[j]&0xC0 == 0x80 {
					j++
				}
				lit(pattern[i+1 : j])
				i = j - 1
			} else {
				lit(`\`)
			}
		default:
			lit(pattern[i : i+1])
		}
	}
	b.WriteString(`\z`)
	return b.String()
}
