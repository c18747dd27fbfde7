package index

import "math"

// Numbers compare exactly across kinds, as SQL compares an INTEGER with a
// REAL: int 3 equals float 3.0, and int 2^53+1 is greater than float 2^53
// even though converting it to float64 would round it down. NaN is not
// ordered: it never satisfies a comparison and sorts after every number.

// two63 is 2^63 as a float64, the first float above every int64.
const two63 = 9223372036854775808.0

// cmpIntFloat compares i with f exactly and returns -1, 0 or +1. f must not
// be NaN.
func cmpIntFloat(i int64, f float64) int {
	if f >= two63 {
		return -1
	}
	if f < -two63 {
		return 1
	}
	t := math.Trunc(f) // integral and within int64's range
	ti := int64(t)
	switch {
	case i < ti:
		return -1
	case i > ti:
		return 1
	case f > t:
		return -1
	case f < t:
		return 1
	}
	return 0
}

// cmpInt compares two ints.
func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloat compares two non-NaN floats; -0 equals 0.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloatTotal orders floats for sorted views and sorting: numbers in
// order (-0 equal to 0), then NaN; NaNs are equal to each other.
func cmpFloatTotal(a, b float64) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmpFloat(a, b)
}

// num is a numeric literal or value: an int or a float.
type num struct {
	isInt bool
	i     int64
	f     float64
}

// numOf returns the number held by v and whether v is numeric.
func numOf(v Value) (num, bool) {
	switch v.Kind {
	case KindInt:
		return num{isInt: true, i: v.Int}, true
	case KindFloat:
		return num{f: v.Float}, true
	}
	return num{}, false
}

// isNaN reports whether n is a float NaN.
func (n num) isNaN() bool { return !n.isInt && n.f != n.f }

// cmpInt compares the int x with n: the sign of x - n. n must not be NaN.
func (n num) cmpInt(x int64) int {
	if n.isInt {
		return cmpInt(x, n.i)
	}
	return cmpIntFloat(x, n.f)
}

// cmpFloat compares the float x with n: the sign of x - n. Neither may be
// NaN.
func (n num) cmpFloat(x float64) int {
	if n.isInt {
		return -cmpIntFloat(n.i, x)
	}
	return cmpFloat(x, n.f)
}

// cmpNum compares two non-NaN numbers exactly.
func cmpNum(a, b num) int {
	if a.isInt {
		return b.cmpInt(a.i)
	}
	return b.cmpFloat(a.f)
}

// value returns n as a Value.
func (n num) value() Value {
	if n.isInt {
		return Int(n.i)
	}
	return Float(n.f)
}
