package bitstream

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDoDRoundTrip(t *testing.T) {
	vals := []int64{0, 1, -1, 63, 64, -63, -64, 65, 8192, -8191, -8192, 8193,
		1 << 19, -(1<<19 - 1), -(1 << 19), 1<<19 + 1, math.MaxInt64, math.MinInt64}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		vals = append(vals, rng.Int64N(int64(1)<<uint(rng.IntN(62)+1))-rng.Int64N(1<<20))
	}
	var w Writer
	for _, v := range vals {
		w.WriteDoD(v)
	}
	r := NewReader(w.Bytes())
	for i, v := range vals {
		got, err := r.ReadDoD()
		require.NoError(t, err, "value %d", i)
		require.Equal(t, v, got, "value %d", i)
	}
}

func TestBitsAndShort(t *testing.T) {
	var w Writer
	w.WriteBit(true)
	w.WriteBits(0x2a, 6)
	w.WriteBits(math.MaxUint64, 64)
	w.WriteBit(false)
	require.Equal(t, 9, w.Len())
	r := NewReader(w.Bytes())
	b, err := r.ReadBit()
	require.NoError(t, err)
	require.True(t, b)
	v, err := r.ReadBits(6)
	require.NoError(t, err)
	require.Equal(t, uint64(0x2a), v)
	v, err = r.ReadBits(64)
	require.NoError(t, err)
	require.Equal(t, uint64(math.MaxUint64), v)
	b, err = r.ReadBit()
	require.NoError(t, err)
	require.False(t, b)
	_, err = r.ReadBits(9)
	require.ErrorIs(t, err, ErrShort)

	r = NewReader([]byte{0xff})
	_, err = r.ReadDoD()
	require.ErrorIs(t, err, ErrShort)
}

func BenchmarkWriteDoDZero(b *testing.B) {
	var w Writer
	b.ReportAllocs()
	for b.Loop() {
		if w.Len() > 4096 {
			w.Reset()
		}
		w.WriteDoD(0)
	}
}
