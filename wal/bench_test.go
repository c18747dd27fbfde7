package wal

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/trackdb/trackdb/internal/vfs"
)

// benchPayload returns a payload shaped like an engine record: varint-ish
// series refs and float32-derived values, which snappy barely shrinks; or,
// if compressible, text-like repetition that it shrinks well.
func benchPayload(size int, compressible bool) []byte {
	if compressible {
		return bytes.Repeat([]byte("val/acc=0.9123 "), size/15+1)[:size]
	}
	rng := rand.New(rand.NewPCG(1, 2))
	p := make([]byte, size)
	for i := 0; i+8 <= size; i += 8 {
		binary.LittleEndian.PutUint64(p[i:], math.Float64bits(float64(rng.Float32())))
	}
	return p
}

func benchOpen(b *testing.B, dir string, opts Options) *WAL {
	b.Helper()
	opts.Logger = quietLogger()
	w, err := Open(dir, &opts)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.Replay(0, nil); err != nil {
		b.Fatal(err)
	}
	return w
}

func BenchmarkWrite(b *testing.B) {
	for _, tc := range []struct {
		size         int
		compressible bool
	}{{130, false}, {4096, false}, {4096, true}} {
		p := benchPayload(tc.size, tc.compressible)
		name := fmt.Sprintf("size=%d/compressible=%t", tc.size, tc.compressible)
		b.Run(name+"/serial", func(b *testing.B) {
			w := benchOpen(b, b.TempDir(), Options{})
			defer w.Close()
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := w.Write(1, p); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/parallel", func(b *testing.B) {
			w := benchOpen(b, b.TempDir(), Options{})
			defer w.Close()
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := w.Write(1, p); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkCommitAlways(b *testing.B) {
	for _, par := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("goroutines=%dxGOMAXPROCS", par), func(b *testing.B) {
			fs := &wrapFS{FS: vfs.Default}
			w := benchOpen(b, b.TempDir(), Options{FS: fs, Sync: SyncAlways})
			defer w.Close()
			p := benchPayload(130, false)
			base := fs.syncs.Load()
			b.SetBytes(int64(len(p)))
			b.SetParallelism(par)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					seq, err := w.Write(1, p)
					if err == nil {
						err = w.Commit(seq)
					}
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/float64(max(1, fs.syncs.Load()-base)), "commits/fsync")
		})
	}
}

func BenchmarkReplay(b *testing.B) {
	const logBytes = 64 << 20
	for _, tc := range []struct {
		size         int
		compressible bool
	}{{130, false}, {4096, true}} {
		p := benchPayload(tc.size, tc.compressible)
		name := fmt.Sprintf("size=%d/compressible=%t", tc.size, tc.compressible)
		dir := b.TempDir()
		w := benchOpen(b, dir, Options{})
		var payloadBytes int64 // MB/s counts decoded record bytes
		for n := 0; n < logBytes; n += len(p) {
			if _, err := w.Write(1, p); err != nil {
				b.Fatal(err)
			}
			payloadBytes += int64(len(p))
		}
		_, last, err := w.Segments()
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		fileBytes := dirBytes(b, dir)

		b.Run(name+"/wal", func(b *testing.B) {
			b.SetBytes(payloadBytes)
			b.ReportMetric(float64(fileBytes)/float64(payloadBytes), "file/payload")
			b.ReportAllocs()
			for b.Loop() {
				w, err := Open(dir, &Options{Logger: quietLogger()})
				if err != nil {
					b.Fatal(err)
				}
				records := 0
				if _, err := w.Replay(0, func(RecordType, []byte) error { records++; return nil }); err != nil {
					b.Fatal(err)
				}
				w.Close()
				// Keep the log as it was: drop the fresh segment Replay made.
				b.StopTimer()
				if err := os.Remove(filepath.Join(dir, SegmentName(last+1))); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
		b.Run(name+"/reader", func(b *testing.B) {
			seg, err := os.ReadFile(filepath.Join(dir, SegmentName(0)))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var r Reader
			var n int64
			for r.reset(bytes.NewReader(seg), make([]byte, replayBufSize), -1); r.Next(); {
				_, p := r.Record()
				n += int64(len(p))
			}
			b.SetBytes(n)
			buf := make([]byte, replayBufSize)
			for b.Loop() {
				r.reset(bytes.NewReader(seg), buf, -1)
				for r.Next() {
				}
				if r.Err() != nil {
					b.Fatal(r.Err())
				}
				buf = r.buf
			}
		})
	}
}

func dirBytes(b *testing.B, dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			b.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}
