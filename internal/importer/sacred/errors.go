package sacred

import "errors"

// Errors of the Sacred importer, wrapped in a sink.PosError naming the
// file.
var (
	// ErrJSON is a run.json, config.json or metrics.json that does not
	// parse.
	ErrJSON = errors.New("trackdb/sacred: bad JSON")
	// ErrMetrics is a metrics.json entry whose steps, timestamps and
	// values do not line up or do not have the right types.
	ErrMetrics = errors.New("trackdb/sacred: bad metrics.json entry")
	// ErrTime is a time that is not ISO 8601.
	ErrTime = errors.New("trackdb/sacred: bad time")
	// ErrNotSacred is a path holding no run.json.
	ErrNotSacred = errors.New("trackdb/sacred: not a Sacred FileStorageObserver directory")
)
