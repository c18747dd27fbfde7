package tfevents

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/importer/testutil"
)

func scalarOf(t *testing.T, v []byte) (float64, bool, error) {
	t.Helper()
	var ev Event
	require.NoError(t, Decode(eventBytes(1, 1, v), &ev))
	require.Len(t, ev.Values, 1)
	return Scalar(&ev.Values[0], string(ev.Values[0].Plugin))
}

// The rules of cases.json's scalar_conversion_rules, with DT_DOUBLE
// accepted as TensorBoard's Python reader does.
func TestScalarRules(t *testing.T) {
	le32 := binary.LittleEndian.AppendUint32(nil, math.Float32bits(0.125))
	le64 := binary.LittleEndian.AppendUint64(nil, math.Float64bits(0.125))
	accepted := map[string][]byte{
		"simple_value":            simpleValue("a", 0.125),
		"float_val rank 0":        tensorValue("a", "scalars", tensor(dtFloat, []int64{}, nil, []float32{0.125}, nil)),
		"tensor_content rank 0":   tensorValue("a", "scalars", tensor(dtFloat, []int64{}, le32, nil, nil)),
		"tensor_content no shape": tensorValue("a", "scalars", tensor(dtFloat, nil, le32, nil, nil)),
		"double_val":              tensorValue("a", "scalars", tensor(dtDouble, []int64{}, nil, nil, []float64{0.125})),
		"double content":          tensorValue("a", "scalars", tensor(dtDouble, nil, le64, nil, nil)),
	}
	for name, v := range accepted {
		x, ok, err := scalarOf(t, v)
		require.NoError(t, err, name)
		require.True(t, ok, name)
		require.Equal(t, 0.125, x, name)
	}
	rejected := map[string][]byte{
		"float_val empty":   tensorValue("a", "scalars", tensor(dtFloat, []int64{}, nil, []float32{}, nil)),
		"content 2 bytes":   tensorValue("a", "scalars", tensor(dtFloat, []int64{}, []byte{1, 2}, nil, nil)),
		"float_val long":    tensorValue("a", "scalars", tensor(dtFloat, []int64{}, nil, []float32{0.125, 9.99}, nil)),
		"content 8 bytes":   tensorValue("a", "scalars", tensor(dtFloat, []int64{}, le64, nil, nil)),
		"shape 2x2":         tensorValue("a", "scalars", tensor(dtFloat, []int64{2, 2}, nil, []float32{1, 2, 3, 4}, nil)),
		"shape 1x1x1":       tensorValue("a", "scalars", tensor(dtFloat, []int64{1, 1, 1}, nil, []float32{1}, nil)),
		"DT_STRING":         tensorValue("a", "scalars", tensor(7, []int64{}, nil, nil, nil)),
		"DT_INT32":          tensorValue("a", "scalars", tensor(3, []int64{}, nil, nil, nil)),
		"empty TensorProto": tensorValue("a", "scalars", nil),
	}
	for name, v := range rejected {
		_, ok, err := scalarOf(t, v)
		require.False(t, ok, name)
		require.ErrorIs(t, err, ErrScalar, name)
	}
	// A tensor of another plugin is not a scalar and not an error.
	_, ok, err := scalarOf(t, tensorValue("a", "histograms", tensor(dtFloat, []int64{}, le32, nil, nil)))
	require.NoError(t, err)
	require.False(t, ok)
}

// TF2 writes the plugin metadata only with a tag's first value.
func TestPluginRememberedPerTag(t *testing.T) {
	le := func(x float32) []byte { return binary.LittleEndian.AppendUint32(nil, math.Float32bits(x)) }
	var file []byte
	file = frame(file, eventBytes(1600000000, 0, tensorValue("acc", "scalars", tensor(dtFloat, []int64{}, le(0.5), nil, nil))))
	file = frame(file, eventBytes(1600000001, 1, tensorValue("acc", "", tensor(dtFloat, []int64{}, le(0.75), nil, nil))))
	file = frame(file, eventBytes(1600000002, 2, tensorValue("img", "images", tensor(7, []int64{3}, nil, nil, nil)), simpleValue("loss", 1.5)))
	dir := filepath.Join(t.TempDir(), "logs")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "train"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "validation"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "train", "events.out.tfevents.1.host"), file, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "validation", "events.out.tfevents.1.host"), file, 0o644))

	db := testutil.OpenDB(t)
	st, warns := importDir(t, db, dir)
	require.Empty(t, warns)
	require.Equal(t, 1, st.RunsCreated, "train and validation are one run")
	require.Equal(t, int64(6), st.Points)
	require.Equal(t, int64(2), st.Skipped, "the image values")
	runs, err := db.Runs()
	require.NoError(t, err)
	pts := testutil.Points(t, db, runs[0].ID, "acc", map[string]string{"subset": "validation"})
	require.Equal(t, []float64{0.5, 0.75}, []float64{pts[0].Value, pts[1].Value})
	require.Equal(t, int64(1600000001000), pts[1].Time)
	require.Equal(t, "logs", runs[0].Name)
}

func TestStrictStopsAtFirstProblem(t *testing.T) {
	db := testutil.OpenDB(t)
	s := sink.New(db, true, nil)
	err := Import(s, edge(t, "real_strict_run_1_corrupt_record_50.tfevents"), nil)
	require.ErrorIs(t, err, sink.ErrStrict)
	require.ErrorIs(t, err, ErrDataCRC)
}
