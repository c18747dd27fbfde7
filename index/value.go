package index

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a [Value]. The numbers equal the engine's ValueType
// so that converting between the two is a field copy, and they are part of
// the block format.
type Kind uint8

// Value kinds.
const (
	KindString Kind = 1
	KindInt    Kind = 2
	KindFloat  Kind = 3
	KindBool   Kind = 4
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindInt:
		return "int"
	case KindFloat:
		return "float"
	case KindBool:
		return "bool"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool { return k >= KindString && k <= KindBool }

// Value is a typed value: a param, a tag or attribute (strings), a time
// attribute (ints) or a literal in a predicate. Only the field of its Kind
// is meaningful.
type Value struct {
	Kind  Kind    // which field below holds the value
	Str   string  // KindString
	Int   int64   // KindInt
	Float float64 // KindFloat
	Bool  bool    // KindBool
}

// String returns a string Value.
func String(s string) Value { return Value{Kind: KindString, Str: s} }

// Int returns an int Value.
func Int(i int64) Value { return Value{Kind: KindInt, Int: i} }

// Float returns a float Value.
func Float(f float64) Value { return Value{Kind: KindFloat, Float: f} }

// Bool returns a bool Value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// Equal reports whether v and o have the same kind and value; floats
// compare by bits, so NaN equals the same NaN and -0 differs from 0.
func (v Value) Equal(o Value) bool {
	if v.Kind != o.Kind {
		return false
	}
	switch v.Kind {
	case KindString:
		return v.Str == o.Str
	case KindInt:
		return v.Int == o.Int
	case KindFloat:
		return math.Float64bits(v.Float) == math.Float64bits(o.Float)
	case KindBool:
		return v.Bool == o.Bool
	}
	return true
}

// String returns the value's canonical text, the text that text
// predicates (a quoted literal, LIKE, regex) compare: a string is itself,
// an int is its decimal form, a float is written as Python's repr writes
// it (0.01, 1.0, 1e-05, nan, inf), a bool is True or False. This is the
// text MLflow users have in their stored params, so params.lr = '0.01'
// matches a float param 0.01. It must agree with the engine's
// Value.String.
func (v Value) String() string {
	switch v.Kind {
	case KindString:
		return v.Str
	case KindInt:
		return strconv.FormatInt(v.Int, 10)
	case KindFloat:
		return FormatFloat(v.Float)
	case KindBool:
		if v.Bool {
			return "True"
		}
		return "False"
	}
	return ""
}

// GoString renders the value with its kind, for test failures and debugging.
func (v Value) GoString() string {
	switch v.Kind {
	case KindString:
		return strconv.Quote(v.Str)
	case KindInt, KindFloat, KindBool:
		return v.Kind.String() + "(" + v.String() + ")"
	}
	return "Value{}"
}

// FormatFloat writes f as Python's repr does: shortest round-trip digits,
// a ".0" on integral values, exponent form below 1e-4 and from 1e16, and
// nan, inf, -inf.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		// Go's shortest 'e' form matches Python's: 1e-05, 1.5e+16.
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
