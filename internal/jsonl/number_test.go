package jsonl

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func bitsOf(f float64) uint64 { return math.Float64bits(f) }

func parseValue(t *testing.T, lit string) float64 {
	t.Helper()
	return parse(t, `{"run":"r","step":0,"metrics":{"v":`+lit+`}}`).Metrics["v"]
}

func TestMetricValues(t *testing.T) {
	for lit, want := range map[string]uint64{
		"2.31":                    bitsOf(2.31),
		"0":                       0,
		"-0":                      1 << 63,
		"-0.0":                    1 << 63,
		"-0e5":                    1 << 63,
		"5e-324":                  1,
		"4.9406564584124654e-324": 1,
		"1.7976931348623157e308":  bitsOf(math.MaxFloat64),
		"-1.7976931348623157e308": bitsOf(-math.MaxFloat64),
		"1e400":                   bitsOf(math.Inf(1)),
		"-1e400":                  bitsOf(math.Inf(-1)),
		"1e-400":                  0,
		"-1e-400":                 1 << 63,
		"12345678901234567890":    bitsOf(12345678901234567890),
		"1E3":                     bitsOf(1000),
		"NaN":                     NaNBits,
		"Infinity":                bitsOf(math.Inf(1)),
		"-Infinity":               bitsOf(math.Inf(-1)),
		`"NaN"`:                   NaNBits,
		`"nan"`:                   NaNBits,
		`"-nan"`:                  NaNBits,
		`"Infinity"`:              bitsOf(math.Inf(1)),
		`"-Infinity"`:             bitsOf(math.Inf(-1)),
		`"+Infinity"`:             bitsOf(math.Inf(1)),
		`"inf"`:                   bitsOf(math.Inf(1)),
		`"-INF"`:                  bitsOf(math.Inf(-1)),
		`"iNfInItY"`:              bitsOf(math.Inf(1)),
	} {
		require.Equal(t, want, bitsOf(parseValue(t, lit)), "literal %s", lit)
	}
}

func TestMetricValueRejectsWords(t *testing.T) {
	var p Parser
	for _, lit := range []string{`"infinit"`, `"nana"`, `""`, `"1"`, `nan`, `inf`, `+1`, `.5`, `0x10`, `true`} {
		err := p.Parse([]byte(`{"run":"r","step":0,"metrics":{"v":`+lit+`}}`), &Line{})
		require.Error(t, err, "literal %s", lit)
	}
}

// TestMetricValuesRoundTrip checks the promise dump and ingest rely on:
// AppendValue's text parses back to the same bits, for any float64.
func TestMetricValuesRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var p Parser
	var l Line
	var buf []byte
	check := func(v float64) {
		buf = append(buf[:0], `{"run":"r","step":0,"metric":"m","value":`...)
		buf = AppendValue(buf, v)
		buf = append(buf, '}')
		require.NoError(t, p.Parse(buf, &l), "line %s", buf)
		got := l.Metrics["m"]
		if math.IsNaN(v) {
			require.Equal(t, uint64(NaNBits), bitsOf(got))
			return
		}
		require.Equal(t, bitsOf(v), bitsOf(got), "value %v written as %s", v, buf)
	}
	for _, v := range []float64{0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
		math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 1e21, 1e-7, 123456789, 0.1} {
		check(v)
	}
	for range 100000 {
		check(math.Float64frombits(r.Uint64()))                  // any bit pattern
		check(float64(float32(r.NormFloat64())))                 // a widened float32 tensor value
		check(float64(r.IntN(10001)) / 10000)                    // accuracy k/10000
		check(math.Float64frombits(r.Uint64N(1 << 52)))          // subnormals
		check(math.Ldexp(r.Float64(), r.IntN(2100)-1075) * -1.0) // every exponent
	}
}

func TestExactIntegers(t *testing.T) {
	for lit, want := range map[string]int64{
		"0":                         0,
		"-0":                        0,
		"3":                         3,
		"3.0":                       3,
		"3.000e0":                   3,
		"1.5e3":                     1500,
		"100e-2":                    1,
		"-7":                        -7,
		"1700000000000":             1700000000000,
		"9223372036854775807":       math.MaxInt64,
		"-9223372036854775808":      math.MinInt64,
		"-9223372036854775808.000":  math.MinInt64,
		"92233720368547758070e-1":   math.MaxInt64,
		"9007199254740993.0":        9007199254740993,
		"9.007199254740993e15":      9007199254740993,
		"0e999999999999":            0,
		"0.0e-99":                   0,
		"1e18":                      1e18,
		"0.00000000000000000001e20": 1,
	} {
		l := parse(t, `{"run":"r","step":`+lit+`,"metrics":{}}`)
		require.Equal(t, want, l.Step, "literal %s", lit)
	}
	for _, lit := range []string{"1.5", "0.1", "9223372036854775808", "-9223372036854775809", "1e19", "1e999999999999", "1e-1", "12.5e0", "10000000000000000000"} {
		_, msg := parseExactInt([]byte(lit))
		require.NotEmpty(t, msg, "literal %s", lit)
	}
}

func TestExactIntegersMatchStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		n := int64(r.Uint64())
		lit := strconv.FormatInt(n, 10)
		got, msg := parseExactInt([]byte(lit))
		require.Empty(t, msg, lit)
		require.Equal(t, n, got)
		got, msg = parseExactInt([]byte(lit + ".000"))
		require.Empty(t, msg, lit)
		require.Equal(t, n, got)
	}
}
