package jsonl

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, line string) *Line {
	t.Helper()
	p := Parser{Now: func() int64 { return 42 }}
	var l Line
	require.NoError(t, p.Parse([]byte(line), &l), "line %s", line)
	return &l
}

func TestParseDesignExamples(t *testing.T) {
	l := parse(t, `{"run":"r1","experiment":"cifar","name":"lr-0.1","params":{"lr":0.1,"opt":"adam"},"tags":{"git":"3f2a"},"start_time":1700000000000}`)
	require.Equal(t, KindRun, l.Kind)
	require.Equal(t, "r1", l.Run)
	require.Equal(t, "cifar", l.Experiment)
	require.Equal(t, "lr-0.1", l.Name)
	require.Equal(t, map[string]any{"lr": 0.1, "opt": "adam"}, l.Params)
	require.Equal(t, map[string]string{"git": "3f2a"}, l.Tags)
	require.Equal(t, int64(1700000000000), l.StartTime)
	require.True(t, l.Has(FieldExperiment|FieldName|FieldParams|FieldTags|FieldStartTime))
	require.False(t, l.Has(FieldStatus))
	require.False(t, l.Has(FieldEndTime))

	l = parse(t, `{"run":"r1","step":0,"time":1700000000000,"metrics":{"loss":2.31,"acc":0.1}}`)
	require.Equal(t, KindPoints, l.Kind)
	require.Equal(t, int64(0), l.Step)
	require.Equal(t, int64(1700000000000), l.Time)
	require.True(t, l.Has(FieldTime))
	require.Equal(t, map[string]float64{"loss": 2.31, "acc": 0.1}, l.Metrics)
	require.Empty(t, l.Context)

	l = parse(t, `{"run":"r1","step":0,"context":{"subset":"val"},"metrics":{"acc":0.12}}`)
	require.Equal(t, KindPoints, l.Kind)
	require.Equal(t, int64(42), l.Time, "time defaults to Parser.Now")
	require.False(t, l.Has(FieldTime))
	require.Equal(t, map[string]string{"subset": "val"}, l.Context)

	l = parse(t, `{"run":"r1","status":"finished","end_time":1700000900000}`)
	require.Equal(t, KindRun, l.Kind)
	require.Equal(t, "finished", l.Status)
	require.Equal(t, int64(1700000900000), l.EndTime)
}

func TestParseSinglePointForm(t *testing.T) {
	l := parse(t, `{"run":"r1","metric":"acc","context":{"subset":"val"},"step":7,"time":5,"value":0.12}`)
	require.Equal(t, KindPoints, l.Kind)
	require.Equal(t, map[string]float64{"acc": 0.12}, l.Metrics)
	require.Equal(t, int64(7), l.Step)
	// "value" may come before "metric".
	l = parse(t, `{"value":"NaN","step":1,"metric":"loss","run":"r1"}`)
	require.Len(t, l.Metrics, 1)
	require.Equal(t, uint64(NaNBits), bitsOf(l.Metrics["loss"]))
}

func TestParseStatusAnyCase(t *testing.T) {
	for in, want := range map[string]string{"FINISHED": "finished", "Failed": "failed", "running": "running", "KILLED": "killed"} {
		require.Equal(t, want, parse(t, `{"run":"r","status":"`+in+`"}`).Status)
	}
}

func TestParseNullIsAbsent(t *testing.T) {
	l := parse(t, `{"run":"r1","experiment":null,"name":null,"status":null,"start_time":null,"end_time":null,"params":null,"tags":null,"datasets":null}`)
	require.Equal(t, KindRun, l.Kind)
	require.Zero(t, l.Fields)
	l = parse(t, `{"run":"r1","step":3,"time":null,"context":null,"metrics":{"a":1}}`)
	require.Equal(t, KindPoints, l.Kind)
	require.Equal(t, int64(42), l.Time)
}

