package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/trackdb/trackdb/query"
)

func newQueryCommand() *command {
	return &command{
		name:     "query",
		summary:  "search runs, read curves and aggregate them with the query language",
		operands: "'QUERY' | -",
		doc: `
Query runs one query of the query language (docs/query.md) against the
store and prints the result. A run search prints one run a row, with the
ORDER BY keys as columns; curves print one point a row (run, metric,
context, x, value); aggregates one statistic at one step a row.

	trackdb query 'runs where params.lr < 0.01 and tags.model = ''resnet'' order by last(val/acc) desc limit 10'
	trackdb query 'metrics.acc > 0.9 and params.model = "cnn"'
	trackdb query 'series loss, val/acc from runs where experiment = ''cifar'' steps 0..5000 downsample 500'
	trackdb query 'series mean(loss), std(loss) from runs where params.opt = ''adam'' group by params.lr'

The json format prints JSON Lines: one object a run, or one a curve with
its points as [x, value] pairs. A run search with a LIMIT that leaves runs
out prints the next page's token on stderr; pass it back with PAGE 'token'.
An operand of - reads the query from stdin, so that a long query can
span lines. Ctrl-C stops a long query.`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			format, checkFormat := formatFlag(fs, query.FormatTable, query.FormatJSON, query.FormatCSV)
			return func(e *env, operands []string) error {
				if len(operands) != 1 {
					return usagef("want one QUERY operand (quote it), got %d", len(operands))
				}
				if err := checkFormat(); err != nil {
					return err
				}
				text := operands[0]
				if text == "-" {
					b, err := io.ReadAll(e.stdin)
					if err != nil {
						return err
					}
					text = string(b)
				}
				return runQuery(e, *dir, *format, text)
			}
		},
	}
}

func runQuery(e *env, dir, format, text string) error {
	// Parse first: a mistyped query should not need a store to say so.
	p, err := query.Prepare(text)
	if err != nil {
		return err
	}
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := p.Exec(ctx, db.QuerySource(), nil)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := res.Write(e.stdout, format); err != nil {
		return err
	}
	if res.NextPageToken != "" {
		fmt.Fprintf(e.stderr, "more runs: add PAGE '%s' for the next page\n", res.NextPageToken)
	}
	return nil
}
