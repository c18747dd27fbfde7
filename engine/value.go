package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/trackdb/trackdb/index"
)

// ValueType is the type of a param value. It is the run index's Kind, so
// that the index holds params as the engine types them; the numbers are
// part of the WAL and block formats.
type ValueType = index.Kind

// Param value types.
const (
	TypeString = index.KindString
	TypeInt    = index.KindInt
	TypeFloat  = index.KindFloat
	TypeBool   = index.KindBool
)

// Value is a typed param value. Only the field of its Type is meaningful.
type Value struct {
	Type  ValueType
	Str   string  // TypeString
	Int   int64   // TypeInt
	Float float64 // TypeFloat
	Bool  bool    // TypeBool
}

// StringValue returns a string Value.
func StringValue(s string) Value { return Value{Type: TypeString, Str: s} }

// IntValue returns an int Value.
func IntValue(i int64) Value { return Value{Type: TypeInt, Int: i} }

// FloatValue returns a float Value.
func FloatValue(f float64) Value { return Value{Type: TypeFloat, Float: f} }

// BoolValue returns a bool Value.
func BoolValue(b bool) Value { return Value{Type: TypeBool, Bool: b} }

// Equal reports whether v and o have the same type and the same value;
// floats compare by bits, so NaN equals the same NaN and -0 differs from 0.
func (v Value) Equal(o Value) bool { return indexValue(v).Equal(indexValue(o)) }

// String returns the value's canonical text, the way Python's str() writes
// it, since that is the text MLflow users have in their stored params:
// 0.01, 1.0, 1e-05, True. The run index compares quoted literals with the
// same text, so it is defined once, there.
func (v Value) String() string { return indexValue(v).String() }

// Any returns the value as a Go string, int64, float64 or bool.
func (v Value) Any() any {
	switch v.Type {
	case TypeString:
		return v.Str
	case TypeInt:
		return v.Int
	case TypeFloat:
		return v.Float
	case TypeBool:
		return v.Bool
	}
	return nil
}

// FormatFloat writes f as Python's repr does: shortest round-trip digits,
// a ".0" on integral values, exponent form below 1e-4 and from 1e16.
func FormatFloat(f float64) string { return index.FormatFloat(f) }

// valueOf converts a Go value given as a param to a Value.
func valueOf(x any) (Value, bool) {
	switch x := x.(type) {
	case Value:
		return x, x.Type >= TypeString && x.Type <= TypeBool
	case string:
		return StringValue(x), true
	case bool:
		return BoolValue(x), true
	case int:
		return IntValue(int64(x)), true
	case int8:
		return IntValue(int64(x)), true
	case int16:
		return IntValue(int64(x)), true
	case int32:
		return IntValue(int64(x)), true
	case int64:
		return IntValue(x), true
	case uint8:
		return IntValue(int64(x)), true
	case uint16:
		return IntValue(int64(x)), true
	case uint32:
		return IntValue(int64(x)), true
	case uint:
		if uint64(x) > math.MaxInt64 {
			return Value{}, false
		}
		return IntValue(int64(x)), true
	case uint64:
		if x > math.MaxInt64 {
			return Value{}, false
		}
		return IntValue(int64(x)), true
	case float32:
		return FloatValue(float64(x)), true
	case float64:
		return FloatValue(x), true
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return IntValue(i), true
		}
		if f, err := x.Float64(); err == nil {
			return FloatValue(f), true
		}
	}
	return Value{}, false
}

// Param is one flattened, typed param.
type Param struct {
	Key   string
	Value Value
}

// FlattenParams turns a nested map into sorted dotted keys with typed
// values: {"optimizer": {"lr": 0.1}} becomes optimizer.lr = 0.1. Nested
// values may be map[string]any or map[string]Value.
func FlattenParams(params map[string]any) ([]Param, error) {
	var out []Param
	if err := flatten(&out, "", params, 0); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	for i := 1; i < len(out); i++ {
		if out[i].Key == out[i-1].Key {
			return nil, fmt.Errorf("%w: key %q given twice after flattening", ErrInvalidParam, out[i].Key)
		}
	}
	for _, p := range out {
		if err := validateParam(p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func flatten(out *[]Param, prefix string, m map[string]any, depth int) error {
	if depth > MaxNestingDepth {
		return fmt.Errorf("%w: %q nests deeper than %d levels", ErrInvalidParam, prefix, MaxNestingDepth)
	}
	for k, x := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch x := x.(type) {
		case map[string]any:
			if err := flatten(out, key, x, depth+1); err != nil {
				return err
			}
			continue
		case map[string]Value:
			sub := make(map[string]any, len(x))
			for k2, v := range x {
				sub[k2] = v
			}
			if err := flatten(out, key, sub, depth+1); err != nil {
				return err
			}
			continue
		}
		v, ok := valueOf(x)
		if !ok {
			return fmt.Errorf("%w: %q has unsupported type %T (want string, integer, float, bool or a nested map)", ErrInvalidParam, key, x)
		}
		*out = append(*out, Param{Key: key, Value: v})
	}
	return nil
}
