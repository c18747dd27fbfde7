package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/index"
)

// validQueries parse, and their String parses back to an equal tree. The
// MLflow filter strings come from its search_runs documentation.
var validQueries = []string{
	``,
	`metrics.acc > 0.9 and params.model = 'cnn'`,
	`metrics.rmse < 1 and params.model = "tree"`,
	"metrics.`spacey name` > 1",
	`params."p.a.r.a.m" != 'a'`,
	`params.'quoted' = 'x'`,
	`tags."mlflow.source.name" = 'x'`,
	`metric.acc >= 0.5 AND param.opt = 'adam' and tag.t = 'x'`,
	`attributes.status = 'FINISHED'`,
	`attribute.run_id IN ('a', 'b')`,
	`attr.start_time > 1700000000000`,
	`run.status != 'FAILED'`,
	"attributes.`run name` = 'good'",
	`attributes.run_name LIKE 'lr%'`,
	`attributes.created < 5`,
	`attributes.artifact_uri = 'x'`,
	`tags.model ILIKE '%Res%'`,
	`tags.x IS NULL or tags.y IS NOT NULL`,
	`params.lr NOT IN (0.1, 0.01, -1e-05)`,
	`tags.a NOT LIKE 'x\_%'`,
	`tags.a REGEXP '^r[0-9]+$' and tags.b RLIKE 'x' and tags.c ~ 'y' and tags.d NOT REGEXP 'z'`,
	`datasets.name = 'mnist' and datasets.digest IN ('a') and datasets.context = 'training'`,
	`not (params.a = 1 or params.b = 2) and params.c = true`,
	`((params.a = 1))`,
	`NOT NOT params.a = -3`,
	`last(val/acc) > 0.5 and min(loss) < 1 and max(loss{subset="val"}) <= 3 and count(loss) >= 10`,
	`metrics.acc{subset="val", fold="1"} > 0.5`,
	"last(`a b`) > 1",
	`experiment = 'cifar' and name = 'x' and status = 'finished' and run_id = 'r1' and end_time IS NULL`,
	`params.lr < 0.01 and tags.model = 'resnet' order by last(val/acc) desc limit 10`,
	`runs`,
	`runs where params.lr < 0.01 order by metrics.acc DESC, params.lr ASC, start_time limit 5 offset 10`,
	`runs order by params.lr page 'eyJvZmZzZXQiOjEwfQ=='`,
	`runs where params.s = 'it''s' and params.t = 'back\\slash'`,
	`series loss`,
	`series loss, val/acc from runs where experiment = 'cifar' steps 0..5000 downsample 500`,
	`series like 'val/%', regexp '^train/' {subset="val"} where params.a = 1 steps ..10 time 5.. downsample 100 lttb smooth 0.6 x relative`,
	`series loss{} x time smooth 0`,
	`series mean(loss), std(loss), min(loss), max(loss), count(loss) from runs where params.opt = 'adam' group by params.lr, tags.model`,
	`series mean(like 'val/%'{subset="val"}) group by params.lr order by params.lr limit 3 x step`,
	`series min, max`,
	"series `from`, `x`",
	`limit 5`,
	`params.layer.0.units = 3`,
	`params.big = 99999999999999999999 and params.neg = -9223372036854775808`,
}

func TestParseRoundTrip(t *testing.T) {
	for _, text := range validQueries {
		q, err := Parse(text)
		require.NoError(t, err, "%s", text)
		back := q.String()
		q2, err := Parse(back)
		require.NoError(t, err, "%s -> %s", text, back)
		require.True(t, Equal(q, q2), "%s\n-> %s\n-> %s", text, back, q2)
		require.Equal(t, back, q2.String())
	}
}

func TestParseFilterAndOrderBy(t *testing.T) {
	e, err := ParseFilter(`metrics.acc > 0.9`)
	require.NoError(t, err)
	c := e.(*Comparison)
	require.Equal(t, FieldMetric, c.Field.Kind)
	require.Equal(t, index.StatLast, c.Field.Stat)
	require.Equal(t, index.Float(0.9), c.Value.Value)

	keys, err := ParseOrderBy("params.`my_param` DESC")
	require.NoError(t, err)
	require.Len(t, keys, 1)
	require.True(t, keys[0].Desc)
	require.Equal(t, "my_param", keys[0].Field.Key)

	keys, err = ParseOrderBy("metrics.key1 desc, attributes.start_time")
	require.NoError(t, err)
	require.Len(t, keys, 2)

	e, err = ParseFilter("attributes.`run name` = 'a' and created > 0")
	require.NoError(t, err)
	b := e.(*BinaryExpr)
	require.Equal(t, index.AttrName, b.X.(*Comparison).Field.Key)
	require.Equal(t, index.AttrStartTime, b.Y.(*Comparison).Field.Key)
}

