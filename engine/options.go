package engine

import (
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/wal"
)

// SyncPolicy says when appends become durable; see the constants.
type SyncPolicy = wal.SyncPolicy

// Sync policies.
const (
	// SyncInterval fsyncs the log at least every Options.SyncInterval; an
	// OS crash loses at most that window, a process crash loses nothing
	// older than the interval.
	SyncInterval = wal.SyncInterval
	// SyncAlways returns from each append only once it is fsynced;
	// concurrent appends share one fsync (group commit).
	SyncAlways = wal.SyncAlways
	// SyncNever leaves fsync to Sync and Close.
	SyncNever = wal.SyncNever
)

// ParseSyncPolicy parses "always", "interval" or "never".
func ParseSyncPolicy(s string) (SyncPolicy, error) { return wal.ParseSyncPolicy(s) }

// Options configure a DB. The zero value of each field means its default;
// Open copies the struct and never changes the caller's.
type Options struct {
	// FS is the filesystem; default the OS's. Tests use an in-memory one.
	FS vfs.FS
	// Sync is the durability policy; default SyncInterval.
	Sync SyncPolicy
	// SyncInterval is the longest time between fsyncs under SyncInterval;
	// default 1s.
	SyncInterval time.Duration
	// WALSegmentSize is the size at which the log starts a new segment
	// file; default 64 MiB, at least 64 KiB.
	WALSegmentSize int64
	// ChunkSamples is the most points a head chunk takes before it is cut;
	// default 240, between 16 and 4096.
	ChunkSamples int
	// Logger receives recovery notices; default slog.Default().
	Logger *slog.Logger
	// FlushPoints is the number of points appended since the last flush
	// at which a background compaction writes the head to a block, which
	// bounds head memory and WAL replay; default 4 Mi points; negative
	// disables background compaction (Compact still works).
	FlushPoints int64
	// RetainFinished, when positive, deletes runs that ended (finished,
	// failed or killed) longer ago than this, at each compaction; default
	// 0 keeps every run.
	RetainFinished time.Duration
}

// DefaultOptions returns the defaults that a nil *Options means.
func DefaultOptions() *Options {
	return &Options{
		FS:             vfs.Default,
		Sync:           SyncInterval,
		SyncInterval:   time.Second,
		WALSegmentSize: 64 << 20,
		ChunkSamples:   240,
		Logger:         slog.Default(),
		FlushPoints:    4 << 20,
	}
}

// withDefaults returns a validated copy of o with defaults filled in.
func (o *Options) withDefaults() (*Options, error) {
	d := DefaultOptions()
	if o == nil {
		return d, nil
	}
	c := *o
	if c.FS == nil {
		c.FS = d.FS
	}
	if c.SyncInterval == 0 {
		c.SyncInterval = d.SyncInterval
	}
	if c.WALSegmentSize == 0 {
		c.WALSegmentSize = d.WALSegmentSize
	}
	if c.ChunkSamples == 0 {
		c.ChunkSamples = d.ChunkSamples
	}
	if c.Logger == nil {
		c.Logger = d.Logger
	}
	if c.FlushPoints == 0 {
		c.FlushPoints = d.FlushPoints
	} else if c.FlushPoints < 0 {
		c.FlushPoints = math.MaxInt64
	}
	switch {
	case c.Sync != SyncInterval && c.Sync != SyncAlways && c.Sync != SyncNever:
		return nil, fmt.Errorf("%w: unknown sync policy %d", ErrInvalidOptions, c.Sync)
	case c.SyncInterval < 0:
		return nil, fmt.Errorf("%w: SyncInterval %v is negative", ErrInvalidOptions, c.SyncInterval)
	case c.WALSegmentSize < 64<<10 || c.WALSegmentSize > 1<<30:
		return nil, fmt.Errorf("%w: WALSegmentSize %d outside [64 KiB, 1 GiB]", ErrInvalidOptions, c.WALSegmentSize)
	case c.RetainFinished < 0:
		return nil, fmt.Errorf("%w: RetainFinished %v is negative", ErrInvalidOptions, c.RetainFinished)
	case c.ChunkSamples < 16 || c.ChunkSamples > 4096:
		return nil, fmt.Errorf("%w: ChunkSamples %d outside [16, 4096]", ErrInvalidOptions, c.ChunkSamples)
	}
	return &c, nil
}
