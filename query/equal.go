package query

import "reflect"

// Equal reports whether two nodes are equal, ignoring positions: whether
// they mean the same query written alike. parse(String(n)) is Equal to n
// for every node the parser returns.
func Equal(a, b Node) bool {
	return equalValue(reflect.ValueOf(a), reflect.ValueOf(b))
}

var posType = reflect.TypeOf(Pos(0))

func equalValue(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == posType {
		return true
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Float32, reflect.Float64:
		// Bits, so that -0 and 0 differ and NaN equals itself.
		return a.Float() == b.Float() && (a.Float() != 0 || signbit(a.Float()) == signbit(b.Float())) || a.Float() != a.Float() && b.Float() != b.Float()
	}
	return a.Equal(b)
}

func signbit(f float64) bool { return 1/f < 0 }
