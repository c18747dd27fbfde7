package jsonl

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"unsafe"
)

// NaNBits is the bit pattern every NaN on a line becomes: the quiet NaN
// that CPython, NumPy and a widened float32 NaN all produce. Text carries
// no NaN payload, so one fixed pattern keeps ingest deterministic.
const NaNBits = 0x7ff8000000000000

// nan is the float64 of NaNBits. math.NaN() has a different payload.
var nan = math.Float64frombits(NaNBits)

var inf = math.Inf(1)

// parseFloat converts a literal that number accepted. It is the only
// conversion of metric values, so a value printed with strconv's shortest
// round-trip formatting comes back with the same bits. A literal beyond
// the float64 range becomes ±Inf and one below the smallest subnormal
// becomes ±0, as IEEE rounding, Python's json and JavaScript read them.
func parseFloat(lit []byte) (float64, bool) {
	// The string view avoids a copy per value. strconv never keeps its
	// argument (its errors hold a clone), and lit is not changed during
	// the call.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(lit), len(lit)), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// parseExactInt converts a literal that number accepted to int64 when its
// value is an integer: 3, -7, 3.0, 1.5e3 and 100e-2 all qualify, 1.5 does
// not. The digits are read as decimal, never through float64, so 2^53+1
// written as 9007199254740993.0 stays exact. It returns a message for the
// caller's error when the value is fractional or outside int64.
func parseExactInt(lit []byte) (int64, string) {
	neg := false
	if lit[0] == '-' {
		neg = true
		lit = lit[1:]
	}
	// Split the literal into integer digits, fraction digits and exponent.
	i := 0
	for i < len(lit) && isDigit(lit[i]) {
		i++
	}
	intPart := lit[:i]
	var frac []byte
	if i < len(lit) && lit[i] == '.' {
		j := i + 1
		for j < len(lit) && isDigit(lit[j]) {
			j++
		}
		frac = lit[i+1 : j]
		i = j
	}
	exp := 0
	if i < len(lit) && (lit[i] == 'e' || lit[i] == 'E') {
		i++
		expNeg := false
		if lit[i] == '+' || lit[i] == '-' {
			expNeg = lit[i] == '-'
			i++
		}
		for ; i < len(lit); i++ {
			// Saturate: any exponent this large is out of range (or, for
			// a zero mantissa, irrelevant).
			if exp < 1_000_000 {
				exp = exp*10 + int(lit[i]-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}

	// value = digits × 10^e, where digits is intPart followed by frac,
	// read in place; trailing zeros move into e.
	at := func(k int) byte {
		if k < len(intPart) {
			return intPart[k]
		}
		return frac[k-len(intPart)]
	}
	e := exp - len(frac)
	lo, hi := 0, len(intPart)+len(frac)
	for lo < hi && at(lo) == '0' {
		lo++
	}
	for hi > lo && at(hi-1) == '0' {
		hi--
		e++
	}
	if lo == hi {
		return 0, ""
	}
	if e < 0 {
		return 0, "not an integer"
	}
	if hi-lo+e > 19 { // int64 has at most 19 digits
		return 0, "outside the int64 range"
	}
	var u uint64
	for k := lo; k < hi; k++ {
		u = u*10 + uint64(at(k)-'0') // at most 19 digits: no overflow of uint64
	}
	for range e {
		if u > math.MaxUint64/10 {
			return 0, "outside the int64 range"
		}
		u *= 10
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u-1) - 1, "" // -(2^63) without overflowing int64
	case !neg && u <= math.MaxInt64:
		return int64(u), ""
	}
	return 0, "outside the int64 range"
}

// nonFinite reads the quoted spellings of NaN and infinity. Besides the
// JSON-ish "NaN", "Infinity" and "-Infinity" it takes, case-insensitively,
// "nan", "inf", "infinity" with an optional sign: what str(float) writes
// in Python and what other tools put in CSV-turned-JSON.
func nonFinite(b []byte) (float64, bool) {
	if len(b) < 3 || len(b) > 9 {
		return 0, false
	}
	sign := 1.0
	switch b[0] {
	case '-':
		sign = -1
		b = b[1:]
	case '+':
		b = b[1:]
	}
	switch {
	case bytes.EqualFold(b, []byte("nan")):
		return nan, true
	case bytes.EqualFold(b, []byte("inf")), bytes.EqualFold(b, []byte("infinity")):
		return math.Inf(int(sign)), true
	}
	return 0, false
}
