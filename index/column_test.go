package index

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestColumn checks the dense/sparse column against a map through random
// sets and deletes with clustered and scattered ordinals.
func TestColumn(t *testing.T) {
	r := newRand(t)
	for round := range 20 {
		var c column[int]
		want := map[uint32]int{}
		span := uint32(1 + r.IntN(5000))
		for i := range 2000 {
			o := uint32(r.IntN(int(span)))
			if round%2 == 0 && r.IntN(4) > 0 {
				o = uint32(i) // mostly increasing, as the engine assigns them
			}
			if r.IntN(4) == 0 {
				c.del(o)
				delete(want, o)
			} else {
				c.set(o, i)
				want[o] = i
			}
			require.Equal(t, len(want), c.len())
			got, ok := c.get(o)
			w, wok := want[o]
			require.Equal(t, wok, ok)
			require.Equal(t, w, got)
		}
		var ords []uint32
		c.each(func(o uint32, v *int) bool {
			ords = append(ords, o)
			require.Equal(t, want[o], *v)
			return true
		})
		require.Equal(t, slices.Sorted(maps.Keys(want)), nilIfEmpty(ords))
		c.update(func(v int) int { return v + 1 })
		for o, v := range want {
			got, ok := c.get(o)
			require.True(t, ok)
			require.Equal(t, v+1, got)
		}
	}
}

// TestColumnSparse checks that scattered ordinals do not cost their span.
func TestColumnSparse(t *testing.T) {
	var c column[uint64]
	for i := range uint32(100) {
		c.set(i*1_000_000, uint64(i))
	}
	require.NotNil(t, c.m, "scattered ordinals use the map")
	require.Nil(t, c.vals)
	for i := range uint32(1000) {
		c.set(50_000_001+i, 1)
	}
	require.Equal(t, 1100, c.len())
	v, ok := c.get(99_000_000)
	require.True(t, ok)
	require.Equal(t, uint64(99), v)
}
