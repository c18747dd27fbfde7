package fuzz

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/jsonl"
)

// FuzzJSONL feeds arbitrary bytes to the interchange parser. It must never
// panic; a rejected line must come with a positioned, typed error; and an
// accepted line, written back out with the package's own Append functions,
// must parse to the same line, every float bit for bit. The seeds in
// testdata/fuzz/FuzzJSONL run as ordinary tests.
func FuzzJSONL(f *testing.F) {
	f.Fuzz(func(t *testing.T, line []byte) {
		p := jsonl.Parser{Now: func() int64 { return 1700000000000 }}
		var l jsonl.Line
		err := p.Parse(line, &l)
		if err != nil {
			var pe *jsonl.Error
			require.True(t, errors.As(err, &pe), "error %v is not a *jsonl.Error", err)
			require.True(t, errors.Is(err, jsonl.ErrSyntax) || errors.Is(err, jsonl.ErrField) || errors.Is(err, jsonl.ErrLimit), "error %v has no sentinel", err)
			require.GreaterOrEqual(t, pe.Offset, 0)
			require.LessOrEqual(t, pe.Offset, len(line), "error %v points past the line", err)
			require.NotEmpty(t, pe.Msg)
			return
		}
		require.NotEmpty(t, l.Run)
		want := normalize(&l)

		// The encoding of what was parsed parses back to the same thing.
		enc := encode(&l)
		var back jsonl.Line
		require.NoError(t, p.Parse(enc, &back), "re-encoded %q as %s", line, enc)
		require.Equal(t, want, normalize(&back), "re-encoded %q as %s", line, enc)

		// A second parse with the same (now warm) parser agrees.
		require.NoError(t, p.Parse(line, &l))
		require.Equal(t, want, normalize(&l))
	})
}

// encode writes l back as a line, in a fixed key order.
func encode(l *jsonl.Line) []byte {
	b := []byte(`{"run":`)
	b = jsonl.AppendString(b, l.Run)
	str := func(key, v string) {
		b = append(b, `,"`+key+`":`...)
		b = jsonl.AppendString(b, v)
	}
	num := func(key string, v int64) {
		b = append(b, `,"`+key+`":`...)
		b = jsonl.AppendParam(b, v)
	}
	if l.Kind == jsonl.KindPoints {
		num("step", l.Step)
		if l.Has(jsonl.FieldTime) {
			num("time", l.Time)
		}
		if l.Has(jsonl.FieldContext) {
			b = append(b, `,"context":`...)
			b = jsonl.AppendStringMap(b, l.Context)
		}
		b = append(b, `,"metrics":{`...)
		for i, k := range sortedKeys(l.Metrics) {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonl.AppendString(b, k)
			b = append(b, ':')
			b = jsonl.AppendValue(b, l.Metrics[k])
		}
		return append(b, "}}"...)
	}
	if l.Has(jsonl.FieldExperiment) {
		str("experiment", l.Experiment)
	}
	if l.Has(jsonl.FieldName) {
		str("name", l.Name)
	}
	if l.Has(jsonl.FieldStatus) {
		str("status", l.Status)
	}
	if l.Has(jsonl.FieldStartTime) {
		num("start_time", l.StartTime)
	}
	if l.Has(jsonl.FieldEndTime) {
		num("end_time", l.EndTime)
	}
	if l.Has(jsonl.FieldParams) {
		b = append(b, `,"params":`...)
		b = encodeParams(b, l.Params)
	}
	if l.Has(jsonl.FieldTags) {
		b = append(b, `,"tags":`...)
		b = jsonl.AppendStringMap(b, l.Tags)
	}
	if l.Has(jsonl.FieldDatasets) {
		b = append(b, `,"datasets":[`...)
		for i, d := range l.Datasets {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = jsonl.AppendString(b, d.Name)
			b = append(b, `,"digest":`...)
			b = jsonl.AppendString(b, d.Digest)
			b = append(b, `,"context":`...)
			b = jsonl.AppendString(b, d.Context)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func encodeParams(b []byte, m map[string]any) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonl.AppendString(b, k)
		b = append(b, ':')
		if sub, ok := m[k].(map[string]any); ok {
			b = encodeParams(b, sub)
		} else {
			b = jsonl.AppendParam(b, m[k])
		}
	}
	return append(b, '}')
}

// normalize turns a line into something require.Equal can compare: floats
// become their bits (NaN is not equal to itself) and empty maps nil.
func normalize(l *jsonl.Line) map[string]any {
	out := map[string]any{
		"kind": l.Kind, "fields": l.Fields, "run": l.Run, "experiment": l.Experiment, "name": l.Name,
		"status": l.Status, "start": l.StartTime, "end": l.EndTime, "step": l.Step, "time": l.Time,
		"params": normParams(l.Params), "datasets": slices.Clone(l.Datasets),
	}
	if len(l.Tags) > 0 {
		out["tags"] = l.Tags
	}
	if len(l.Context) > 0 {
		out["context"] = l.Context
	}
	if len(l.Metrics) > 0 {
		m := map[string]uint64{}
		for k, v := range l.Metrics {
			m[k] = math.Float64bits(v)
		}
		out["metrics"] = m
	}
	if len(l.Datasets) == 0 {
		out["datasets"] = nil
	}
	return out
}

type floatBits uint64

func normParams(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch v := v.(type) {
		case float64:
			out[k] = floatBits(math.Float64bits(v))
		case map[string]any:
			sub := normParams(v)
			if sub == nil {
				sub = map[string]any{}
			}
			out[k] = sub
		default:
			out[k] = v
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
