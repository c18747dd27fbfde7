package importer

import "errors"

var (
	// ErrUnknownFormat is a path whose format Detect cannot tell, or a
	// --from value that names no format.
	ErrUnknownFormat = errors.New("trackdb/importer: unknown import format")
)