func TestParseParamsKeepTypes(t *testing.T) {
	l := parse(t, `{"run":"r","params":{"i":3,"neg":-7,"f":1.0,"e":1e-5,"s":"0.1","b":true,"n":false,
		"nested":{"opt":{"lr":0.01,"name":"adam"}},"nan":NaN,"inf":-Infinity,"qnan":"NaN","seed":9007199254740993,"z":-0.0}}`)
	p := l.Params
	require.Equal(t, int64(3), p["i"])
	require.Equal(t, int64(-7), p["neg"])
	require.Equal(t, 1.0, p["f"])
	require.Equal(t, 1e-5, p["e"])
	require.Equal(t, "0.1", p["s"])
	require.Equal(t, true, p["b"])
	require.Equal(t, false, p["n"])
	require.Equal(t, map[string]any{"opt": map[string]any{"lr": 0.01, "name": "adam"}}, p["nested"])
	require.Equal(t, uint64(NaNBits), bitsOf(p["nan"].(float64)))
	require.Equal(t, -inf, p["inf"])
	require.Equal(t, "NaN", p["qnan"], "a quoted NaN param is a string")
	require.Equal(t, int64(9007199254740993), p["seed"])
	require.Equal(t, uint64(1<<63), bitsOf(p["z"].(float64)))
}

func TestParseDatasets(t *testing.T) {
	l := parse(t, `{"run":"r","datasets":[{"name":"cifar10","digest":"ab12","context":"training"},{"name":"val","context":null}]}`)
	require.Equal(t, []Dataset{{Name: "cifar10", Digest: "ab12", Context: "training"}, {Name: "val"}}, l.Datasets)
	require.True(t, l.Has(FieldDatasets))
	require.Empty(t, parse(t, `{"run":"r","datasets":[]}`).Datasets)
}

func TestParseEscapesAndWhitespace(t *testing.T) {
	l := parse(t, " \t{ \"run\" : \"a\\\"b\\\\c\\/d\\u00e9\\ud83d\\ude00\\n\\t\" , \"na\\u006de\" : \"ü\" }\r")
	require.Equal(t, "a\"b\\c/d\u00e9\U0001F600\n\t", l.Run)
	require.Equal(t, "ü", l.Name)
}

func TestParseReusesLine(t *testing.T) {
	var p Parser
	var l Line
	require.NoError(t, p.Parse([]byte(`{"run":"r","step":1,"context":{"a":"b"},"metrics":{"x":1,"y":2}}`), &l))
	require.NoError(t, p.Parse([]byte(`{"run":"r","step":2,"metrics":{"z":3}}`), &l))
	require.Equal(t, map[string]float64{"z": 3}, l.Metrics)
	require.Empty(t, l.Context)
	require.False(t, l.Has(FieldContext))
	require.NoError(t, p.Parse([]byte(`{"run":"q","tags":{"k":"v"}}`), &l))
	require.Equal(t, KindRun, l.Kind)
	require.Empty(t, l.Metrics)
	require.Equal(t, int64(0), l.Step)
}

func TestParseEmptyMetricsIsPointsLine(t *testing.T) {
	l := parse(t, `{"run":"r","step":1,"metrics":{}}`)
	require.Equal(t, KindPoints, l.Kind)
	require.NotNil(t, l.Metrics)
	require.Empty(t, l.Metrics)
}

