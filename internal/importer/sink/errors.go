package sink

import (
	"errors"
	"fmt"
)

// ErrStrict wraps the first warning of a strict import, which ends it.
var ErrStrict = errors.New("trackdb/importer: strict import stopped at a warning")

// PosError is a problem at a position in a source file. Importers wrap
// their package's sentinel errors in it, so errors.Is still finds them.
type PosError struct {
	// File is the path of the file.
	File string
	// Line is the 1-based line number, or 0 when Offset is used.
	Line int
	// Offset is the byte offset in the file, meaningful when Line is 0.
	Offset int64
	// Err is what is wrong.
	Err error
}

// Error renders file:line: msg or file: offset N: msg.
func (e *PosError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.Offset >= 0:
		return fmt.Sprintf("%s: offset %d: %v", e.File, e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap returns the underlying error.
func (e *PosError) Unwrap() error { return e.Err }

// AtLine returns a PosError for a line of file.
func AtLine(file string, line int, err error) error {
	return &PosError{File: file, Line: line, Err: err}
}

// AtOffset returns a PosError for a byte offset of file.
func AtOffset(file string, off int64, err error) error {
	return &PosError{File: file, Offset: off, Err: err}
}

// InFile returns a PosError for a whole file.
func InFile(file string, err error) error {
	return &PosError{File: file, Offset: -1, Err: err}
}
