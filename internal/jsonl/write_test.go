package jsonl

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestAppendString(t *testing.T) {
	require.Equal(t, `"plain"`, string(AppendString(nil, "plain")))
	require.Equal(t, `"a\"b\\c\n\r\t\u0001\u001f é"`, string(AppendString(nil, "a\"b\\c\n\r\t\x01\x1f é")))
	require.Equal(t, `"x\ufffdy"`, string(AppendString(nil, "x\xffy")))

	r := rand.New(rand.NewPCG(5, 6))
	var p Parser
	var l Line
	for range 20000 {
		b := make([]byte, r.IntN(20))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		s := string(b)
		enc := AppendString(nil, s)
		var viaStd string
		require.NoError(t, json.Unmarshal(enc, &viaStd), "%q -> %s", s, enc)
		if utf8.ValidString(s) {
			require.Equal(t, s, viaStd)
			line := append(append([]byte(`{"run":"r","name":`), enc...), '}')
			require.NoError(t, p.Parse(line, &l))
			require.Equal(t, s, l.Name)
		}
	}
}

func TestAppendValue(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 2.31: "2.31", 1e21: "1e+21", 5e-324: "5e-324", math.Inf(1): `"Infinity"`, math.Inf(-1): `"-Infinity"`,
	} {
		require.Equal(t, want, string(AppendValue(nil, v)))
	}
	require.Equal(t, `"NaN"`, string(AppendValue(nil, math.NaN())))
	require.Equal(t, "-0", string(AppendValue(nil, math.Copysign(0, -1))))
}

func TestAppendParamRoundTrip(t *testing.T) {
	vals := map[string]any{
		"s": "x\ny", "i": int64(-3), "max": int64(math.MaxInt64), "b": true, "f1": 1.0, "f": 0.1, "big": 1e21,
		"tiny": 1e-7, "negz": math.Copysign(0, -1), "nan": math.NaN(), "inf": math.Inf(1), "ninf": math.Inf(-1),
	}
	line := []byte(`{"run":"r","params":{`)
	first := true
	for k, v := range vals {
		if !first {
			line = append(line, ',')
		}
		first = false
		line = AppendString(line, k)
		line = append(line, ':')
		line = AppendParam(line, v)
	}
	line = append(line, "}}"...)
	l := parse(t, string(line))
	require.Len(t, l.Params, len(vals))
	for k, v := range vals {
		got := l.Params[k]
		require.IsType(t, v, got, "param %s from %s", k, line)
		if f, ok := v.(float64); ok {
			if math.IsNaN(f) {
				require.True(t, math.IsNaN(got.(float64)))
				continue
			}
			require.Equal(t, bitsOf(f), bitsOf(got.(float64)), "param %s", k)
			continue
		}
		require.Equal(t, v, got)
	}
	require.Equal(t, "1.0", string(AppendParam(nil, 1.0)))
	require.Equal(t, "null", string(AppendParam(nil, []int{1})))
}

func TestAppendStringMapSorted(t *testing.T) {
	require.Equal(t, `{}`, string(AppendStringMap(nil, nil)))
	require.Equal(t, `{"a":"1","b":"2","c":"\""}`, string(AppendStringMap(nil, map[string]string{"c": `"`, "b": "2", "a": "1"})))
}
