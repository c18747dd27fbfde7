package wal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

const testDir = "/wal"

// record is one record as the tests model it.
type record struct {
	typ     RecordType
	payload []byte
}

// quietLogger discards log output; tests that care about logs count them.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// openWAL opens and replays a log, failing the test on error, and closes it
// (checking for a leaked background goroutine) at cleanup.
func openWAL(t testing.TB, fs vfs.FS, opts *Options) (*WAL, []record, ReplayStats) {
	t.Helper()
	o := Options{}
	if opts != nil {
		o = *opts
	}
	o.FS = fs
	if o.Logger == nil {
		o.Logger = quietLogger()
	}
	w, err := Open(testDir, &o)
	require.NoError(t, err)
	var recs []record
	stats, err := w.Replay(0, func(typ RecordType, p []byte) error {
		recs = append(recs, record{typ, bytes.Clone(p)})
		return nil
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		w.Close()
		requireNoBackground(t)
	})
	return w, recs, stats
}

// replayAll opens a log and returns its records and the replay outcome.
func replayAll(t testing.TB, fs vfs.FS) ([]record, ReplayStats, error) {
	t.Helper()
	w, err := Open(testDir, &Options{FS: fs, Logger: quietLogger()})
	require.NoError(t, err)
	defer w.Close()
	var recs []record
	stats, err := w.Replay(0, func(typ RecordType, p []byte) error {
		recs = append(recs, record{typ, bytes.Clone(p)})
		return nil
	})
	return recs, stats, err
}

// requireNoBackground fails if a WAL background goroutine is still running.
func requireNoBackground(t testing.TB) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(2 * time.Second); ; {
		n := runtime.Stack(buf, true)
		if !strings.Contains(string(buf[:n]), "wal.(*WAL).background") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("leaked background goroutine:\n%s", buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// payloads returns n records of varied sizes: small, compressible, random.
func payloads(rng *rand.Rand, n, maxLen int) []record {
	recs := make([]record, n)
	for i := range recs {
		p := make([]byte, rng.IntN(maxLen+1))
		switch rng.IntN(3) {
		case 0: // random, incompressible
			for j := range p {
				p[j] = byte(rng.Uint32())
			}
		case 1: // repetitive, compressible
			for j := range p {
				p[j] = byte(j % 7)
			}
		}
		recs[i] = record{RecordType(1 + rng.IntN(int(MaxRecordType))), p}
	}
	return recs
}

func writeAll(t testing.TB, w *WAL, recs []record) {
	t.Helper()
	for _, r := range recs {
		_, err := w.Write(r.typ, r.payload)
		require.NoError(t, err)
	}
}

func requireRecords(t testing.TB, want, got []record) {
	t.Helper()
	require.Equal(t, len(want), len(got), "record count")
	for i := range want {
		require.Equal(t, want[i].typ, got[i].typ, "record %d type", i)
		require.True(t, bytes.Equal(want[i].payload, got[i].payload), "record %d payload", i)
	}
}

func readFile(t testing.TB, fs vfs.FS, name string) []byte {
	t.Helper()
	f, err := fs.Open(name)
	require.NoError(t, err)
	defer f.Close()
	b, err := io.ReadAll(f)
	require.NoError(t, err)
	return b
}

func writeFile(t testing.TB, fs vfs.FS, name string, b []byte) {
	t.Helper()
	f, err := fs.Create(name)
	require.NoError(t, err)
	_, err = f.Write(b)
	require.NoError(t, err)
	require.NoError(t, f.Sync())
	require.NoError(t, f.Close())
}

func segPath(i int) string { return testDir + "/" + SegmentName(i) }

// frameOffsets returns the offset of every frame in a segment's bytes.
func frameOffsets(t testing.TB, seg []byte) []int64 {
	t.Helper()
	r := NewReader(bytes.NewReader(seg))
	var offs []int64
	for r.Next() {
		offs = append(offs, r.Offset())
	}
	require.NoError(t, r.Err())
	return offs
}

// wrapFS wraps an FS so tests can observe and fail file operations. Only
// files are wrapped; directories pass through.
type wrapFS struct {
	vfs.FS
	syncs       atomic.Int64 // successful File.Sync calls on files
	syncDelay   time.Duration
	failWrite   atomic.Bool
	failSync    atomic.Bool
	failedSyncs atomic.Int64
}

var errInjected = errors.New("injected fault")

func (fs *wrapFS) Create(name string) (vfs.File, error) {
	f, err := fs.FS.Create(name)
	if err != nil {
		return nil, err
	}
	return &wrapFile{File: f, fs: fs}, nil
}

type wrapFile struct {
	vfs.File
	fs *wrapFS
}

func (f *wrapFile) Write(p []byte) (int, error) {
	if f.fs.failWrite.Load() {
		// Fail the way a full disk does: part of the data lands.
		n, _ := f.File.Write(p[:len(p)/2])
		return n, fmt.Errorf("write: %w", errInjected)
	}
	return f.File.Write(p)
}

func (f *wrapFile) Sync() error {
	if f.fs.failSync.Load() {
		f.fs.failedSyncs.Add(1)
		return fmt.Errorf("fsync: %w", errInjected)
	}
	time.Sleep(f.fs.syncDelay)
	f.fs.syncs.Add(1)
	return f.File.Sync()
}

// concurrently runs fn(g) in n goroutines and waits.
func concurrently(n int, fn func(g int)) {
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() { fn(g) })
	}
	wg.Wait()
}
