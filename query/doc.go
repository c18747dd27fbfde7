// Package query is trackdb's query language: a hand-written lexer and
// recursive-descent parser, a planner that turns run filters into index
// predicates, and an executor that searches runs, reads curves and
// aggregates them across runs. docs/query.md is the language reference.
//
// # Parsing
//
// [Parse] turns text into a [Query], a [*RunsQuery] or a [*SeriesQuery];
// [ParseFilter] and [ParseOrderBy] accept MLflow's search_runs filter and
// order_by strings. Every node keeps the byte offset it starts at, and
// its String method prints text that parses back to an [Equal] node.
// Errors are an [ErrorList] of [*Error]s with line:column and a caret
// snippet, wrapping the sentinels of errors.go.
//
// # Limits
//
// [MaxQueryLen], [MaxNesting], [MaxListLen] bound what is parsed;
// [DefaultMaxPoints] bounds a result's size.
package query
