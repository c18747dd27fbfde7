package wal

import (
	"fmt"
	"time"
)

// Commit applies the sync policy to the record written with seq. Under
// SyncAlways it returns once that record is fsynced; committers arriving
// while an fsync is under way wait for it and then share the next one, so
// n concurrent commits cost far fewer than n write+fsync pairs. Under
// SyncInterval and SyncNever it returns at once. In every case it returns
// the error that failed the log, if any.
func (w *WAL) Commit(seq uint64) error {
	if err := w.err(); err != nil {
		return err
	}
	if w.opts.Sync != SyncAlways {
		return nil
	}
	return w.syncTo(seq)
}

// Sync returns once every record written before the call is flushed and
// fsynced, whatever the sync policy. It shares fsyncs with Commit.
func (w *WAL) Sync() error {
	w.mu.Lock()
	seq, err := w.mu.lastSeq, w.writableLocked()
	w.mu.Unlock()
	if err != nil {
		return err
	}
	return w.syncTo(seq)
}

// syncTo returns once seq is durable. The first caller to find no fsync
// under way becomes the leader: it flushes the buffer and fsyncs for
// everyone who wrote before the flush. Others wait and, if their record
// came after the leader's flush, one of them leads the next round.
func (w *WAL) syncTo(seq uint64) error {
	s := &w.sync
	s.Lock()
	defer s.Unlock()
	for {
		if err := w.err(); err != nil {
			return err
		}
		if s.synced >= seq {
			return nil
		}
		if s.syncing {
			s.cond.Wait()
			continue
		}
		s.syncing = true
		s.Unlock()
		target, err := w.flushAndSync(seq)
		s.Lock()
		s.syncing = false
		s.synced = max(s.synced, target)
		s.cond.Broadcast()
		if err != nil {
			return err
		}
	}
}

// flushAndSync writes the buffer and fsyncs the current segment, returning
// the seq that is durable afterwards. The fsync runs outside mu, so writers
// keep filling the buffer meanwhile; the segment reference keeps a
// concurrent rollover from closing the file under it.
func (w *WAL) flushAndSync(want uint64) (uint64, error) {
	w.mu.Lock()
	if err := w.writableLocked(); err != nil {
		w.mu.Unlock()
		return 0, err
	}
	if want > w.mu.lastSeq {
		w.mu.Unlock()
		return 0, fmt.Errorf("trackdb/wal: commit of seq %d, but only %d written", want, w.mu.lastSeq)
	}
	if err := w.flushLocked(); err != nil {
		w.mu.Unlock()
		return 0, err
	}
	target, seg := w.mu.lastSeq, w.mu.seg
	seg.acquire()
	w.mu.Unlock()

	err := seg.f.Sync()
	_ = seg.release() // closes only a segment already fsynced by rollover
	if err != nil {
		return 0, w.fail(fmt.Errorf("fsync segment %s: %w", SegmentName(seg.index), err))
	}
	return target, nil
}

// markSynced records that every seq <= seq is durable and wakes waiters.
// Callers may hold mu: the lock order is mu, then sync.
func (w *WAL) markSynced(seq uint64) {
	s := &w.sync
	s.Lock()
	if seq > s.synced {
		s.synced = seq
		s.cond.Broadcast()
	}
	s.Unlock()
}

// fail records the first write or fsync error and returns the log's
// failure error. Nothing is written after it: see ErrFailed.
func (w *WAL) fail(cause error) error {
	err := fmt.Errorf("%w: %w", ErrFailed, cause)
	if w.failed.CompareAndSwap(nil, &err) {
		w.opts.Logger.Error("trackdb/wal: log failed", "dir", w.dir, "err", cause)
		// Wake committers so they see the failure instead of waiting.
		w.sync.Lock()
		w.sync.cond.Broadcast()
		w.sync.Unlock()
	}
	return *w.failed.Load()
}

// err returns the error that failed the log, or nil.
func (w *WAL) err() error {
	if p := w.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// background runs until Close. Every SyncInterval it hands the buffer to
// the OS and, unless the policy is SyncNever, fsyncs; under SyncAlways that
// catches records written but never committed. When Write asks for an early
// fsync (see earlySyncBytes) it fsyncs at once, under every policy.
func (w *WAL) background() {
	defer close(w.done)
	t := time.NewTicker(w.opts.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-w.kick:
			w.syncPending()
			continue
		case <-t.C:
		}
		if w.opts.Sync == SyncNever {
			w.mu.Lock()
			if w.writableLocked() == nil {
				_ = w.flushLocked() // a failure is sticky and logged by fail
			}
			w.mu.Unlock()
			continue
		}
		w.syncPending()
	}
}

// syncPending makes everything written so far durable. A failure is sticky
// and logged by fail, so the next caller sees it.
func (w *WAL) syncPending() {
	w.mu.Lock()
	seq := w.mu.lastSeq
	w.mu.Unlock()
	_ = w.syncTo(seq) // returns at once when nothing is new
}