// TestParseErrors checks the message and line:col of malformed queries.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		text, want string
		kind       error
	}{
		{`params.a = 'x`, `1:12: unterminated string`, ErrSyntax},
		{`metrics.acc >`, `1:14: expected a value, found end of query`, ErrSyntax},
		{`foo.bar = 1`, `1:1: unknown prefix "foo"`, ErrInvalid},
		{`1=1`, `1:1: expected a field`, ErrSyntax},
		{`tags.a = = 'x'`, `1:10: expected a value, found '='`, ErrSyntax},
		{`params.a = 1 and`, `1:17: expected a field`, ErrSyntax},
		{`(params.a = 1`, `1:14: expected ')', found end of query`, ErrSyntax},
		{"params.a = 1\n  and tags.b ! 'x'", `2:14: unexpected character '!'`, ErrSyntax},
		{`metrics.acc = 'x'`, `1:15: metrics.acc is a number`, ErrInvalid},
		{`tags.a = 3`, `1:10: tags.a is a string: quote the value 3`, ErrInvalid},
		{`params.a LIKE 3`, `1:15: LIKE takes a quoted pattern`, ErrInvalid},
		{`params.a REGEXP '('`, `1:17: bad regular expression`, ErrInvalid},
		{`bogus = 1`, `1:1: unknown field "bogus"`, ErrInvalid},
		{`params.a = 1 params.b = 2`, `1:14: expected end of query, found "params.b"`, ErrSyntax},
		{`params.a IS 1`, `1:13: expected NULL, found "1"`, ErrSyntax},
		{`runs limit -1`, `1:12: expected a number after LIMIT`, ErrSyntax},
		{`runs limit 1.5`, `1:12: LIMIT takes a non-negative integer`, ErrInvalid},
		{`series loss downsample 1`, `1:24: DOWNSAMPLE takes 2 to`, ErrInvalid},
		{`series loss smooth 1`, `1:20: SMOOTH takes a weight in [0, 1)`, ErrInvalid},
		{`series mean(loss), loss`, `1:8: aggregates and plain series mixed`, ErrInvalid},
		{`series loss group by params.a`, `1:22: GROUP BY needs aggregates`, ErrInvalid},
		{`series loss steps 5..1`, `1:22: empty range`, ErrInvalid},
		{`params.x = 1e999`, `1:12: number 1e999 out of range`, ErrSyntax},
		{"params.a = 1 and \xff", `1:18: invalid UTF-8`, ErrSyntax},
		{`runs where attributes.foo = 'x'`, `1:12: unknown attribute "foo"`, ErrInvalid},
		{`series where params.a = 1`, `1:8: expected a metric name (quote a metric called where with backquotes), found "where"`, ErrSyntax},
		{`datasets.size = 'x'`, `1:1: unknown dataset field "size"`, ErrInvalid},
	}
	for _, c := range cases {
		_, err := Parse(c.text)
		require.Error(t, err, c.text)
		require.True(t, errors.Is(err, c.kind), "%s: %v", c.text, err)
		require.True(t, strings.HasPrefix(err.Error(), c.want), "%s:\n got %s\nwant %s", c.text, err, c.want)
		var el ErrorList
		require.True(t, errors.As(err, &el))
		require.NotEmpty(t, el[0].Snippet)
	}
}

func TestErrorSnippet(t *testing.T) {
	_, err := Parse("tags.a = = 'x'")
	require.Equal(t, "1:10: expected a value, found '='\n  tags.a = = 'x'\n           ^", err.Error())
	_, err = Parse("params.a = 1\nand\ttags.b ! 'x'")
	require.Equal(t, "2:12: unexpected character '!'\n  and\ttags.b ! 'x'\n     \t       ^", err.Error())
}

func TestLimits(t *testing.T) {
	_, err := Parse(strings.Repeat("(", MaxNesting+1) + "params.a = 1" + strings.Repeat(")", MaxNesting+1))
	require.ErrorIs(t, err, ErrTooDeep)
	_, err = Parse(strings.Repeat("(", MaxNesting) + "params.a = 1" + strings.Repeat(")", MaxNesting))
	require.NoError(t, err)
	_, err = Parse(strings.Repeat("not ", MaxNesting+1) + "params.a = 1")
	require.ErrorIs(t, err, ErrTooDeep)
	_, err = Parse("params.a = '" + strings.Repeat("x", MaxQueryLen) + "'")
	require.ErrorIs(t, err, ErrTooLong)
	_, err = Parse("params.a in (" + strings.Repeat("1,", MaxListLen) + "1)")
	require.ErrorIs(t, err, ErrTooLong)
}

func BenchmarkParse(b *testing.B) {
	const text = `runs where params.lr < 0.01 and tags.model = 'resnet' and metrics.acc > 0.5 order by last(val/acc) desc limit 10`
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNodeRoundTrip holds String's promise node by node: every filter
// subexpression prints to text ParseFilter reads back equal, and every
// ORDER BY key to text ParseOrderBy reads back equal.
func TestNodeRoundTrip(t *testing.T) {
	var walk func(e Expr)
	walk = func(e Expr) {
		back, err := ParseFilter(e.String())
		require.NoError(t, err, e.String())
		require.True(t, Equal(e, back), "%s -> %s", e, back)
		switch e := e.(type) {
		case *BinaryExpr:
			walk(e.X)
			walk(e.Y)
		case *NotExpr:
			walk(e.X)
		case *ParenExpr:
			walk(e.X)
		}
	}
	for _, text := range validQueries {
		q, err := Parse(text)
		require.NoError(t, err)
		var where Expr
		var order []*OrderKey
		switch q := q.(type) {
		case *RunsQuery:
			where, order = q.Where, q.Order
		case *SeriesQuery:
			where, order = q.Where, q.Order
		}
		if where != nil {
			walk(where)
		}
		for _, k := range order {
			back, err := ParseOrderBy(k.String())
			require.NoError(t, err, k.String())
			require.Len(t, back, 1)
			require.True(t, Equal(k, back[0]), "%s -> %s", k, back[0])
		}
	}
}