func TestParseErrors(t *testing.T) {
	deep := `{"run":"r","params":` + strings.Repeat(`{"a":`, MaxParamDepth+2) + "1" + strings.Repeat("}", MaxParamDepth+2) + "}"
	for _, tc := range []struct {
		line  string
		kind  error
		col   int
		field string
		msg   string
	}{
		{``, ErrSyntax, 1, "", "empty line"},
		{`   `, ErrSyntax, 4, "", "empty line"},
		{`[1]`, ErrSyntax, 1, "", "want a JSON object, found an array"},
		{`{"run":"r"} {}`, ErrSyntax, 13, "", "after the object"},
		{`{"run":"r"`, ErrSyntax, 11, "", "want ',' or '}', found end of line"},
		{`{"run":"r`, ErrSyntax, 8, "", "unterminated string"},
		{`{"run":"r",}`, ErrSyntax, 12, "", "want a key string"},
		{`{"run" "r"}`, ErrSyntax, 8, "", "want ':'"},
		{`{run:"r"}`, ErrSyntax, 2, "", "want a key string"},
		{"{\"run\":\"r\x01\"}", ErrSyntax, 10, "", "control character"},
		{"{\"run\":\"r\xff\"}", ErrSyntax, 10, "", "invalid UTF-8"},
		{"{\"run\":\"\\n\xff\"}", ErrSyntax, 11, "", "invalid UTF-8"},
		{`{"run":"\ud800"}`, ErrSyntax, 9, "", "lone UTF-16 surrogate"},
		{`{"run":"\ude00\ud800"}`, ErrSyntax, 9, "", "lone UTF-16 surrogate"},
		{`{"run":"\x41"}`, ErrSyntax, 9, "", "invalid escape"},
		{`{"run":"\u12"}`, ErrSyntax, 9, "", "4 hex digits"},
		{`{"run":"r","step":01,"metrics":{}}`, ErrSyntax, 20, "", "invalid number"},
		{`{"run":"r","step":-,"metrics":{}}`, ErrSyntax, 20, "", "digit after '-'"},
		{`{"run":"r","step":1.,"metrics":{}}`, ErrSyntax, 21, "", "digit after '.'"},
		{`{"run":"r","step":1e,"metrics":{}}`, ErrSyntax, 21, "", "exponent"},
		{`{"run":"r","step":0,"metrics":{"a":Nan}}`, ErrSyntax, 36, "", "want NaN, Infinity or -Infinity"},
		{`{"run":"r","step":0,"metrics":{"a":1 "b":2}}`, ErrSyntax, 38, "", "want ',' or '}'"},
		{`{"run":"r","datasets":[{"name":"a"} {"name":"b"}]}`, ErrSyntax, 37, "", "want ',' or ']'"},

		{`{}`, ErrField, 1, "", `missing "run"`},
		{`{"step":0,"metrics":{}}`, ErrField, 1, "", `missing "run"`},
		{`{"run":null}`, ErrField, 8, "run", "must not be null"},
		{`{"run":""}`, ErrField, 8, "run", "empty"},
		{`{"run":5}`, ErrField, 8, "run", "want a string, found a number"},
		{`{"run":"r","stpe":0,"metrics":{}}`, ErrField, 12, "", `unknown key "stpe" (did you mean "step"?)`},
		{`{"run":"r","foo":0}`, ErrField, 12, "", `unknown key "foo"`},
		{`{"run":"r","run":"s"}`, ErrField, 12, "run", "twice"},
		{`{"run":"r","metrics":{"a":1}}`, ErrField, 1, "", `missing "step"`},
		{`{"run":"r","step":1.5,"metrics":{"a":1}}`, ErrField, 19, "step", "1.5 is not an integer"},
		{`{"run":"r","step":1e19,"metrics":{"a":1}}`, ErrField, 19, "step", "outside the int64 range"},
		{`{"run":"r","step":NaN,"metrics":{"a":1}}`, ErrField, 19, "step", "want an integer, found NaN"},
		{`{"run":"r","step":Nope,"metrics":{"a":1}}`, ErrField, 19, "step", `want an integer, found "Nope"`},
		{`{"run":Nope}`, ErrField, 8, "run", `want a string, found "Nope"`},
		{`{"run":"r","step":-Infinity,"metrics":{"a":1}}`, ErrField, 19, "step", "want an integer, found -Infinity"},
		{`{"run":"r","step":"3","metrics":{"a":1}}`, ErrField, 19, "step", "want an integer, found a string"},
		{`{"run":"r","time":1.25,"step":0,"metrics":{"a":1}}`, ErrField, 19, "time", "not an integer"},
		{`{"run":"r","step":0,"metrics":{"a":true}}`, ErrField, 36, "metrics.a", "want a number, found a boolean"},
		{`{"run":"r","step":0,"metrics":{"a":"0.5"}}`, ErrField, 36, "metrics.a", `found the string "0.5"`},
		{`{"run":"r","step":0,"metrics":{"a":null}}`, ErrField, 36, "metrics.a", "want a number, found null"},
		{`{"run":"r","step":0,"metrics":{"a":1,"a":2}}`, ErrField, 38, "metrics.a", "twice"},
		{`{"run":"r","step":0,"metrics":{"":2}}`, ErrField, 32, "metrics.", "empty"},
		{`{"run":"r","step":0,"metrics":[1]}`, ErrField, 31, "metrics", "want an object"},
		{`{"run":"r","step":0,"metrics":null}`, ErrField, 31, "metrics", "must not be null"},
		{`{"run":"r","step":0}`, ErrField, 12, "step", `has no "metrics"`},
		{`{"run":"r","context":{"a":"b"}}`, ErrField, 12, "context", `has no "metrics"`},
		{`{"run":"r","experiment":"x","step":0,"metrics":{}}`, ErrField, 12, "experiment", "run field"},
		{`{"run":"r","step":0,"metrics":{},"params":{"a":1}}`, ErrField, 34, "params", "run field"},
		{`{"run":"r","step":0,"metric":"a"}`, ErrField, 1, "", `missing "value"`},
		{`{"run":"r","step":0,"value":1}`, ErrField, 1, "", `missing "metric"`},
		{`{"run":"r","step":0,"metrics":{"a":1},"value":2}`, ErrField, 39, "value", "not both"},
		{`{"run":"r","step":0,"metric":"","value":2}`, ErrField, 30, "metric", "empty"},
		{`{"run":"r","step":0,"context":{"a":1},"metrics":{}}`, ErrField, 36, "context.a", "want a string"},
		{`{"run":"r","step":0,"context":{"":"x"},"metrics":{}}`, ErrField, 32, "context.", "empty key"},
		{`{"run":"r","status":"done"}`, ErrField, 21, "status", `unknown status "done"`},
		{`{"run":"r","tags":{"a":"1","a":"2"}}`, ErrField, 28, "tags.a", "twice"},
		{`{"run":"r","tags":{"a":1}}`, ErrField, 24, "tags.a", "want a string"},
		{`{"run":"r","params":{"a":[1]}}`, ErrField, 26, "params.a", "array"},
		{`{"run":"r","params":{"a":null}}`, ErrField, 26, "params.a", "want a string, number, boolean or object"},
		{`{"run":"r","params":{"a":{"b":{"":1}}}}`, ErrField, 32, "params.a.b.", "empty key"},
		{`{"run":"r","params":{"a":1,"a":2}}`, ErrField, 28, "params.a", "twice"},
		{`{"run":"r","params":{"big":9223372036854775808}}`, ErrField, 28, "params.big", "int64 range"},
		{`{"run":"r","params":5}`, ErrField, 21, "params", "want an object"},
		{`{"run":"r","datasets":[{"digest":"x"}]}`, ErrField, 24, "datasets[0]", `needs a non-empty "name"`},
		{`{"run":"r","datasets":[{"name":"a"},{"name":"b","source":"s3"}]}`, ErrField, 49, "datasets[1]", `unknown dataset key "source"`},
		{`{"run":"r","datasets":[{"name":"a","name":"b"}]}`, ErrField, 36, "datasets[0].name", "twice"},
		{`{"run":"r","datasets":[{"name":null}]}`, ErrField, 32, "datasets[0].name", "want a string"},
		{`{"run":"r","datasets":{"name":"a"}}`, ErrField, 23, "datasets", "want an array"},
		{`{"run":"r","datasets":["a"]}`, ErrField, 24, "datasets[0]", "want a dataset object"},

		{deep, ErrLimit, 0, "params" + strings.Repeat(".a", MaxParamDepth+1), "deeper than 32"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			var p Parser
			var l Line
			err := p.Parse([]byte(tc.line), &l)
			require.Error(t, err)
			require.ErrorIs(t, err, tc.kind)
			var pe *Error
			require.True(t, errors.As(err, &pe))
			if tc.col != 0 {
				require.Equal(t, tc.col, pe.Column(), "error: %v", err)
			}
			require.Equal(t, tc.field, pe.Field, "error: %v", err)
			require.Contains(t, pe.Msg, tc.msg)
			require.Contains(t, err.Error(), "column ")
		})
	}
}

func TestParseLineTooLong(t *testing.T) {
	line := []byte(`{"run":"r","name":"` + strings.Repeat("x", MaxLineLen) + `"}`)
	var p Parser
	err := p.Parse(line, &Line{})
	require.ErrorIs(t, err, ErrLimit)
}

func TestErrorString(t *testing.T) {
	e := &Error{Kind: ErrField, Offset: 4, Field: "metrics.loss", Msg: "want a number"}
	require.Equal(t, "column 5: metrics.loss: want a number", e.Error())
	e.Field = ""
	require.Equal(t, "column 5: want a number", e.Error())
}

func TestSuggest(t *testing.T) {
	require.Equal(t, "metrics", suggest("metircs", keyNames[:]))
	require.Equal(t, "start_time", suggest("start_tme", keyNames[:]))
	require.Equal(t, "", suggest("completely_different", keyNames[:]))
}

func BenchmarkParsePoints(b *testing.B) {
	line := []byte(`{"run":"3f2a9c","step":12345,"time":1700000012345,"metrics":{"train/loss":0.3412345678,"train/acc":0.91234,"lr":0.0009999999747378752}}`)
	var p Parser
	var l Line
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Parse(line, &l); err != nil {
			b.Fatal(err)
		}
	}
}
