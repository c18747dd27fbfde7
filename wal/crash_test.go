package wal

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// requirePrefix checks that got is a prefix of want at least min long.
func requirePrefix(t *testing.T, want, got []record, min int, msgAndArgs ...any) {
	t.Helper()
	require.GreaterOrEqual(t, len(got), min, msgAndArgs...)
	require.LessOrEqual(t, len(got), len(want), msgAndArgs...)
	requireRecords(t, want[:len(got)], got)
}

// Every committed record survives a power cut under SyncAlways, and what
// survives is a prefix of what was written, whatever the crash kept of the
// unsynced bytes. Replaying the repaired log again changes nothing.
func TestCrashSyncAlways(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 7))
		fs := vfs.NewMem()
		w, _, _ := openWAL(t, fs, &Options{Sync: SyncAlways, SegmentSize: MinSegmentSize, BufferSize: MinBufferSize})
		want := payloads(rng, 200+rng.IntN(300), 1500)
		committed := 0
		for i, r := range want {
			seq, err := w.Write(r.typ, r.payload)
			require.NoError(t, err)
			if rng.IntN(4) == 0 {
				require.NoError(t, w.Commit(seq))
				committed = i + 1
			}
		}
		for _, crashed := range []*vfs.MemFS{fs.CrashClone(), fs.CrashCloneWith(rng)} {
			got, _, err := replayAll(t, crashed)
			require.NoError(t, err, "seed %d", seed)
			requirePrefix(t, want, got, committed, "seed %d", seed)

			again, stats, err := replayAll(t, crashed.CrashClone())
			require.NoError(t, err, "seed %d", seed)
			requireRecords(t, got, again)
			require.Zero(t, stats.TornTails, "seed %d: the repair was durable", seed)
		}
		require.NoError(t, w.Close())
	}
}

// Under SyncInterval and SyncNever, Sync is the durability point.
func TestCrashAfterSync(t *testing.T) {
	for _, policy := range []SyncPolicy{SyncInterval, SyncNever} {
		rng := rand.New(rand.NewPCG(8, uint64(policy)))
		fs := vfs.NewMem()
		w, _, _ := openWAL(t, fs, &Options{Sync: policy, SegmentSize: MinSegmentSize})
		want := payloads(rng, 300, 1000)
		writeAll(t, w, want[:200])
		require.NoError(t, w.Sync())
		writeAll(t, w, want[200:])
		got, _, err := replayAll(t, fs.CrashCloneWith(rng))
		require.NoError(t, err)
		requirePrefix(t, want, got, 200, policy.String())
		require.NoError(t, w.Close())
	}
}

// Crashes taken while many goroutines write and commit: every record whose
// Commit returned before the crash is there, and each writer's surviving
// records are a prefix of what it wrote.
func TestCrashConcurrentCommits(t *testing.T) {
	const writers, perWriter = 8, 300
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, &Options{Sync: SyncAlways, SegmentSize: MinSegmentSize, BufferSize: MinBufferSize})
	var acked [writers]atomic.Int64 // records of each writer known durable

	type crash struct {
		fs    *vfs.MemFS
		acked [writers]int64
	}
	var (
		mu      sync.Mutex
		crashes []crash
		stop    = make(chan struct{})
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		rng := rand.New(rand.NewPCG(9, 9))
		for {
			select {
			case <-stop:
				return
			default:
			}
			var c crash
			for g := range writers {
				c.acked[g] = acked[g].Load()
			}
			c.fs = fs.CrashCloneWith(rng)
			mu.Lock()
			crashes = append(crashes, c)
			mu.Unlock()
		}
	}()
	concurrently(writers, func(g int) {
		p := make([]byte, 64)
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
			acked[g].Store(int64(i + 1))
		}
	})
	close(stop)
	<-done
	require.NotEmpty(t, crashes)

	for n, c := range crashes {
		got, _, err := replayAll(t, c.fs)
		require.NoError(t, err, "crash %d", n)
		var next [writers]int64
		for _, r := range got {
			g, i := binary.LittleEndian.Uint32(r.payload), binary.LittleEndian.Uint32(r.payload[4:])
			require.Equal(t, next[g], int64(i), "crash %d: writer %d's records are in order, without holes", n, g)
			next[g]++
		}
		for g := range writers {
			require.GreaterOrEqual(t, next[g], c.acked[g], "crash %d: writer %d lost an acknowledged record", n, g)
		}
	}
	require.NoError(t, w.Close())
	got, _, err := replayAll(t, fs)
	require.NoError(t, err)
	require.Len(t, got, writers*perWriter)
}

// A crash right after a segment was created, before its header was synced
// or with its directory entry lost, leaves a log that opens cleanly.
func TestCrashDuringRollover(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, &Options{SegmentSize: MinSegmentSize})
	want := []record{{1, bytes.Repeat([]byte{1}, 1000)}}
	writeAll(t, w, want)
	_, err := w.Cut()
	require.NoError(t, err)
	require.NoError(t, w.Close())
	// Simulate the half-created segment 2 a crash could leave.
	for _, leftover := range [][]byte{nil, {'T'}, make([]byte, SegmentHeaderSize)} {
		c := fs.CrashClone()
		writeFile(t, c, segPath(2), leftover)
		got, stats, err := replayAll(t, c)
		require.NoError(t, err)
		requireRecords(t, want, got)
		require.Equal(t, 1, stats.TornTails)
	}
}
