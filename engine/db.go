package engine

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/trackdb/trackdb/internal/encoding"
	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/wal"
)

// DB is an open store. It is safe for concurrent use: appends are
// serialized on one mutex (the WAL is a single stream anyway) and readers
// hold it only to snapshot what they read.
type DB struct {
	dir  string
	opts *Options
	fs   vfs.FS
	lock io.Closer
	wal  *wal.WAL

	mu struct {
		sync.RWMutex
		closed bool
		head   *head
		blocks []*block        // in seq order: older appends first
		frozen *frozenHead     // a flush in progress
		enc    encoding.Encbuf // record scratch
		refs   []logEntry      // Log scratch
	}

	replay ReplayStats

	compactMu sync.Mutex    // one compaction at a time
	nextSeq   uint64        // next block sequence number; under compactMu
	kick      chan struct{} // wakes the background compaction
	stop      chan struct{} // closed by Close
	bg        sync.WaitGroup
	closeOnce sync.Once
	spillSeq  uint64 // names head chunk files; under mu
}

// ReplayStats describes the recovery that Open did.
type ReplayStats struct {
	// Records and Points replayed from the WAL.
	Records, Points int64
	// Duration of the replay.
	Duration time.Duration
	// WAL holds the log's own figures, torn tails cut among them.
	WAL wal.ReplayStats
}

// Open opens the store in dir, creating it when dir is missing or empty.
// A nil opts means DefaultOptions. It replays the WAL, so the DB holds
// exactly what was durable when the store was last closed or crashed.
func Open(dir string, opts *Options) (*DB, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := initStore(o.FS, dir); err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	lock, err := o.FS.Lock(filepath.Join(dir, lockFileName))
	if err != nil {
		if errors.Is(err, vfs.ErrLocked) {
			return nil, fmt.Errorf("open %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open %s: lock: %w", dir, err)
	}
	db := &DB{dir: dir, opts: o, fs: o.FS, lock: lock, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	db.mu.head = newHead(o.ChunkSamples)
	walStart, err := db.loadBlocks()
	if err == nil {
		err = db.openSpill()
	}
	if err == nil {
		err = db.openWAL(walStart)
	}
	if err != nil {
		for _, b := range db.mu.blocks {
			b.release()
		}
		if db.mu.head.spill != nil {
			db.mu.head.spill.release()
		}
		lock.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	db.bg.Add(1)
	go db.backgroundCompactions()
	db.mu.Lock()
	db.maybeKick()
	db.mu.Unlock()
	return db, nil
}

func (db *DB) openWAL(walStart int) error {
	w, err := wal.Open(filepath.Join(db.dir, walDirName), &wal.Options{
		FS:           db.fs,
		SegmentSize:  db.opts.WALSegmentSize,
		Sync:         db.opts.Sync,
		SyncInterval: db.opts.SyncInterval,
		Logger:       db.opts.Logger,
	})
	if err != nil {
		return err
	}
	start := time.Now()
	r := replayer{h: db.mu.head}
	if n := runtime.GOMAXPROCS(0); n > 1 {
		r.pool = newApplyPool(n, db.mu.head)
	}
	ws, err := w.Replay(walStart, r.apply)
	r.done()
	if err != nil {
		w.Close()
		var ce *wal.CorruptionError
		switch {
		case errors.Is(err, wal.ErrUnsupportedVersion):
			return fmt.Errorf("%w: %w", ErrFormatVersion, err)
		case errors.As(err, &ce):
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		return fmt.Errorf("replay wal: %w", err)
	}
	db.replay = ReplayStats{Records: r.records, Points: r.points, Duration: time.Since(start), WAL: ws}
	db.wal = w
	// Segments before the newest block's checkpoint are left over from a
	// crash between publishing the block and truncating the log.
	if err := w.Truncate(walStart); err != nil {
		w.Close()
		return fmt.Errorf("truncate wal: %w", err)
	}
	return nil
}

// Dir returns the store's directory.
func (db *DB) Dir() string { return db.dir }

// Replayed returns what the WAL replay of Open did.
func (db *DB) Replayed() ReplayStats { return db.replay }

// Sync returns once everything appended before it is durable.
func (db *DB) Sync() error {
	db.mu.RLock()
	closed := db.mu.closed
	db.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	return db.wal.Sync()
}

// Close makes everything durable, releases the lock and frees the head.
// Calls after the first return ErrClosed.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.stop) })
	db.bg.Wait() // lets a running background compaction finish
	// And any compaction a caller started: once Close has the lock, every
	// later one sees the store closed.
	db.compactMu.Lock()
	defer db.compactMu.Unlock()
	db.mu.Lock()
	if db.mu.closed {
		db.mu.Unlock()
		return ErrClosed
	}
	db.mu.closed = true
	if db.mu.head.spill != nil {
		db.mu.head.spill.release()
	}
	if f := db.mu.frozen; f != nil && f.spill != nil {
		f.spill.release()
	}
	db.mu.head, db.mu.frozen = nil, nil
	blocks := db.mu.blocks
	db.mu.blocks = nil
	db.mu.Unlock()
	err := db.wal.Close()
	for _, b := range blocks {
		b.release()
	}
	if lerr := db.lock.Close(); err == nil {
		err = lerr
	}
	return err
}
