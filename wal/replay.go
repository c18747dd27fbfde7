package wal

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
)

// ReplayStats says what Replay read and repaired.
type ReplayStats struct {
	// Segments is the number of segments whose records were delivered.
	Segments int
	// Records is the number of records delivered.
	Records int
	// Bytes is the number of segment file bytes read for them, headers
	// and frames included.
	Bytes int64
	// TornTails is 1 if the newest segment ended in a torn write that was
	// cut off, else 0.
	TornTails int
	// TruncatedBytes is how many bytes the cut removed.
	TruncatedBytes int64
}

// Replay reads every record of the segments with index >= fromSegment, in
// order, and calls fn with each, payload decompressed. The payload is valid
// only during the call. An error from fn stops Replay and is returned as
// it is. fn may be nil to only check and repair.
//
// Replay must be called exactly once, alone, before Write, even on an empty
// log: it is what makes the log writable. It checks the newest segment even
// when fromSegment is above it, cuts off a torn tail there (see the package
// doc for the exact rule), logs and counts it, and then starts a fresh
// segment for writing; a repaired segment is never appended to. Any other
// damage, and a gap in the segment indexes, is a *CorruptionError and
// leaves the log unwritable.
func (w *WAL) Replay(fromSegment int, fn func(typ RecordType, payload []byte) error) (ReplayStats, error) {
	var stats ReplayStats
	w.mu.Lock()
	switch {
	case w.mu.closed:
		w.mu.Unlock()
		return stats, ErrClosed
	case w.mu.replayed || w.mu.replaying:
		w.mu.Unlock()
		return stats, ErrAlreadyReplayed
	}
	w.mu.replaying = true
	first, last := w.mu.first, w.mu.last
	w.mu.Unlock()

	removedLast, err := w.replay(&stats, first, last, fromSegment, fn)

	w.mu.Lock()
	defer w.mu.Unlock()
	w.mu.replaying = false
	if err != nil {
		return stats, err
	}
	if w.mu.closed {
		// Closed meanwhile: starting a segment and a goroutine now would
		// leak both.
		return stats, ErrClosed
	}
	if removedLast {
		w.mu.last-- // the torn segment held no whole header
	}
	next := w.mu.last + 1
	seg, err := w.createSegment(next)
	if err != nil {
		return stats, fmt.Errorf("trackdb/wal: %w", err)
	}
	if w.mu.first < 0 || w.mu.last < w.mu.first {
		w.mu.first = next
	}
	w.mu.seg, w.mu.segOff, w.mu.kickOff, w.mu.last = seg, SegmentHeaderSize, SegmentHeaderSize, next
	w.mu.buf = make([]byte, 0, w.opts.BufferSize)
	w.mu.replayed = true
	w.stop, w.done, w.kick = make(chan struct{}), make(chan struct{}), make(chan struct{}, 1)
	go w.background()
	return stats, nil
}

// replay reads the segments and reports whether it removed the newest one.
func (w *WAL) replay(stats *ReplayStats, first, last, from int, fn func(RecordType, []byte) error) (removedLast bool, err error) {
	if last < 0 {
		return false, nil
	}
	// The newest segment is read even when from is above it: its torn
	// tail must be cut now, before a fresh segment makes it a middle one.
	start := min(max(from, first), last)
	segs, err := listSegments(w.opts.FS, w.dir)
	if err != nil {
		return false, fmt.Errorf("trackdb/wal: list %s: %w", w.dir, err)
	}
	want := start
	var rd Reader
	buf := make([]byte, replayBufSize)
	for _, index := range segs {
		if index < start {
			continue
		}
		if index != want {
			return false, &CorruptionError{Dir: w.dir, Segment: want, Err: errors.New("segment file missing")}
		}
		want++
		deliver := index >= from
		removed, err := w.replaySegment(&rd, buf, index, index == last, deliver, stats, fn)
		if err != nil {
			return false, err
		}
		removedLast = removed
		buf = rd.buf // keep a buffer that grew for a big record
	}
	return removedLast, nil
}

func (w *WAL) replaySegment(rd *Reader, buf []byte, index int, isLast, deliver bool, stats *ReplayStats, fn func(RecordType, []byte) error) (removed bool, err error) {
	name := filepath.Join(w.dir, SegmentName(index))
	f, err := w.opts.FS.Open(name)
	if err != nil {
		return false, fmt.Errorf("trackdb/wal: %w", err)
	}
	defer f.Close()

	rd.reset(f, buf, index)
	for rd.Next() {
		if !deliver {
			continue
		}
		if fn != nil {
			if err := fn(rd.Record()); err != nil {
				return false, err
			}
		}
		stats.Records++
	}
	if deliver {
		stats.Segments++
		stats.Bytes += rd.Offset()
	}
	err = rd.Err()
	if err == nil {
		return false, nil
	}
	var ce *CorruptionError
	if !errors.As(err, &ce) {
		return false, fmt.Errorf("trackdb/wal: segment %s: %w", name, err)
	}
	ce.Dir, ce.Segment = w.dir, index
	if !isLast || rd.tornEnd < 0 {
		return false, ce
	}
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("trackdb/wal: %w", err)
	}
	size := fi.Size()
	torn, err := onlyZerosFrom(f, rd.tornEnd, size)
	if err != nil {
		return false, fmt.Errorf("trackdb/wal: segment %s: %w", name, err)
	}
	if !torn {
		return false, ce
	}
	if err := w.cutTail(name, ce.Offset); err != nil {
		return false, fmt.Errorf("trackdb/wal: cut torn tail of %s: %w", name, err)
	}
	stats.TornTails++
	stats.TruncatedBytes += size - ce.Offset
	w.opts.Logger.Warn("trackdb/wal: cut torn tail",
		"segment", name, "offset", ce.Offset, "bytes", size-ce.Offset, "cause", ce.Err)
	return ce.Offset < SegmentHeaderSize, nil
}

// onlyZerosFrom reports whether f holds nothing but zero bytes from off to
// size; an off at or past size trivially qualifies.
func onlyZerosFrom(f io.ReaderAt, off, size int64) (bool, error) {
	buf := make([]byte, 64<<10)
	for off < size {
		n := int(min(int64(len(buf)), size-off))
		m, err := f.ReadAt(buf[:n], off)
		if m < n {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return false, err
		}
		for _, b := range buf[:n] {
			if b != 0 {
				return false, nil
			}
		}
		off += int64(n)
	}
	return true, nil
}

// cutTail makes the segment end at off, durably. A segment without a whole
// header is removed instead: an empty file would read as a damaged middle
// segment once the fresh one follows it.
func (w *WAL) cutTail(name string, off int64) error {
	if off < SegmentHeaderSize {
		if err := w.opts.FS.Remove(name); err != nil {
			return err
		}
		return w.dirFile.Sync()
	}
	f, err := w.opts.FS.OpenReadWrite(name)
	if err != nil {
		return err
	}
	err = f.Truncate(off)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}
