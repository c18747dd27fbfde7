// Package systems adapts each benchmarked store to one interface: trackdb,
// Prometheus TSDB, SQLite with MLflow's schema, and Pebble with an
// Aim-like key layout.
//
// # Figures a system supports
//
// Every system implements [System]: open, create runs, log calls, read a
// series back, close. The other figures are optional interfaces —
// [Compactor], [Searcher], [Downsampler], [XORSizer]. A system that lacks
// one reports why through [System.Missing], and the harness prints
// "missing" with that reason instead of a number. trackdb gained each of
// them as its engine grew (DB.Compact, then DB.Query over the run index):
// implementing the matching interface on [Trackdb] was all it took.
//
// # Same information everywhere
//
// Each system stores run, metric, context, step, wall time and value for
// every point, and the runs' params and tags; each reads back step, wall
// time and value, and [Digest] hashes what was read so the harness can
// check that all systems returned the same points.
package systems
