package index

import (
	"math"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/stretchr/testify/require"
)

// TestPostingRoundTrip encodes random sets of every shape, sparse to dense
// to near the top of the ordinal range, and decodes them back.
func TestPostingRoundTrip(t *testing.T) {
	r := newRand(t)
	for range 300 {
		b := roaring.New()
		base := uint32(r.Uint64N(math.MaxUint32 - 200000))
		if r.IntN(4) == 0 {
			base = math.MaxUint32 - 100000
		}
		density := []int{1, 2, 10, 100, 1000}[r.IntN(5)]
		n := r.IntN(3000)
		for range n {
			b.Add(base + uint32(r.IntN(density*(1+n/density))))
		}
		if r.IntN(5) == 0 {
			b.AddRange(uint64(base), uint64(base)+uint64(r.IntN(5000)))
		}
		enc := appendPosting([]byte{0xAA}, b)
		got, used, err := decodePosting(enc[1:])
		require.NoError(t, err)
		require.Equal(t, len(enc)-1, used)
		require.True(t, b.Equals(got), "round trip of %d ordinals from %d", b.GetCardinality(), base)
		if !b.IsEmpty() {
			// A posting never costs more than a list of one-byte gaps would
			// for dense sets, nor more than a bitset would for sparse ones.
			require.LessOrEqual(t, len(enc)-1, 1+20+int(b.GetCardinality())*5)
		}
	}
}

func TestPostingDecodeErrors(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty input":       {},
		"unknown kind":      {9},
		"list no count":     {postList},
		"list count zero":   {postList, 0},
		"list count beyond": {postList, 100, 1},
		"list overflow":     {postList, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0},
		"bitset no words":   {postBitset, 0, 0},
		"bitset short":      {postBitset, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0},
		"bitset zero word":  {postBitset, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
		"bitset beyond":     {postBitset, 0xff, 0xff, 0xff, 0x1f, 2, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
	} {
		_, _, err := decodePosting(data)
		require.Error(t, err, name)
	}
}
