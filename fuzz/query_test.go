package fuzz

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/query"
)

// FuzzQuery feeds arbitrary text to query.Parse. It must never panic; an
// error must be a query.ErrorList wrapping one of the package's sentinels;
// a query that parses must print (String) to text that parses to an equal
// tree and prints the same again; and it must plan. The seeds in testdata/fuzz/FuzzQuery and
// those added here run as ordinary tests.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		`metrics.acc > 0.9 and params.model = 'cnn'`,
		"metrics.`spacey name` > 1 and params.\"p.a.r.a.m\" != 'a'",
		`attributes.status IN ('FINISHED', 'RUNNING') or tags.x IS NOT NULL`,
		`not (params.lr < 0.01 or tags.m LIKE 'res%') and last(val/acc{subset="val"}) >= 0.5`,
		`runs where params.lr < 0.01 order by last(val/acc) desc, params.lr limit 10 offset 2`,
		`series loss, val/acc from runs where experiment = 'cifar' steps 0..5000 downsample 500`,
		`series mean(loss), std(loss) from runs where params.opt = 'adam' group by params.lr x step`,
		`series like 'val/%'{subset="val"} time 1..2 downsample 10 lttb smooth 0.9 x relative`,
		`tags.a = = 'x'`,
		`params.a = 'unterminated`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := query.Parse(text)
		if err != nil {
			var el query.ErrorList
			require.True(t, errors.As(err, &el), "%T %v", err, err)
			require.True(t, errors.Is(err, query.ErrSyntax) || errors.Is(err, query.ErrInvalid) ||
				errors.Is(err, query.ErrTooLong) || errors.Is(err, query.ErrTooDeep), "%v", err)
			return
		}
		_, err = query.PrepareQuery(q)
		require.NoError(t, err, "a query that parses must plan: %q", text)
		back := q.String()
		q2, err := query.Parse(back)
		require.NoError(t, err, "input %q printed as %q", text, back)
		require.True(t, query.Equal(q, q2), "input %q printed as %q", text, back)
		require.Equal(t, back, q2.String())
	})
}
