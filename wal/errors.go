package wal

import (
	"errors"
	"fmt"
	"path/filepath"
)

var (
	// ErrCorrupt is matched (errors.Is) by every *CorruptionError: a bad
	// segment header or frame that is not a torn tail, or a missing segment.
	ErrCorrupt = errors.New("trackdb/wal: corrupt log")

	// ErrClosed is returned by every method called after Close.
	ErrClosed = errors.New("trackdb/wal: closed")

	// ErrRecordTooLarge is returned by Write for a payload that cannot fit
	// in one segment; see WAL.MaxRecordSize.
	ErrRecordTooLarge = errors.New("trackdb/wal: record too large")

	// ErrInvalidRecordType is returned by Write for a RecordType outside
	// 1..MaxRecordType.
	ErrInvalidRecordType = errors.New("trackdb/wal: invalid record type")

	// ErrNotReplayed is returned by Write, Commit, Sync and Cut before
	// Replay has completed: the log is not writable until its tail has been
	// checked and a fresh segment started.
	ErrNotReplayed = errors.New("trackdb/wal: Replay has not run")

	// ErrAlreadyReplayed is returned by a second call to Replay.
	ErrAlreadyReplayed = errors.New("trackdb/wal: already replayed")

	// ErrUnsupportedVersion is returned (wrapped, naming the file) when a
	// segment was written by a newer format version than this build reads.
	ErrUnsupportedVersion = errors.New("trackdb/wal: unsupported segment format version")

	// ErrInvalidOptions is returned (wrapped, naming the field) by Open and
	// ParseSyncPolicy for a value out of range.
	ErrInvalidOptions = errors.New("trackdb/wal: invalid options")

	// ErrFailed is returned, wrapping the original cause, by every Write,
	// Commit, Sync and Cut after a write or fsync of the log failed. The
	// log never retries: after a failed fsync the kernel may have dropped
	// the dirty pages, so a retry that succeeds would claim durability for
	// data that is gone. Close and reopen to recover; Replay then keeps
	// what actually reached the disk.
	ErrFailed = errors.New("trackdb/wal: log failed earlier; reopen to recover")
)

// CorruptionError describes damage found while reading the log: where it is
// and what is wrong. Recovery code finds it with errors.As; errors.Is(err,
// ErrCorrupt) is true.
type CorruptionError struct {
	// Dir is the log's directory; empty for a standalone Reader.
	Dir string
	// Segment is the index of the damaged segment; -1 when unknown (a
	// standalone Reader over a segment whose header is unreadable).
	Segment int
	// Offset is the byte offset, within the segment file, of the bad
	// header or frame: everything before it is intact.
	Offset int64
	// Err says what is wrong.
	Err error
}

// Error names the segment file and the offset.
func (e *CorruptionError) Error() string {
	file := "segment"
	if e.Segment >= 0 {
		file = filepath.Join(e.Dir, SegmentName(e.Segment))
	}
	return fmt.Sprintf("trackdb/wal: corrupt %s at offset %d: %v", file, e.Offset, e.Err)
}

// Unwrap returns the underlying cause.
func (e *CorruptionError) Unwrap() error { return e.Err }

// Is reports whether target is ErrCorrupt.
func (e *CorruptionError) Is(target error) bool { return target == ErrCorrupt }
