package wal

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

func TestRoundTrip(t *testing.T) {
	fs := vfs.NewMem()
	rng := rand.New(rand.NewPCG(1, 1))
	want := payloads(rng, 2000, 3000)
	want = append(want, record{1, nil}, record{MaxRecordType, []byte{}})

	w, recs, stats := openWAL(t, fs, nil)
	require.Empty(t, recs)
	require.Equal(t, ReplayStats{}, stats)
	writeAll(t, w, want)
	require.NoError(t, w.Close())

	got, stats, err := replayAll(t, fs)
	require.NoError(t, err)
	// Replay hands out empty payloads as empty, whatever was written.
	for i := range want {
		if len(want[i].payload) == 0 {
			want[i].payload = nil
		}
	}
	requireRecords(t, want, got)
	require.Equal(t, len(want), stats.Records)
	require.Zero(t, stats.TornTails)
}

func TestRoundTripOS(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(2, 2))
	want := payloads(rng, 500, 5000)
	w, err := Open(dir, &Options{SegmentSize: MinSegmentSize, Logger: quietLogger()})
	require.NoError(t, err)
	_, err = w.Replay(0, nil)
	require.NoError(t, err)
	writeAll(t, w, want)
	require.NoError(t, w.Close())

	w, err = Open(dir, &Options{Logger: quietLogger()})
	require.NoError(t, err)
	defer w.Close()
	var got []record
	_, err = w.Replay(0, func(typ RecordType, p []byte) error {
		got = append(got, record{typ, bytes.Clone(p)})
		return nil
	})
	require.NoError(t, err)
	requireRecords(t, want, got)
}

func TestCompression(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	compressible := bytes.Repeat([]byte("loss=0.1234 "), 100)
	_, err := w.Write(1, compressible)
	require.NoError(t, err)
	require.NoError(t, w.Close())

	seg := readFile(t, fs, segPath(0))
	require.Less(t, len(seg), SegmentHeaderSize+FrameHeaderSize+len(compressible)/4)
	require.Equal(t, byte(1|flagSnappy), seg[SegmentHeaderSize+8])

	got, _, err := replayAll(t, fs)
	require.NoError(t, err)
	requireRecords(t, []record{{1, compressible}}, got)
}

func TestMaxSizeRecord(t *testing.T) {
	for _, compressible := range []bool{false, true} {
		fs := vfs.NewMem()
		w, _, _ := openWAL(t, fs, &Options{SegmentSize: MinSegmentSize, BufferSize: MinBufferSize})
		max := w.MaxRecordSize()
		require.Equal(t, MinSegmentSize-SegmentHeaderSize-FrameHeaderSize, max)
		p := make([]byte, max)
		if !compressible {
			rng := rand.New(rand.NewPCG(3, 3))
			for i := range p {
				p[i] = byte(rng.Uint32())
			}
		}
		_, err := w.Write(1, []byte("small"))
		require.NoError(t, err)
		_, err = w.Write(2, p)
		require.NoError(t, err, "the largest record fits, in a segment of its own")
		_, err = w.Write(3, make([]byte, max+1))
		require.ErrorIs(t, err, ErrRecordTooLarge)
		require.NoError(t, w.Close())

		if !compressible {
			fi, err := fs.Stat(segPath(1))
			require.NoError(t, err)
			require.Equal(t, int64(MinSegmentSize), fi.Size(), "an incompressible max record fills its segment exactly")
		}
		got, _, err := replayAll(t, fs)
		require.NoError(t, err)
		requireRecords(t, []record{{1, []byte("small")}, {2, p}}, got)
	}
}

func TestSegmentRollover(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, &Options{SegmentSize: MinSegmentSize, BufferSize: MinBufferSize})
	rng := rand.New(rand.NewPCG(4, 4))
	want := payloads(rng, 3000, 400)
	writeAll(t, w, want)
	first, last, err := w.Segments()
	require.NoError(t, err)
	require.Equal(t, 0, first)
	require.Greater(t, last, 3)
	require.NoError(t, w.Close())

	names, err := fs.List(testDir)
	require.NoError(t, err)
	require.Len(t, names, last+1)
	for i, name := range names {
		require.Equal(t, SegmentName(i), name)
		fi, err := fs.Stat(segPath(i))
		require.NoError(t, err)
		require.LessOrEqual(t, fi.Size(), int64(MinSegmentSize))
	}
	got, stats, err := replayAll(t, fs)
	require.NoError(t, err)
	requireRecords(t, want, got)
	require.Equal(t, last+1, stats.Segments)
}

