// Package query is trackdb's query language: a hand-written lexer and
// recursive-descent parser, a planner that turns run filters into index
// predicates, and an executor that searches runs, reads curves and
// aggregates them across runs. docs/query.md is the language reference.
//
// # Parsing
//
// [Parse] turns text into a [Query], a [*RunsQuery] or a [*SeriesQuery];
// [ParseFilter] and [ParseOrderBy] accept MLflow's search_runs filter and
// order_by strings. The parser is go/parser's shape: a scanner producing
// tokens, one token of lookahead, precedence climbing for AND and OR, a
// nesting limit. Keywords are contextual and case-insensitive. Every node
// keeps the byte offset it starts at, and its String method prints text
// that parses back to an [Equal] node (FuzzQuery in fuzz/ holds that).
// Type mistakes a query's text alone shows (a string compared with a
// metric, LIKE on a time) are parse errors too.
//
// # Errors
//
// Errors are an [ErrorList] of [*Error]s with line:column and a caret
// snippet under the fault, wrapping the sentinels of errors.go
// ([ErrSyntax], [ErrInvalid], [ErrTooLong], [ErrTooDeep], [ErrTooLarge],
// [ErrPageToken]) for errors.Is.
//
// # Planning
//
// [Prepare] parses and plans. A filter maps onto index predicates
// (index.Cond, And, Or, Not): metrics.X is the last value of X, last(X),
// min(X), max(X) and count(X) the summary statistics, status literals are
// lower-cased, and NOT LIKE keeps SQL's meaning (a run without the field
// matches neither). Conditions on datasets, which the index does not
// hold, are answered by scanning the candidate runs; the bitmaps of the
// two kinds combine with roaring operations. ORDER BY, LIMIT and OFFSET
// (or a page token, MLflow's base64 JSON {"offset": N}) go to
// index.Selector.Sort.
//
// # Execution
//
// [Prepared.Exec] reads through a [Source], which the engine implements
// (the package never imports the engine): a run [Selector], run
// snapshots, a run's series with their summaries, and point iterators.
// Curves are read in step order, restricted to a step or time range,
// smoothed ([EMA]), downsampled ([MinMax], [LTTB]) and placed on an x axis.
// Aggregates group runs by field values and compute per-step mean, std,
// min, max and count aligned on step. The context is checked between runs
// and every 4,096 points.
//
// # Limits
//
// [MaxQueryLen], [MaxNesting], [MaxListLen] and [MaxDownsample] bound what
// is parsed; [DefaultMaxPoints] (or [Options.MaxPoints]) bounds a result.
//
// # Tests
//
// The language's semantics are tested as data: query/testdata/*.test
// scripts load JSON Lines, run queries and state the expected output.
// They need a store, so engine's TestQueryScripts runs them (-update-query
// rewrites the expectations); engine's TestQueryModel and
// TestQueryModelCurves compare random queries with brute force.
//
// # Results
//
// A [Result] holds runs ([RunRow]) or curves ([Curve]); [Result.Rows]
// iterates over it row by row with the engine's Next/At/Err/Close shape,
// and [Result.Write] renders it as a table, CSV or JSON Lines.
package query
