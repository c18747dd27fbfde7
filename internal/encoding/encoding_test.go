package encoding

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, 0.1, float64(float32(0.1)), math.Inf(1), math.Inf(-1),
		math.NaN(), math.Float64frombits(0x7ff800000000dead), math.Float64frombits(0xfff0000000000001),
		math.MaxFloat64, math.SmallestNonzeroFloat64}
	var e Encbuf
	e.PutUvarint(300)
	e.PutVarint(-5)
	e.PutString("loss")
	e.PutBE32(7)
	e.PutBE64(9)
	for _, v := range vals {
		e.PutValue(v)
	}
	d := Decbuf{B: e.B}
	require.Equal(t, uint64(300), d.Uvarint())
	require.Equal(t, int64(-5), d.Varint())
	require.Equal(t, "loss", d.String())
	require.Equal(t, uint32(7), d.BE32())
	require.Equal(t, uint64(9), d.BE64())
	for _, v := range vals {
		require.Equal(t, math.Float64bits(v), math.Float64bits(d.Value()))
	}
	require.NoError(t, d.E)
	require.Zero(t, d.Len())
	_ = d.Byte()
	require.ErrorIs(t, d.E, ErrInvalid)
}

func TestFloat32Shortcut(t *testing.T) {
	var e Encbuf
	e.PutValue(float64(float32(0.1)))
	require.Len(t, e.B, 5)
	e.Reset()
	e.PutValue(0.1)
	require.Len(t, e.B, 9)
}

func TestCountGuards(t *testing.T) {
	var e Encbuf
	e.PutUvarint(1 << 40)
	d := Decbuf{B: e.B}
	require.Zero(t, d.Count(1))
	require.ErrorIs(t, d.E, ErrInvalid)
	d = Decbuf{B: []byte{0x05, 'a'}}
	require.Nil(t, d.Bytes())
	require.Error(t, d.E)
}