func TestReopen(t *testing.T) {
	fs := vfs.NewMem()
	var want []record
	for i := range 5 {
		w, got, stats := openWAL(t, fs, nil)
		requireRecords(t, want, got)
		require.Equal(t, i, stats.Segments, "each open adds one segment")
		first, last, err := w.Segments()
		require.NoError(t, err)
		require.Equal(t, 0, first)
		require.Equal(t, i, last)
		r := record{RecordType(i + 1), []byte{byte(i)}}
		_, err = w.Write(r.typ, r.payload)
		require.NoError(t, err)
		want = append(want, r)
		require.NoError(t, w.Close())
		require.NoError(t, w.Close(), "Close is idempotent")
	}
}

func TestReplayFromSegment(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	writeAll(t, w, []record{{1, []byte("a")}})
	seg, err := w.Cut()
	require.NoError(t, err)
	require.Equal(t, 1, seg)
	writeAll(t, w, []record{{2, []byte("b")}})
	require.NoError(t, w.Close())

	w, err = Open(testDir, &Options{FS: fs, Logger: quietLogger()})
	require.NoError(t, err)
	defer w.Close()
	var got []record
	stats, err := w.Replay(seg, func(typ RecordType, p []byte) error {
		got = append(got, record{typ, bytes.Clone(p)})
		return nil
	})
	require.NoError(t, err)
	requireRecords(t, []record{{2, []byte("b")}}, got)
	require.Equal(t, 1, stats.Segments)
}

func TestReplayErrorFromCallback(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	writeAll(t, w, []record{{1, []byte("a")}, {1, []byte("b")}})
	require.NoError(t, w.Close())

	w, err := Open(testDir, &Options{FS: fs, Logger: quietLogger()})
	require.NoError(t, err)
	defer w.Close()
	stop := errors.New("stop")
	calls := 0
	_, err = w.Replay(0, func(RecordType, []byte) error { calls++; return stop })
	require.Same(t, stop, err, "returned as is")
	require.Equal(t, 1, calls)
	_, err = w.Write(1, nil)
	require.ErrorIs(t, err, ErrNotReplayed)
}

func TestLifecycleErrors(t *testing.T) {
	fs := vfs.NewMem()
	w, err := Open(testDir, &Options{FS: fs, Sync: SyncAlways, Logger: quietLogger()})
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })
	_, err = w.Write(1, nil)
	require.ErrorIs(t, err, ErrNotReplayed)
	require.ErrorIs(t, w.Sync(), ErrNotReplayed)
	_, err = w.Cut()
	require.ErrorIs(t, err, ErrNotReplayed)

	_, err = w.Replay(0, nil)
	require.NoError(t, err)
	_, err = w.Replay(0, nil)
	require.ErrorIs(t, err, ErrAlreadyReplayed)

	_, err = w.Write(0, nil)
	require.ErrorIs(t, err, ErrInvalidRecordType)
	_, err = w.Write(MaxRecordType+1, nil)
	require.ErrorIs(t, err, ErrInvalidRecordType)
	seq, err := w.Write(1, nil)
	require.NoError(t, err)
	require.Equal(t, uint64(1), seq)
	require.Error(t, w.Commit(seq+1), "a seq not yet written")

	require.NoError(t, w.Close())
	requireNoBackground(t)
	_, err = w.Write(1, nil)
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, w.Sync(), ErrClosed)
	_, _, err = w.Segments()
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, w.Truncate(1), ErrClosed)
	_, err = w.Replay(0, nil)
	require.ErrorIs(t, err, ErrClosed)
}

func TestTruncate(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	for i := range 5 {
		writeAll(t, w, []record{{1, []byte{byte(i)}}})
		_, err := w.Cut()
		require.NoError(t, err)
	}
	first, last, err := w.Segments()
	require.NoError(t, err)
	require.Equal(t, 0, first)
	require.Equal(t, 5, last)
	before, err := w.Size()
	require.NoError(t, err)

	require.NoError(t, w.Truncate(3))
	first, last, err = w.Segments()
	require.NoError(t, err)
	require.Equal(t, []int{3, 5}, []int{first, last})
	names, err := fs.List(testDir)
	require.NoError(t, err)
	require.Equal(t, []string{SegmentName(3), SegmentName(4), SegmentName(5)}, names)
	after, err := w.Size()
	require.NoError(t, err)
	require.Less(t, after, before)

	require.NoError(t, w.Truncate(2), "below the oldest is a no-op")
	require.NoError(t, w.Truncate(100), "never deletes the segment being written")
	first, last, err = w.Segments()
	require.NoError(t, err)
	require.Equal(t, []int{5, 5}, []int{first, last})
	writeAll(t, w, []record{{2, []byte("after")}})
	require.NoError(t, w.Close())

	// The deletions are durable: a crash clone sees them.
	got, _, err := replayAll(t, fs.CrashClone())
	require.NoError(t, err)
	requireRecords(t, []record{{2, []byte("after")}}, got)
}

