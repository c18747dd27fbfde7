// Package csvfile imports metric points from CSV files, in one of two
// shapes told apart by the header row (names are case-insensitive):
//
//	wide: run,step,time,<metric>,<metric>...   one row per run and step; an empty cell is no point
//	long: run,metric,step,time,value           one row per point; an optional context column
//	                                           holds the series' labels as a JSON object
//
// A file is long when its header has both "metric" and "value" columns,
// and wide otherwise; "run" and "step" are required, "time" (Unix
// milliseconds) is optional and an empty or missing time is 0 — never
// the time of the import, so that importing a file twice gives the same
// points. Values are decimal numbers or NaN, Inf, +Inf, -Inf, Infinity,
// -Infinity (any case). Steps are integers; an exact float such as 3.0 is
// accepted. A run not in the store is created with its first row's time
// as start time. CSV carries no params, tags or statuses: export as JSON
// Lines for those. A bad row is a warning naming file, line and column.
package csvfile
