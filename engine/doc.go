// Package engine is trackdb's public API: an embedded, append-only store
// for machine-learning experiment tracking.
//
// # Data model
//
// A store holds runs. A run has an ID, attributes (experiment, name,
// [Status], start and end time), typed params (string, int64, float64, bool;
// write-once, nested maps flattened with dots) and tags (mutable strings).
// A run's metrics are series, each identified by (run, metric name,
// [Context] labels). A series holds [Point]s: step, wall time (Unix ms) and
// a float64 stored bit-exactly. Steps may arrive out of order and repeat;
// reads return them in step order, equal steps in append order.
//
// # Writing
//
// [DB.Log] is the training-loop path: one call per step with all metrics,
// one WAL record, the wall time stored once per call in the run's timeline.
// [DB.Series] resolves a series to a [SeriesRef] once, and [DB.Append] then
// takes many points across series without hashing a string per point: the
// importers' path.
//
// Every write goes to the write-ahead log (package wal) before it is
// applied to the head, the in-memory state: per series, Gorilla XOR chunks
// (prometheus/tsdb/chunkenc, step as the time axis) cut at
// Options.ChunkSamples points, a side stream of references into the run's
// timeline, and a [Summary] kept at write time. [Options].Sync sets when
// writes are durable; [DB.Sync] forces it. Open replays the log, cutting a
// torn tail left by a crash, so the head holds exactly what was durable.
//
// # Reading
//
// [DB.Runs], [DB.Run] and [DB.SeriesOf] return snapshots the caller owns.
// [DB.Points] returns a [PointIterator] over a snapshot of one series: it
// never blocks writers beyond the copy of the series' open chunk.
//
// # Concurrency and lifetimes
//
// A DB is safe for concurrent use. One process opens a store at a time
// (ErrLocked otherwise). Writes are serialized on one mutex, which also
// orders the WAL; readers take it shared, briefly.
//
// # Errors
//
// Bad input returns an error wrapping one of the exported sentinels
// (ErrInvalidRunID, ErrParamConflict, ...), says what and where, and
// changes nothing.
package engine