func TestMissingSegment(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	for range 3 {
		writeAll(t, w, []record{{1, []byte("x")}})
		_, err := w.Cut()
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	require.NoError(t, fs.Remove(segPath(1)))
	_, _, err := replayAll(t, fs)
	var ce *CorruptionError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 1, ce.Segment)
}

func TestOptions(t *testing.T) {
	d := DefaultOptions()
	require.Equal(t, int64(64<<20), d.SegmentSize)
	require.Equal(t, SyncInterval, d.Sync)
	require.Equal(t, time.Second, d.SyncInterval)
	require.Equal(t, 256<<10, d.BufferSize)
	require.NotNil(t, d.FS)
	require.NotNil(t, d.Logger)

	r, err := (*Options)(nil).resolve()
	require.NoError(t, err)
	require.Equal(t, d.SegmentSize, r.SegmentSize)

	caller := &Options{FS: vfs.NewMem(), SegmentSize: MinSegmentSize}
	saved := *caller
	w, err := Open(testDir, caller)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.Equal(t, saved, *caller, "Open never changes the caller's options")

	for name, o := range map[string]Options{
		"segment too small": {SegmentSize: MinSegmentSize - 1},
		"segment too large": {SegmentSize: MaxSegmentSize + 1},
		"negative segment":  {SegmentSize: -1},
		"sync policy":       {Sync: SyncNever + 1},
		"negative interval": {SyncInterval: -time.Second},
		"tiny buffer":       {BufferSize: MinBufferSize - 1},
		"negative buffer":   {BufferSize: -1},
	} {
		o.FS = vfs.NewMem()
		_, err := Open(testDir, &o)
		require.ErrorIs(t, err, ErrInvalidOptions, name)
	}
}

func TestSyncPolicyStrings(t *testing.T) {
	for _, p := range []SyncPolicy{SyncInterval, SyncAlways, SyncNever} {
		got, err := ParseSyncPolicy(p.String())
		require.NoError(t, err)
		require.Equal(t, p, got)
	}
	got, err := ParseSyncPolicy("ALWAYS")
	require.NoError(t, err)
	require.Equal(t, SyncAlways, got)
	_, err = ParseSyncPolicy("sometimes")
	require.ErrorIs(t, err, ErrInvalidOptions)
	require.Equal(t, "SyncPolicy(9)", SyncPolicy(9).String())
	require.Equal(t, "interval", SyncPolicy(0).String(), "the zero value is the default")
}

func TestSegmentNames(t *testing.T) {
	require.Equal(t, "00000042", SegmentName(42))
	require.Equal(t, "123456789", SegmentName(123456789))
	for name, want := range map[string]int{"00000000": 0, "00000042": 42, "123456789": 123456789} {
		got, ok := ParseSegmentName(name)
		require.True(t, ok, name)
		require.Equal(t, want, got)
	}
	for _, name := range []string{"0000042", "000000042", "0000004x", "00000042.tmp", "", "LOCK", "99999999999"} {
		_, ok := ParseSegmentName(name)
		require.False(t, ok, name)
	}
}

func TestIntervalSyncsInBackground(t *testing.T) {
	fs := &wrapFS{FS: vfs.NewMem()}
	w, _, _ := openWAL(t, fs, &Options{SyncInterval: 5 * time.Millisecond})
	base := fs.syncs.Load()
	seq, err := w.Write(1, []byte("x"))
	require.NoError(t, err)
	require.NoError(t, w.Commit(seq), "returns at once")
	require.Eventually(t, func() bool { return fs.syncs.Load() > base }, 5*time.Second, time.Millisecond)
	// Nothing new: no more fsyncs.
	time.Sleep(30 * time.Millisecond)
	n := fs.syncs.Load()
	time.Sleep(30 * time.Millisecond)
	require.Equal(t, n, fs.syncs.Load())
}

func TestNeverFlushesButDoesNotSync(t *testing.T) {
	mem := vfs.NewMem()
	fs := &wrapFS{FS: mem}
	w, _, _ := openWAL(t, fs, &Options{Sync: SyncNever, SyncInterval: 5 * time.Millisecond})
	base := fs.syncs.Load()
	_, err := w.Write(1, []byte("x"))
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		fi, err := mem.Stat(segPath(0))
		return err == nil && fi.Size() > SegmentHeaderSize
	}, 5*time.Second, time.Millisecond, "the buffer reaches the OS")
	require.Equal(t, base, fs.syncs.Load())
	require.NoError(t, w.Sync())
	require.Equal(t, base+1, fs.syncs.Load(), "Sync still fsyncs")
}
