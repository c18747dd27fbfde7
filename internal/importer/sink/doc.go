// Package sink is where every importer writes: it creates or updates the
// runs an importer finds, resolves series refs once per series, batches
// points into engine.DB.Append (the engine's bulk path), and makes import
// idempotent.
//
// # Idempotency
//
// Each imported run carries two tags:
//
//	trackdb.import.source  <format>:<absolute path of the source>
//	trackdb.import.digest  fingerprint of the source files (names, sizes, mtimes)
//
// The digest tag is written last, after the run's points are appended, so
// a run whose import was interrupted does not look complete. When an
// importer begins a run that is already in the store:
//
//   - with the same digest, the run is unchanged: Begin returns a Run whose
//     Add does nothing, and no point is appended;
//   - with another digest (the source grew, or the tag is missing), the
//     points already stored are loaded per series as a multiset of
//     (step, time, value bits) and only points beyond it are appended, so a
//     re-import adds exactly what was logged since, and a source that logs
//     the same step twice keeps both points.
//
// # Warnings and strict mode
//
// Problems that lose part of a source (a bad record, a line that does not
// parse, a metric name the engine refuses) go to Sink.Warn, which counts
// them and passes them to the caller's handler; in strict mode Warn
// returns the problem so the importer stops.
package sink
