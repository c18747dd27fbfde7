package index

import (
	"errors"
	"fmt"
)

var (
	// ErrCorrupt is matched (errors.Is) by every *CorruptionError: a
	// serialized index whose bytes fail a checksum, a bound or a
	// cross-reference.
	ErrCorrupt = errors.New("trackdb/index: corrupt index")

	// ErrUnsupportedVersion is returned by Load for a serialized index
	// written by a newer format version than this build reads.
	ErrUnsupportedVersion = errors.New("trackdb/index: unsupported index format version")

	// ErrInvalidPredicate is returned (wrapped, naming the condition) by
	// Select for a condition that cannot be evaluated: an unknown operator
	// or field kind, a bool with an ordering operator, text compared with a
	// metric, or a pattern that does not compile.
	ErrInvalidPredicate = errors.New("trackdb/index: invalid predicate")

	// ErrInvalidField is returned (wrapped) by Head.Set and Head.Delete
	// for a metric field (summaries go through SetSummary) or an unknown
	// field kind, and by SetSummary for an unknown SeriesID.
	ErrInvalidField = errors.New("trackdb/index: invalid field")

	// ErrInvalidValue is returned (wrapped) by Head.Set for a value of
	// unknown kind.
	ErrInvalidValue = errors.New("trackdb/index: invalid value")

	// ErrDeletedRun is returned by Head.Set, Head.Delete and
	// Head.SetSummary for a run that was deleted: ordinals are never
	// reused, so a write to a deleted run is a caller's bug.
	ErrDeletedRun = errors.New("trackdb/index: run is deleted")

	// ErrTooLarge is returned by Marshal when an index does not fit the
	// format's 32-bit offsets and counts.
	ErrTooLarge = errors.New("trackdb/index: index too large to serialize")
)

// CorruptionError describes damage in a serialized index: which section,
// where, and what is wrong. errors.Is(err, ErrCorrupt) is true; tools such
// as trackdb verify print it whole.
type CorruptionError struct {
	// Section names the damaged part: "header", "runs", "fields",
	// "series", or a field or series body such as "field tags.model" or
	// "series last(val/acc)".
	Section string
	// Offset is the byte offset, from the start of the serialized index,
	// of the damaged item (the start of the section when the damage is its
	// checksum).
	Offset int64
	// Err says what is wrong.
	Err error
}

// Error names the section and offset.
func (e *CorruptionError) Error() string {
	return fmt.Sprintf("trackdb/index: corrupt %s at offset %d: %v", e.Section, e.Offset, e.Err)
}

// Unwrap returns the underlying cause.
func (e *CorruptionError) Unwrap() error { return e.Err }

// Is reports whether target is ErrCorrupt.
func (e *CorruptionError) Is(target error) bool { return target == ErrCorrupt }
