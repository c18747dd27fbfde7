package wal

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/trackdb/trackdb/internal/vfs"
)

// WAL is a segmented write-ahead log in one directory. Its methods are safe
// for concurrent use, except that Replay must run alone, once, before any
// Write.
type WAL struct {
	dir        string
	opts       Options
	maxPayload int
	earlySync  int64    // see earlySyncBytes
	dirFile    vfs.File // the directory, kept open for fsyncs

	// truncMu serializes Truncate, which deletes files outside mu.
	truncMu sync.Mutex

	// mu guards the write path. Lock order: truncMu, then mu, then sync.
	mu struct {
		sync.Mutex
		replayed  bool
		replaying bool
		closed    bool
		first     int      // oldest segment on disk, -1 if none
		last      int      // newest segment on disk, -1 if none
		seg       *segment // segment being written, nil before Replay
		segOff    int64    // bytes of seg, counting those still in buf
		buf       []byte   // framed records not yet handed to the OS
		lastSeq   uint64   // seq of the newest record written
		kickOff   int64    // segOff when an early fsync was last asked for
	}

	// sync is the group-commit state: one leader at a time flushes and
	// fsyncs on behalf of everyone waiting.
	sync struct {
		sync.Mutex
		cond    sync.Cond
		syncing bool   // a leader is flushing and fsyncing
		synced  uint64 // every seq <= synced is durable
	}

	// failed holds the first write or fsync error, wrapped in ErrFailed.
	failed atomic.Pointer[error]

	stop chan struct{} // closed by Close to stop the background goroutine
	done chan struct{} // closed when the background goroutine exits
	kick chan struct{} // asks the background goroutine to fsync now
}

// Open opens the log in dir, creating the directory if it is missing. It
// lists the segments but reads none: call Replay next, even on an empty
// directory, before writing. opts may be nil for the defaults; Open copies
// it and never changes it.
func Open(dir string, opts *Options) (*WAL, error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if err := mkdirDurable(o.FS, dir); err != nil {
		return nil, fmt.Errorf("trackdb/wal: create %s: %w", dir, err)
	}
	segs, err := listSegments(o.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("trackdb/wal: list %s: %w", dir, err)
	}
	d, err := o.FS.OpenDir(dir)
	if err != nil {
		return nil, fmt.Errorf("trackdb/wal: %w", err)
	}
	w := &WAL{
		dir:        dir,
		opts:       o,
		maxPayload: int(o.SegmentSize) - SegmentHeaderSize - FrameHeaderSize,
		earlySync:  earlySyncBytes(o.SegmentSize),
		dirFile:    d,
	}
	w.sync.cond.L = &w.sync.Mutex
	w.mu.first, w.mu.last = -1, -1
	if len(segs) > 0 {
		w.mu.first, w.mu.last = segs[0], segs[len(segs)-1]
	}
	return w, nil
}

// mkdirDurable creates dir and any missing parents and syncs the parent of
// each one it creates, so the directory survives a crash.
func mkdirDurable(fsys vfs.FS, dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := fsys.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if err := fsys.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range missing {
		if err := syncDir(fsys, filepath.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

func syncDir(fsys vfs.FS, dir string) error {
	d, err := fsys.OpenDir(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	return errors.Join(err, d.Close())
}

// MaxRecordSize returns the largest payload Write accepts: what fits in one
// segment after the segment and frame headers.
func (w *WAL) MaxRecordSize() int { return w.maxPayload }

// Dir returns the log's directory.
func (w *WAL) Dir() string { return w.dir }

// Segments returns the range of segment indexes on disk, (-1, -1) when
// there are none. After Replay the last one is the segment being written.
func (w *WAL) Segments() (first, last int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.mu.closed {
		return -1, -1, ErrClosed
	}
	return w.mu.first, w.mu.last, nil
}

// Size returns the total size of the segment files on disk. Records still
// in the write buffer are not counted.
func (w *WAL) Size() (int64, error) {
	first, last, err := w.Segments()
	if err != nil || first < 0 {
		return 0, err
	}
	var total int64
	for i := first; i <= last; i++ {
		fi, err := w.opts.FS.Stat(filepath.Join(w.dir, SegmentName(i)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed by a concurrent Truncate
		}
		if err != nil {
			return 0, fmt.Errorf("trackdb/wal: %w", err)
		}
		total += fi.Size()
	}
	return total, nil
}

// Truncate deletes the segments with an index below the given one, for
// instance those a checkpoint has made redundant, and syncs the directory.
// It never deletes the newest segment, which after Replay is the one being
// written.
func (w *WAL) Truncate(below int) error {
	w.truncMu.Lock()
	defer w.truncMu.Unlock()

	w.mu.Lock()
	if w.mu.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	first, limit := w.mu.first, min(below, w.mu.last)
	w.mu.Unlock()
	if first < 0 || first >= limit {
		return nil
	}

	// Deleting outside mu keeps writers running; truncMu keeps first
	// consistent, and writers only ever touch the newest segment.
	var err error
	removed := first
	for ; removed < limit; removed++ {
		err = w.opts.FS.Remove(filepath.Join(w.dir, SegmentName(removed)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			break
		}
		err = nil
	}
	w.mu.Lock()
	w.mu.first = removed
	w.mu.Unlock()
	if err != nil {
		return fmt.Errorf("trackdb/wal: truncate: %w", err)
	}
	if err := w.dirFile.Sync(); err != nil {
		return fmt.Errorf("trackdb/wal: truncate: sync dir: %w", err)
	}
	return nil
}

// Close flushes and fsyncs what was written, whatever the sync policy,
// stops the background goroutine and closes the files. It returns the
// error that failed the log, if any. Closing again is a no-op.
func (w *WAL) Close() error {
	w.mu.Lock()
	if w.mu.closed {
		w.mu.Unlock()
		return nil
	}
	w.mu.closed = true
	w.mu.Unlock()

	if w.stop != nil {
		close(w.stop)
		<-w.done
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	var errs []error
	if seg := w.mu.seg; seg != nil {
		// A failure is recorded by fail and reported through w.err below.
		if w.flushLocked() == nil {
			if err := seg.f.Sync(); err != nil {
				w.fail(fmt.Errorf("fsync segment %s: %w", SegmentName(seg.index), err))
			} else {
				w.markSynced(w.mu.lastSeq)
			}
		}
		errs = append(errs, seg.release())
		w.mu.seg = nil
	}
	errs = append(errs, w.err(), w.dirFile.Close())
	return errors.Join(errs...)
}
