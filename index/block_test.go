package index

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// smallHead builds a head with every kind of value, a deleted tag, a
// deleted run and two series.
func smallHead(t testing.TB) *Head {
	h := NewHead()
	loss, acc := h.Series("loss", ""), h.Series("val/acc", ContextKey(map[string]string{"subset": "val"}))
	for o := uint32(0); o < 40; o++ {
		require.NoError(t, h.Set(o, Attr(AttrRunID), String(fmt.Sprintf("run-%02d", o))))
		require.NoError(t, h.Set(o, Attr(AttrExperiment), String([]string{"cifar", "mnist"}[o%2])))
		require.NoError(t, h.Set(o, Attr(AttrStartTime), Int(1700000000000+int64(o))))
		require.NoError(t, h.Set(o, Param("lr"), Float([]float64{0.01, 0.1, math.NaN(), 1e-05}[o%4])))
		require.NoError(t, h.Set(o, Param("layers"), Int(int64(18+o%3*16))))
		require.NoError(t, h.Set(o, Param("opt"), String([]string{"adam", "sgd"}[o%2])))
		require.NoError(t, h.Set(o, Param("mixed"), []Value{Int(1), Float(1), String("1"), Bool(true)}[o%4]))
		require.NoError(t, h.Set(o, Tag("model"), String(fmt.Sprintf("resnet-%d", o%5))))
		require.NoError(t, h.SetSummary(o, loss, Summary{Count: int64(o), Last: 1 / float64(o+1), Min: 0.01, Max: 2}))
		if o%3 == 0 {
			require.NoError(t, h.SetSummary(o, acc, Summary{Count: 3, Last: float64(o) / 40, Min: 0, Max: math.NaN()}))
		}
	}
	require.NoError(t, h.Delete(7, Tag("model")))
	require.NoError(t, h.Delete(8, Tag("gone")))
	h.DeleteRun(9)
	return h
}

func marshal(t testing.TB, h *Head) []byte {
	data, err := h.Marshal()
	require.NoError(t, err)
	return data
}

func TestBlockRoundTrip(t *testing.T) {
	h := smallHead(t)
	data := marshal(t, h)
	b, err := Load(data)
	require.NoError(t, err)
	require.NoError(t, b.Verify())
	require.Contains(t, b.Describe(), "39 live runs, 1 tombstones")

	queries := []Predicate{
		Cond{Field: Param("lr"), Op: OpLt, Value: Float(0.05)},
		Cond{Field: Param("lr"), Op: OpEq, Value: String("0.01")},
		Cond{Field: Param("lr"), Op: OpEq, Value: String("nan")},
		Cond{Field: Param("lr"), Op: OpLike, Pattern: "1e-%"},
		Cond{Field: Param("mixed"), Op: OpEq, Value: String("1")},
		Cond{Field: Param("mixed"), Op: OpEq, Value: Int(1)},
		Cond{Field: Param("mixed"), Op: OpEq, Value: Bool(true)},
		Cond{Field: Tag("model"), Op: OpRegex, Pattern: "^resnet-[12]$"},
		Cond{Field: Tag("model"), Op: OpIsNull},
		Cond{Field: Tag("gone"), Op: OpIsNotNull},
		And{Cond{Field: Attr(AttrExperiment), Op: OpEq, Value: String("cifar")}, Cond{Field: Param("layers"), Op: OpGe, Value: Float(33.5)}},
		Cond{Field: Metric("val/acc", "subset\x00val", StatLast), Op: OpGt, Value: Float(0.5)},
		Cond{Field: Metric("val/acc", "subset\x00val", StatMax), Op: OpNe, Value: Int(1)},
		Cond{Field: Metric("loss", "", StatCount), Op: OpIn, Values: []Value{Int(3), Float(4), Float(math.NaN())}},
	}
	head, block := NewView(h), NewView(nil, b)
	for _, q := range queries {
		want, err := head.Select(q)
		require.NoError(t, err)
		got, err := block.Select(q)
		require.NoError(t, err)
		require.Equal(t, want.ToArray(), got.ToArray(), "%s", q)
	}
	keys := []SortKey{{Field: Metric("loss", "", StatLast), Desc: true}, {Field: Param("mixed")}}
	want, err := head.Sort(head.Runs(), keys, 2, 10)
	require.NoError(t, err)
	got, err := block.Sort(block.Runs(), keys, 2, 10)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.Len(t, got, 10)
}

// TestBlockBitFlips flips a bit in every byte of a serialized index: Load
// or Verify must report it, and queries on a block that loaded must fail
// cleanly.
func TestBlockBitFlips(t *testing.T) {
	r := newRand(t)
	data := marshal(t, smallHead(t))
	t.Logf("%d bytes", len(data))
	for i := range data {
		for _, bit := range []int{r.IntN(8)} {
			bad := append([]byte(nil), data...)
			bad[i] ^= 1 << bit
			b, err := Load(bad)
			if err == nil {
				err = b.Verify()
				queryAll(t, b)
			}
			require.Error(t, err, "flip of bit %d of byte %d", bit, i)
			if !errors.Is(err, ErrUnsupportedVersion) {
				var ce *CorruptionError
				require.ErrorAs(t, err, &ce)
				require.ErrorIs(t, err, ErrCorrupt)
			}
		}
	}
}

// queryAll runs a set of queries touching every part of a block; they may
// fail but must not panic.
func queryAll(t testing.TB, b *Block) {
	v := NewView(nil, b)
	fields := []Field{Attr(AttrRunID), Attr(AttrExperiment), Attr(AttrStartTime), Param("lr"), Param("layers"), Param("opt"), Param("mixed"), Tag("model"), Tag("gone"),
		Metric("loss", "", StatLast), Metric("loss", "", StatCount), Metric("val/acc", "subset\x00val", StatMax)}
	for _, f := range fields {
		for _, c := range []Cond{
			{Field: f, Op: OpIsNull},
			{Field: f, Op: OpGt, Value: Float(0.05)},
			{Field: f, Op: OpNotIn, Values: []Value{Int(1), Bool(true)}},
			{Field: f, Op: OpNe, Value: String("x")},
			{Field: f, Op: OpEq, Value: String("1")},
			{Field: f, Op: OpRegex, Pattern: "1"},
		} {
			r, err := v.Select(c)
			if err == nil {
				_, _ = v.Sort(r, []SortKey{{Field: f}}, 0, 5)
			}
		}
	}
	_, _ = v.Flatten(true)
}
