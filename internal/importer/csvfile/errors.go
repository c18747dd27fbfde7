package csvfile

import "errors"

// Errors of the CSV importer, wrapped in a sink.PosError.
var (
	// ErrHeader is a header row without the required columns.
	ErrHeader = errors.New("trackdb/csv: bad header")
	// ErrRow is a row whose step, time, value or context does not parse.
	ErrRow = errors.New("trackdb/csv: bad row")
)
