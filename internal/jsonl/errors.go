package jsonl

import (
	"errors"
	"fmt"
)

// Errors returned by Parse. Every error Parse returns is an *Error that
// wraps exactly one of them, so callers can test with errors.Is and read the
// position with errors.As.
var (
	// ErrSyntax is returned for a line that is not a JSON object: a stray
	// character, an unterminated string, a bad escape, invalid UTF-8, a
	// number that breaks the JSON grammar, trailing bytes after the object.
	ErrSyntax = errors.New("trackdb/jsonl: syntax error")
	// ErrField is returned for well-formed JSON that is not a valid line:
	// an unknown or repeated key, a value of the wrong type, a missing
	// "run" or "step", a fractional step, run fields on a metrics line.
	ErrField = errors.New("trackdb/jsonl: invalid field")
	// ErrLimit is returned for a line longer than MaxLineLen or params
	// nested deeper than MaxParamDepth. The limits bound the memory and
	// stack one line can take.
	ErrLimit = errors.New("trackdb/jsonl: limit exceeded")
)

// Error is a parse error with its position in the line.
type Error struct {
	// Kind is ErrSyntax, ErrField or ErrLimit.
	Kind error
	// Offset is the byte offset in the line where the fault starts: the
	// offending byte for syntax errors, the start of the key or value for
	// field errors.
	Offset int
	// Field is the dotted path of the field at fault, like "metrics.loss"
	// or "datasets[1].name"; empty when the fault is outside any field.
	Field string
	// Msg says what is wrong, without position or field.
	Msg string
}

// Column returns the 1-based byte column of the fault, the way go/scanner
// and compilers count columns.
func (e *Error) Column() int { return e.Offset + 1 }

// Error renders "column C: FIELD: MSG", leaving the line number and file
// name to the caller, who knows them.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("column %d: %s: %s", e.Column(), e.Field, e.Msg)
	}
	return fmt.Sprintf("column %d: %s", e.Column(), e.Msg)
}

// Unwrap returns Kind so that errors.Is(err, ErrSyntax) works.
func (e *Error) Unwrap() error { return e.Kind }
