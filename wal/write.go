package wal

import (
	"fmt"
)

// Write appends one record and returns its sequence number, which Commit
// takes. The payload is framed and copied into the write buffer, so the
// caller may reuse it at once. Write does not wait for the disk: it hands
// the buffer to the OS when it is full, and fsyncs only when rolling to a
// new segment, which happens when the record does not fit in the current
// one. Sequence numbers start at 1 on every Open and are not stored.
func (w *WAL) Write(typ RecordType, payload []byte) (seq uint64, err error) {
	if typ == 0 || typ > MaxRecordType {
		return 0, fmt.Errorf("%w: %d", ErrInvalidRecordType, typ)
	}
	if len(payload) > w.maxPayload {
		return 0, fmt.Errorf("%w: %d bytes, a segment holds at most %d", ErrRecordTooLarge, len(payload), w.maxPayload)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.writableLocked(); err != nil {
		return 0, err
	}
	// Placement uses the uncompressed size: deciding before encoding keeps
	// the encoder writing straight into the buffer, and costs at most one
	// record's worth of space at the end of a segment.
	if w.mu.segOff+int64(FrameHeaderSize+len(payload)) > w.opts.SegmentSize {
		if err := w.rollLocked(); err != nil {
			return 0, err
		}
	}
	worst := maxFrameLen(len(payload))
	if worst > cap(w.mu.buf)-len(w.mu.buf) {
		if err := w.flushLocked(); err != nil {
			return 0, err
		}
	}
	var n int
	if worst <= cap(w.mu.buf) {
		start := len(w.mu.buf)
		n = encodeFrame(w.mu.buf[start:start+worst], typ, payload)
		w.mu.buf = w.mu.buf[:start+n]
	} else {
		// Bigger than the whole buffer: frame it on its own and write it
		// directly. Such records are rare and large, so one allocation is
		// cheap next to the copy, and the buffer does not stay inflated.
		frame := make([]byte, worst)
		n = encodeFrame(frame, typ, payload)
		if err := w.writeLocked(frame[:n]); err != nil {
			return 0, err
		}
	}
	w.mu.segOff += int64(n)
	w.mu.lastSeq++
	if w.mu.segOff-w.mu.kickOff >= w.earlySync {
		w.mu.kickOff = w.mu.segOff
		select {
		case w.kick <- struct{}{}:
		default: // a kick is already pending
		}
	}
	return w.mu.lastSeq, nil
}

// earlySyncBytes returns after how many bytes written to a segment the
// background goroutine is asked to fsync it, whatever the policy. The fsync
// at rollover runs under the write lock and should not find a whole segment
// of dirty pages: on a disk writing 700 MB/s a 64 MiB segment takes ~100 ms,
// stalling every writer. Early fsyncs run outside the lock and leave the
// rollover an eighth of a segment at most. Small segments roll often enough
// on their own.
func earlySyncBytes(segmentSize int64) int64 {
	return max(segmentSize/8, 1<<20)
}

// Cut flushes and fsyncs the current segment and starts a new one, whose
// index it returns. Records written before Cut are in segments below that
// index, which is what a checkpoint needs to know before Truncate.
func (w *WAL) Cut() (segment int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.writableLocked(); err != nil {
		return 0, err
	}
	if err := w.rollLocked(); err != nil {
		return 0, err
	}
	return w.mu.seg.index, nil
}

// writableLocked returns why the log cannot take writes, if it cannot.
func (w *WAL) writableLocked() error {
	switch {
	case w.mu.closed:
		return ErrClosed
	case !w.mu.replayed:
		return ErrNotReplayed
	}
	return w.err()
}

// flushLocked hands the buffer to the OS with one write(2).
func (w *WAL) flushLocked() error {
	if err := w.err(); err != nil {
		return err
	}
	if len(w.mu.buf) == 0 {
		return nil
	}
	err := w.writeLocked(w.mu.buf)
	w.mu.buf = w.mu.buf[:0]
	return err
}

func (w *WAL) writeLocked(b []byte) error {
	if _, err := w.mu.seg.f.Write(b); err != nil {
		return w.fail(fmt.Errorf("write segment %s: %w", SegmentName(w.mu.seg.index), err))
	}
	return nil
}

// rollLocked finishes the current segment and starts the next. The old
// segment is fsynced first, whatever the sync policy, so that only the
// newest segment can ever have a torn tail: that is what lets Replay treat
// damage anywhere else as corruption.
func (w *WAL) rollLocked() error {
	old := w.mu.seg
	if err := w.flushLocked(); err != nil {
		return err
	}
	if err := old.f.Sync(); err != nil {
		return w.fail(fmt.Errorf("fsync segment %s: %w", SegmentName(old.index), err))
	}
	w.markSynced(w.mu.lastSeq)
	next, err := w.createSegment(old.index + 1)
	if err != nil {
		// Without a segment to write to the log cannot go on; failing
		// keeps the rule that nothing is written after an error.
		return w.fail(err)
	}
	_ = old.release() // fsynced above; a close error loses nothing
	w.mu.seg = next
	w.mu.segOff, w.mu.kickOff = SegmentHeaderSize, SegmentHeaderSize
	w.mu.last = next.index
	return nil
}
