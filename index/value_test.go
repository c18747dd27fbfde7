package index

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValueString(t *testing.T) {
	for _, c := range []struct {
		v    Value
		want string
	}{
		{Float(0.01), "0.01"},
		{Float(1), "1.0"},
		{Float(1e-05), "1e-05"},
		{Float(0.0001), "0.0001"},
		{Float(1e16), "1e+16"},
		{Float(1.5e16), "1.5e+16"},
		{Float(123456789012345.6), "123456789012345.6"},
		{Float(math.Copysign(0, -1)), "-0.0"},
		{Float(math.NaN()), "nan"},
		{Float(math.Inf(1)), "inf"},
		{Float(math.Inf(-1)), "-inf"},
		{Int(-7), "-7"},
		{Bool(true), "True"},
		{Bool(false), "False"},
		{String("adam"), "adam"},
	} {
		require.Equal(t, c.want, c.v.String(), "%#v", c.v)
	}
}

// TestNumericCompare checks exact int/float comparison against math/big.
func TestNumericCompare(t *testing.T) {
	r := newRand(t)
	ints := []int64{0, 1, -1, 1 << 53, 1<<53 + 1, -(1 << 53) - 1, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1}
	floats := []float64{0, math.Copysign(0, -1), 0.5, -0.5, 1 << 53, 1<<53 + 2, 9223372036854775807.0, -9223372036854775808.0, math.Inf(1), math.Inf(-1), 1e300, -1e300, math.Nextafter(1<<63, 0)}
	for range 20000 {
		var i int64
		var f float64
		if r.IntN(2) == 0 {
			i, f = pick(r, ints), pick(r, floats)
		} else {
			i = int64(r.Uint64())
			f = float64(int64(r.Uint64())) + float64(r.IntN(3)-1)*pick(r, []float64{0, 0.5, 1024})
		}
		want := new(big.Float).SetInt64(i).Cmp(new(big.Float).SetFloat64(f))
		require.Equal(t, want, cmpIntFloat(i, f), "cmp(%d, %v)", i, f)
	}
}
