package fuzz

import (
	"errors"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/index"
)

// FuzzIndexDecode feeds arbitrary bytes to index.Load and Block.Verify as
// a serialized block index; with fix set, every checksum is first made
// valid (index.RechecksumForTesting), so that mutations reach the decoders
// behind the checksums. Neither may panic, and every error must be a
// *index.CorruptionError (errors.Is ErrCorrupt) or ErrUnsupportedVersion.
// Queries touching every part of a block that loaded must not panic
// either; when Verify passes they must not fail, and the block flattened
// and serialized again must load, verify and answer the same. The seeds in
// testdata/fuzz/FuzzIndexDecode run as ordinary tests.
func FuzzIndexDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, fix bool) {
		if fix {
			index.RechecksumForTesting(data)
		}
		b, err := index.Load(data)
		if err != nil {
			requireIndexError(t, err)
			return
		}
		verr := b.Verify()
		if verr != nil {
			requireIndexError(t, verr)
		}
		answers, qerr := indexAnswers(b)
		if verr != nil {
			if qerr != nil {
				requireIndexError(t, qerr)
			}
			return
		}
		require.NoError(t, qerr, "a verified block answers every query")

		flat, err := index.NewView(nil, b).Flatten(true)
		require.NoError(t, err)
		again, err := flat.Marshal()
		require.NoError(t, err)
		b2, err := index.Load(again)
		require.NoError(t, err)
		require.NoError(t, b2.Verify())
		answers2, err := indexAnswers(b2)
		require.NoError(t, err)
		require.Equal(t, answers, answers2)
	})
}

func requireIndexError(t *testing.T, err error) {
	if errors.Is(err, index.ErrUnsupportedVersion) {
		return
	}
	var ce *index.CorruptionError
	require.True(t, errors.As(err, &ce), "unexpected error type %T: %v", err, err)
	require.ErrorIs(t, err, index.ErrCorrupt)
	require.NotEmpty(t, ce.Section)
	require.GreaterOrEqual(t, ce.Offset, int64(0))
}

// indexFields are the fields the seeds hold, and one they do not.
var indexFields = []index.Field{
	index.Attr(index.AttrRunID), index.Attr(index.AttrExperiment), index.Attr(index.AttrStartTime),
	index.Param("lr"), index.Param("layers"), index.Param("opt"), index.Param("mixed"), index.Param("absent"),
	index.Tag("model"), index.Tag("gone"),
	index.Metric("loss", "", index.StatLast), index.Metric("loss", "", index.StatCount),
	index.Metric("val/acc", "subset\x00val", index.StatMax), index.Metric("val/acc", "subset\x00val", index.StatMin),
}

// indexAnswers runs predicates of every kind on every field and a sort by
// each, and returns the results or the first error.
func indexAnswers(b *index.Block) ([][]uint32, error) {
	v := index.NewView(nil, b)
	var out [][]uint32
	all, err := v.Select(nil)
	if err != nil {
		return nil, err
	}
	out = append(out, all.ToArray())
	var firstErr error
	for _, f := range indexFields {
		conds := []index.Cond{
			{Field: f, Op: index.OpIsNull},
			{Field: f, Op: index.OpGt, Value: index.Float(0.05)},
			{Field: f, Op: index.OpLe, Value: index.Int(34)},
			{Field: f, Op: index.OpNotIn, Values: []index.Value{index.Int(1), index.Float(0.25)}},
			{Field: f, Op: index.OpEq, Value: index.Float(1)},
		}
		if f.Kind != index.FieldMetric {
			conds = append(conds,
				index.Cond{Field: f, Op: index.OpIn, Values: []index.Value{index.Bool(true), index.String("sgd"), index.Int(18)}},
				index.Cond{Field: f, Op: index.OpNe, Value: index.String("adam")},
				index.Cond{Field: f, Op: index.OpEq, Value: index.String("0.01")},
				index.Cond{Field: f, Op: index.OpRegex, Pattern: "1"},
				index.Cond{Field: f, Op: index.OpILike, Pattern: "R%"},
				index.Cond{Field: f, Op: index.OpGe, Value: index.String("m")},
			)
		}
		for _, c := range conds {
			r, err := v.Select(c)
			if err != nil {
				firstErr = cmpOr(firstErr, err)
				continue
			}
			out = append(out, r.ToArray())
		}
		sorted, err := v.Sort(all, []index.SortKey{{Field: f, Desc: true}}, 1, 5)
		if err != nil {
			firstErr = cmpOr(firstErr, err)
			continue
		}
		out = append(out, sorted)
	}
	r, err := v.Select(index.And{
		index.Cond{Field: index.Param("lr"), Op: index.OpLt, Value: index.Float(0.05)},
		index.Not{P: index.Cond{Field: index.Tag("model"), Op: index.OpEq, Value: index.String("resnet-1")}},
	})
	if err != nil {
		return nil, cmpOr(firstErr, err)
	}
	out = append(out, r.ToArray())
	if _, err := v.Sort(roaring.New(), nil, 0, -1); err != nil {
		firstErr = cmpOr(firstErr, err)
	}
	return out, firstErr
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
