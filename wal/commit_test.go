package wal

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

func TestGroupCommit(t *testing.T) {
	const writers, perWriter = 16, 100
	// A slow fsync, like a real disk's, is what gives committers the
	// chance to pile up behind a leader.
	fs := &wrapFS{FS: vfs.NewMem(), syncDelay: 200 * time.Microsecond}
	w, _, _ := openWAL(t, fs, &Options{Sync: SyncAlways})
	base := fs.syncs.Load()

	concurrently(writers, func(g int) {
		p := make([]byte, 100)
		for i := range perWriter {
			binary.LittleEndian.PutUint32(p[0:], uint32(g))
			binary.LittleEndian.PutUint32(p[4:], uint32(i))
			seq, err := w.Write(1, p)
			if err == nil {
				err = w.Commit(seq)
			}
			if err != nil {
				t.Error(err)
				return
			}
		}
	})
	syncs := fs.syncs.Load() - base
	t.Logf("%d commits, %d fsyncs", writers*perWriter, syncs)
	require.Less(t, syncs, int64(writers*perWriter), "committers share fsyncs")
	require.NoError(t, w.Close())

	got, _, err := replayAll(t, fs)
	require.NoError(t, err)
	require.Len(t, got, writers*perWriter)
	var next [writers]uint32
	for _, r := range got {
		g, i := binary.LittleEndian.Uint32(r.payload), binary.LittleEndian.Uint32(r.payload[4:])
		require.Equal(t, next[g], i)
		next[g]++
	}
}

func TestSyncAlwaysCommitIsDurable(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, &Options{Sync: SyncAlways})
	for i := range 50 {
		seq, err := w.Write(1, []byte{byte(i)})
		require.NoError(t, err)
		require.NoError(t, w.Commit(seq))
		got, _, err := replayAll(t, fs.CrashClone())
		require.NoError(t, err)
		require.Len(t, got, i+1)
	}
}

func TestStickyWriteError(t *testing.T) {
	mem := vfs.NewMem()
	fs := &wrapFS{FS: mem}
	w, _, _ := openWAL(t, fs, &Options{Sync: SyncAlways})
	seq, err := w.Write(1, []byte("durable"))
	require.NoError(t, err)
	require.NoError(t, w.Commit(seq))

	fs.failWrite.Store(true)
	seq, err = w.Write(1, []byte("buffered, then lost"))
	require.NoError(t, err, "Write only buffers")
	err = w.Commit(seq)
	require.ErrorIs(t, err, errInjected)
	require.ErrorIs(t, err, ErrFailed)

	// The disk recovers, but the log stays failed: nothing is retried.
	fs.failWrite.Store(false)
	_, err = w.Write(1, []byte("refused"))
	require.ErrorIs(t, err, ErrFailed)
	require.ErrorIs(t, err, errInjected)
	require.ErrorIs(t, w.Commit(1), ErrFailed)
	require.ErrorIs(t, w.Sync(), ErrFailed)
	_, err = w.Cut()
	require.ErrorIs(t, err, ErrFailed)
	require.ErrorIs(t, w.Close(), errInjected)

	// Reopening keeps what reached the disk and cuts the half-written frame.
	got, stats, err := replayAll(t, mem)
	require.NoError(t, err)
	requireRecords(t, []record{{1, []byte("durable")}}, got)
	require.Equal(t, 1, stats.TornTails)
}

func TestStickyFsyncErrorIsNeverRetried(t *testing.T) {
	for _, policy := range []SyncPolicy{SyncAlways, SyncInterval} {
		fs := &wrapFS{FS: vfs.NewMem()}
		w, _, _ := openWAL(t, fs, &Options{Sync: policy, SyncInterval: time.Millisecond})
		// Fail first: the background goroutine may fsync the record at
		// any moment after it is written.
		fs.failSync.Store(true)
		seq, err := w.Write(1, []byte("x"))
		require.NoError(t, err)
		if policy == SyncAlways {
			require.ErrorIs(t, w.Commit(seq), errInjected)
		} else {
			// The background fsync fails; the next call reports it.
			require.Eventually(t, func() bool { return w.Commit(seq) != nil }, 5*time.Second, time.Millisecond)
		}
		fs.failSync.Store(false)
		syncs := fs.syncs.Load()
		require.ErrorIs(t, w.Sync(), ErrFailed)
		_, err = w.Write(1, []byte("y"))
		require.ErrorIs(t, err, ErrFailed)
		require.ErrorIs(t, w.Close(), errInjected)
		require.Equal(t, int64(1), fs.failedSyncs.Load(), policy.String())
		require.Equal(t, syncs, fs.syncs.Load(), "%s: no fsync after the failed one", policy)
	}
}

func TestStickyErrorOnRollover(t *testing.T) {
	fs := &wrapFS{FS: vfs.NewMem()}
	w, _, _ := openWAL(t, fs, &Options{SegmentSize: MinSegmentSize, BufferSize: MinBufferSize})
	fs.failSync.Store(true)
	var err error
	for err == nil {
		_, err = w.Write(1, make([]byte, 1000)) // rolls within 66 writes
	}
	require.ErrorIs(t, err, errInjected)
	fs.failSync.Store(false)
	_, err = w.Write(1, nil)
	require.ErrorIs(t, err, ErrFailed)
	_, last, err := w.Segments()
	require.NoError(t, err)
	require.Equal(t, 0, last, "no segment is started after a failed fsync")
}

func TestEarlySyncBeforeRollover(t *testing.T) {
	fs := &wrapFS{FS: vfs.NewMem()}
	w, _, _ := openWAL(t, fs, &Options{Sync: SyncNever, SyncInterval: time.Hour, SegmentSize: 16 << 20})
	base := fs.syncs.Load()
	// Float data, which snappy shrinks only a little: write twice the
	// threshold to be sure the file grows past it.
	p := benchPayload(64<<10, false)
	for range 2 * (16 << 20) / 8 / len(p) {
		_, err := w.Write(1, p)
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return fs.syncs.Load() > base }, 5*time.Second, time.Millisecond,
		"an eighth of a segment written asks for a background fsync")
	_, last, err := w.Segments()
	require.NoError(t, err)
	require.Equal(t, 0, last, "before any rollover")
}
