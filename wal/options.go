package wal

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/trackdb/trackdb/internal/vfs"
)

// SyncPolicy says when written records are fsynced.
type SyncPolicy uint8

const (
	// SyncInterval (the default) fsyncs in the background every
	// Options.SyncInterval when something new was written; a power cut
	// loses at most about one interval.
	SyncInterval SyncPolicy = iota
	// SyncAlways makes Commit return only once the record is fsynced.
	// Concurrent committers share one write and one fsync (group commit).
	SyncAlways
	// SyncNever promises nothing until Sync, Cut or Close. The buffer
	// still reaches the OS every Options.SyncInterval, so a killed process
	// loses at most about one interval; a power cut may lose more.
	SyncNever
)

// String returns "interval", "always" or "never".
func (p SyncPolicy) String() string {
	switch p {
	case SyncInterval:
		return "interval"
	case SyncAlways:
		return "always"
	case SyncNever:
		return "never"
	}
	return fmt.Sprintf("SyncPolicy(%d)", uint8(p))
}

// ParseSyncPolicy parses the output of SyncPolicy.String, ignoring case.
func ParseSyncPolicy(s string) (SyncPolicy, error) {
	for _, p := range []SyncPolicy{SyncInterval, SyncAlways, SyncNever} {
		if strings.EqualFold(s, p.String()) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("%w: sync policy %q is not always, interval or never", ErrInvalidOptions, s)
}

// Defaults and limits of Options.
const (
	// DefaultSegmentSize is the default Options.SegmentSize, 64 MiB.
	DefaultSegmentSize = 64 << 20
	// DefaultSyncInterval is the default Options.SyncInterval.
	DefaultSyncInterval = time.Second
	// DefaultBufferSize is the default Options.BufferSize, 256 KiB.
	DefaultBufferSize = 256 << 10
	// MinBufferSize is the smallest accepted Options.BufferSize.
	MinBufferSize = 4 << 10
)

// Options configure a WAL. The zero value of every field means its default.
type Options struct {
	// FS is the file system holding the log. Default vfs.Default.
	FS vfs.FS
	// SegmentSize is the maximum size of a segment file in bytes, header
	// included; it bounds the largest record. Default 64 MiB, at least
	// MinSegmentSize, at most MaxSegmentSize. It may change between opens:
	// older segments are read whatever their size.
	SegmentSize int64
	// Sync is the fsync policy. Default SyncInterval.
	Sync SyncPolicy
	// SyncInterval is the period of the background flush (and, under
	// SyncInterval, fsync). Default 1s.
	SyncInterval time.Duration
	// BufferSize is the user-space write buffer, handed to the OS in one
	// write(2) when full or on sync. Default 256 KiB, at least
	// MinBufferSize. Records too big for it are written directly.
	BufferSize int
	// Logger receives notices such as cut torn tails. Default
	// slog.Default() at the time of Open.
	Logger *slog.Logger
}

// DefaultOptions returns a fresh Options with every default filled in.
func DefaultOptions() *Options {
	return &Options{
		FS:           vfs.Default,
		SegmentSize:  DefaultSegmentSize,
		Sync:         SyncInterval,
		SyncInterval: DefaultSyncInterval,
		BufferSize:   DefaultBufferSize,
		Logger:       slog.Default(),
	}
}

// resolve returns a copy of o with defaults filled in, or an error naming
// the first invalid field. It never changes o.
func (o *Options) resolve() (Options, error) {
	d := *DefaultOptions()
	if o == nil {
		return d, nil
	}
	r := *o
	if r.FS == nil {
		r.FS = d.FS
	}
	if r.Logger == nil {
		r.Logger = d.Logger
	}
	switch {
	case r.SegmentSize == 0:
		r.SegmentSize = d.SegmentSize
	case r.SegmentSize < MinSegmentSize || r.SegmentSize > MaxSegmentSize:
		return r, fmt.Errorf("%w: SegmentSize %d not in [%d, %d]", ErrInvalidOptions, r.SegmentSize, MinSegmentSize, MaxSegmentSize)
	}
	if r.Sync > SyncNever {
		return r, fmt.Errorf("%w: unknown Sync policy %d", ErrInvalidOptions, r.Sync)
	}
	switch {
	case r.SyncInterval == 0:
		r.SyncInterval = d.SyncInterval
	case r.SyncInterval < 0:
		return r, fmt.Errorf("%w: negative SyncInterval %v", ErrInvalidOptions, r.SyncInterval)
	}
	switch {
	case r.BufferSize == 0:
		r.BufferSize = d.BufferSize
	case r.BufferSize < MinBufferSize:
		return r, fmt.Errorf("%w: BufferSize %d below %d", ErrInvalidOptions, r.BufferSize, MinBufferSize)
	}
	return r, nil
}
