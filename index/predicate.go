package index

import (
	"fmt"
	"strings"
)

// Op is the operator of a [Cond].
type Op uint8

// Operators. Which values a comparison sees depends on the literal's kind:
// a [KindString] literal compares the canonical text (see [Value.String])
// of every value of the field, whatever its kind; an int or float literal
// compares the field's numeric values exactly (int 3 equals float 3.0);
// a bool literal compares its bool values. Metric fields are numeric only.
// NaN never satisfies a comparison, not even !=, as SQL's NULL does not.
const (
	OpEq        Op = iota + 1 // value equals Value
	OpNe                      // value is of Value's domain and differs from it
	OpLt                      // value < Value
	OpLe                      // value <= Value
	OpGt                      // value > Value
	OpGe                      // value >= Value
	OpIn                      // value equals one of Values
	OpNotIn                   // value is of the Values' domains and equals none of them
	OpLike                    // text matches the SQL LIKE Pattern (% any run, _ one character, \ escapes)
	OpILike                   // as OpLike, ignoring case (Unicode simple folding)
	OpRegex                   // text contains a match of the RE2 Pattern (anchor it with ^ and $)
	OpPrefix                  // text starts with Pattern
	OpIsNull                  // the run has no value for the field
	OpIsNotNull               // the run has a value for the field
)

var opNames = [...]string{
	OpEq: "=", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpIn: "IN", OpNotIn: "NOT IN", OpLike: "LIKE", OpILike: "ILIKE",
	OpRegex: "REGEXP", OpPrefix: "PREFIX", OpIsNull: "IS NULL", OpIsNotNull: "IS NOT NULL",
}

// String returns the operator as the query language writes it.
func (o Op) String() string {
	if o >= OpEq && o <= OpIsNotNull {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// Predicate is a condition on runs: a [Cond], or [And], [Or] and [Not]
// over predicates. A nil Predicate matches every live run.
//
// The combination is two-valued over the live runs: Not{p} is every live
// run that p does not select, including runs without the field p tests.
// SQL's three-valued NOT (x != 1 skips runs without x) is OpNe, OpNotIn or
// And{Cond{OpIsNotNull}, Not{...}}; the query planner chooses.
type Predicate interface {
	// String renders the predicate for error messages and debugging.
	String() string
	isPredicate()
}

// And matches the runs that every predicate matches; an empty And matches
// every live run.
type And []Predicate

// Or matches the runs that any predicate matches; an empty Or matches none.
type Or []Predicate

// Not matches the live runs that P does not match.
type Not struct {
	P Predicate // the negated predicate
}

// Cond is a leaf predicate: Field Op Value (or Values, or Pattern).
type Cond struct {
	Field   Field   // what is tested
	Op      Op      // how
	Value   Value   // the literal of =, !=, <, <=, >, >=
	Values  []Value // the literals of IN and NOT IN
	Pattern string  // the pattern of LIKE, ILIKE, regex and prefix
}

func (And) isPredicate()  {}
func (Or) isPredicate()   {}
func (Not) isPredicate()  {}
func (Cond) isPredicate() {}

// String renders the conjunction with parentheses.
func (a And) String() string { return join([]Predicate(a), " AND ", "TRUE") }

// String renders the disjunction with parentheses.
func (o Or) String() string { return join([]Predicate(o), " OR ", "FALSE") }

// String renders NOT (P).
func (n Not) String() string { return "NOT (" + str(n.P) + ")" }

// String renders the condition: params.lr < 0.01, tags.model IN ('a', 'b').
func (c Cond) String() string {
	lhs := c.Field.String() + " " + c.Op.String()
	switch c.Op {
	case OpIsNull, OpIsNotNull:
		return lhs
	case OpIn, OpNotIn:
		parts := make([]string, len(c.Values))
		for i, v := range c.Values {
			parts[i] = literal(v)
		}
		return lhs + " (" + strings.Join(parts, ", ") + ")"
	case OpLike, OpILike, OpRegex, OpPrefix:
		return lhs + " " + literal(String(c.Pattern))
	}
	return lhs + " " + literal(c.Value)
}

func join(ps []Predicate, sep, empty string) string {
	if len(ps) == 0 {
		return empty
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = str(p)
	}
	return "(" + strings.Join(parts, sep) + ")"
}

func str(p Predicate) string {
	if p == nil {
		return "TRUE"
	}
	return p.String()
}

// literal writes v as a query literal: strings single-quoted with quotes
// doubled, bools as true or false, numbers in their canonical text.
func literal(v Value) string {
	switch v.Kind {
	case KindString:
		return "'" + strings.ReplaceAll(v.Str, "'", "''") + "'"
	case KindBool:
		if v.Bool {
			return "true"
		}
		return "false"
	}
	return v.String()
}
