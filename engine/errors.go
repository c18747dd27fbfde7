package engine

import "errors"

// Errors returned by the engine. Test for them with errors.Is: returned
// errors wrap them with the offending value and where it came from.
var (
	// ErrLocked is returned by Open when another process holds the store.
	ErrLocked = errors.New("trackdb: store is locked by another process")
	// ErrClosed is returned by every method called after Close.
	ErrClosed = errors.New("trackdb: store is closed")
	// ErrNotStore is returned by Open for a non-empty directory that is not
	// a trackdb store; trackdb never writes into such a directory.
	ErrNotStore = errors.New("trackdb: directory is not a trackdb store")
	// ErrFormatVersion is returned by Open for a store written by a newer
	// trackdb whose format this version cannot read.
	ErrFormatVersion = errors.New("trackdb: unsupported store format version")
	// ErrCorrupt is returned when stored bytes fail their checksum or do not
	// decode; the error names the file and offset.
	ErrCorrupt = errors.New("trackdb: corrupt store")
	// ErrInvalidOptions is returned by Open for options out of range.
	ErrInvalidOptions = errors.New("trackdb: invalid options")

	// ErrRunNotFound is returned for an operation on a run that does not exist.
	ErrRunNotFound = errors.New("trackdb: run not found")
	// ErrRunExists is returned by CreateRun for an ID already in use.
	ErrRunExists = errors.New("trackdb: run already exists")
	// ErrInvalidRunID is returned for a run ID that is empty, longer than
	// MaxRunIDLen, not printable UTF-8, contains '/', '\' or NUL, or is "."
	// or "..".
	ErrInvalidRunID = errors.New("trackdb: invalid run ID")
	// ErrInvalidAttribute is returned for an experiment, run name or time
	// that cannot be stored.
	ErrInvalidAttribute = errors.New("trackdb: invalid run attribute")
	// ErrInvalidStatus is returned for a status word that is not one of
	// running, finished, failed, killed.
	ErrInvalidStatus = errors.New("trackdb: invalid run status")
	// ErrInvalidParam is returned for a param key or value that cannot be
	// stored (bad key, unsupported type, too long).
	ErrInvalidParam = errors.New("trackdb: invalid param")
	// ErrParamConflict is returned when a param is set again with a
	// different value: params are write-once, as in MLflow.
	ErrParamConflict = errors.New("trackdb: param already set to a different value")
	// ErrInvalidTag is returned for a tag key or value that cannot be stored.
	ErrInvalidTag = errors.New("trackdb: invalid tag")
	// ErrInvalidDataset is returned for a dataset without a name, or with
	// a field that is too long or not printable UTF-8.
	ErrInvalidDataset = errors.New("trackdb: invalid dataset")
	// ErrInvalidMetric is returned for a metric name that is empty, too long,
	// not valid UTF-8 or contains control characters.
	ErrInvalidMetric = errors.New("trackdb: invalid metric name")
	// ErrInvalidContext is returned for context labels with bad names or
	// values, or too many of them.
	ErrInvalidContext = errors.New("trackdb: invalid context label")
	// ErrSeriesNotFound is returned for a series ref or key that does not
	// exist.
	ErrSeriesNotFound = errors.New("trackdb: series not found")
	// ErrLimit is returned when a per-run limit (series, params, tags) would
	// be exceeded.
	ErrLimit = errors.New("trackdb: limit exceeded")
)
