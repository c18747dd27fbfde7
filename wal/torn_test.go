package wal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"log/slog"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// tornFixture writes records into one segment and returns its bytes and the
// offset of the last frame.
func tornFixture(t *testing.T, last record) (want []record, seg []byte, lastOff int64) {
	t.Helper()
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	want = []record{{1, []byte("first")}, {2, bytes.Repeat([]byte("ab"), 200)}, {3, []byte("third")}, last}
	writeAll(t, w, want)
	require.NoError(t, w.Close())
	seg = readFile(t, fs, segPath(0))
	offs := frameOffsets(t, seg)
	return want, seg, offs[len(offs)-1]
}

// replayDamaged replays a log whose only segment holds seg.
func replayDamaged(t *testing.T, seg []byte) (*vfs.MemFS, []record, ReplayStats, error) {
	t.Helper()
	fs := vfs.NewMem()
	require.NoError(t, fs.MkdirAll(testDir, 0o755))
	writeFile(t, fs, segPath(0), seg)
	syncDirs(t, fs)
	recs, stats, err := replayAll(t, fs)
	return fs, recs, stats, err
}

// syncDirs makes the test directory's entries durable.
func syncDirs(t *testing.T, fs vfs.FS) {
	t.Helper()
	for _, dir := range []string{"/", testDir} {
		d, err := fs.OpenDir(dir)
		require.NoError(t, err)
		require.NoError(t, d.Sync())
		require.NoError(t, d.Close())
	}
}

var lastRecords = map[string]record{
	"plain":      {7, []byte("the last record, stored as is")},
	"compressed": {7, bytes.Repeat([]byte("compressible "), 40)},
}

func TestTornWriteAtEveryOffset(t *testing.T) {
	for name, last := range lastRecords {
		t.Run(name, func(t *testing.T) {
			want, seg, lastOff := tornFixture(t, last)
			for cut := lastOff; cut < int64(len(seg)); cut++ {
				fs, got, stats, err := replayDamaged(t, seg[:cut])
				require.NoError(t, err, "cut at %d", cut)
				requireRecords(t, want[:len(want)-1], got)
				if cut == lastOff {
					require.Zero(t, stats.TornTails, "a cut on a frame boundary is a clean end")
					continue
				}
				require.Equal(t, 1, stats.TornTails, "cut at %d", cut)
				require.Equal(t, cut-lastOff, stats.TruncatedBytes)
				require.Equal(t, seg[:lastOff], readFile(t, fs, segPath(0)), "the segment is cut at the last good frame")
				// The repair is durable, and replaying again finds a clean log.
				got, stats, err = replayAll(t, fs.CrashClone())
				require.NoError(t, err)
				requireRecords(t, want[:len(want)-1], got)
				require.Zero(t, stats.TornTails)
			}
		})
	}
}

func TestZeroFilledTailAtEveryOffset(t *testing.T) {
	for name, last := range lastRecords {
		t.Run(name, func(t *testing.T) {
			want, seg, lastOff := tornFixture(t, last)
			// Zeroing bytes that already are zero damages nothing.
			end := int64(len(bytes.TrimRight(seg, "\x00")))
			for from := lastOff; from < end; from++ {
				damaged := bytes.Clone(seg)
				clear(damaged[from:])
				// Some file systems also extend the file with zeros.
				damaged = append(damaged, make([]byte, 100)...)
				fs, got, stats, err := replayDamaged(t, damaged)
				require.NoError(t, err, "zeros from %d", from)
				requireRecords(t, want[:len(want)-1], got)
				require.Equal(t, 1, stats.TornTails)
				require.Equal(t, int64(len(damaged))-lastOff, stats.TruncatedBytes)
				require.Equal(t, seg[:lastOff], readFile(t, fs, segPath(0)))
			}
		})
	}
}

func TestZeroFilledAfterCleanEnd(t *testing.T) {
	want, seg, _ := tornFixture(t, lastRecords["plain"])
	_, got, stats, err := replayDamaged(t, append(bytes.Clone(seg), make([]byte, 4096)...))
	require.NoError(t, err)
	requireRecords(t, want, got)
	require.Equal(t, 1, stats.TornTails)
	require.Equal(t, int64(4096), stats.TruncatedBytes)
}

func TestFlippedByteInFinalRecordIsTorn(t *testing.T) {
	for name, last := range lastRecords {
		t.Run(name, func(t *testing.T) {
			want, seg, lastOff := tornFixture(t, last)
			for pos := lastOff; pos < int64(len(seg)); pos++ {
				if pos >= lastOff+4 && pos < lastOff+8 {
					// A damaged length makes the frame end elsewhere than
					// at EOF; see TestDamagedLengthInFinalRecord.
					continue
				}
				damaged := bytes.Clone(seg)
				damaged[pos] ^= 0x40
				_, got, stats, err := replayDamaged(t, damaged)
				require.NoError(t, err, "flip at %d", pos)
				requireRecords(t, want[:len(want)-1], got)
				require.Equal(t, 1, stats.TornTails)
			}
		})
	}
}

// The documented blind spot and its counterpart: a length pointing past
// EOF reads as truncated (torn); one pointing inside the file leaves
// non-zero bytes after the frame's claimed end (corruption).
func TestDamagedLengthInFinalRecord(t *testing.T) {
	want, seg, lastOff := tornFixture(t, lastRecords["plain"])
	n := binary.LittleEndian.Uint32(seg[lastOff+4:])

	longer := bytes.Clone(seg)
	binary.LittleEndian.PutUint32(longer[lastOff+4:], n+1)
	_, got, stats, err := replayDamaged(t, longer)
	require.NoError(t, err)
	requireRecords(t, want[:len(want)-1], got)
	require.Equal(t, 1, stats.TornTails)

	shorter := bytes.Clone(seg)
	binary.LittleEndian.PutUint32(shorter[lastOff+4:], n-1)
	_, _, _, err = replayDamaged(t, shorter)
	var ce *CorruptionError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, lastOff, ce.Offset)
}

func TestCorruptionInLastSegmentFollowedByData(t *testing.T) {
	_, seg, _ := tornFixture(t, lastRecords["plain"])
	offs := frameOffsets(t, seg)
	damaged := bytes.Clone(seg)
	damaged[offs[1]+FrameHeaderSize+3] ^= 1 // payload of the second record
	fs, got, _, err := replayDamaged(t, damaged)
	var ce *CorruptionError
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, ErrCorrupt)
	require.Equal(t, 0, ce.Segment)
	require.Equal(t, offs[1], ce.Offset)
	require.Contains(t, err.Error(), testDir+"/"+SegmentName(0))
	require.Len(t, got, 1)
	require.Equal(t, damaged, readFile(t, fs, segPath(0)), "corruption is reported, never cut")
}

func TestCorruptionInMiddleSegment(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, &Options{SegmentSize: MinSegmentSize, BufferSize: MinBufferSize})
	writeAll(t, w, payloads(rand.New(rand.NewPCG(5, 5)), 2000, 300))
	_, last, err := w.Segments()
	require.NoError(t, err)
	require.GreaterOrEqual(t, last, 3)
	require.NoError(t, w.Close())

	seg := readFile(t, fs, segPath(1))
	offs := frameOffsets(t, seg)
	for _, tc := range []struct {
		name   string
		damage func(b []byte) []byte
		offset int64
	}{
		{"flipped payload byte", func(b []byte) []byte { b[offs[5]+FrameHeaderSize] ^= 0x80; return b }, offs[5]},
		{"flipped checksum", func(b []byte) []byte { b[offs[9]] ^= 1; return b }, offs[9]},
		{"zeroed tail", func(b []byte) []byte { clear(b[offs[7]:]); return b }, offs[7]},
		{"truncated", func(b []byte) []byte { return b[:offs[3]+5] }, offs[3]},
		{"bad header", func(b []byte) []byte { b[0] = 'X'; return b }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			damaged := vfs.NewMem()
			require.NoError(t, damaged.MkdirAll(testDir, 0o755))
			for i := 0; i <= last; i++ {
				b := readFile(t, fs, segPath(i))
				if i == 1 {
					b = tc.damage(b)
				}
				writeFile(t, damaged, segPath(i), b)
			}
			_, _, err := replayAll(t, damaged)
			var ce *CorruptionError
			require.ErrorAs(t, err, &ce)
			require.ErrorIs(t, err, ErrCorrupt)
			require.Equal(t, 1, ce.Segment)
			require.Equal(t, tc.offset, ce.Offset)
			require.Equal(t, testDir, ce.Dir)
		})
	}
}

func TestTornHeaderOfNewestSegment(t *testing.T) {
	for name, header := range map[string][]byte{
		"empty":       {},
		"partial":     {'T', 'D', 'B'},
		"zeros":       make([]byte, SegmentHeaderSize+50),
		"bad crc end": append([]byte("TDBW\x01\x00\x00\x00\x01\x00\x00\x00"), 0, 0, 0, 0),
	} {
		t.Run(name, func(t *testing.T) {
			fs := vfs.NewMem()
			w, _, _ := openWAL(t, fs, nil)
			writeAll(t, w, []record{{1, []byte("kept")}})
			require.NoError(t, w.Close())
			writeFile(t, fs, segPath(1), header)

			got, stats, err := replayAll(t, fs)
			require.NoError(t, err)
			requireRecords(t, []record{{1, []byte("kept")}}, got)
			require.Equal(t, 1, stats.TornTails)
			require.Equal(t, int64(len(header)), stats.TruncatedBytes)
			// The torn segment was replaced by the fresh one, so the log
			// stays contiguous and clean.
			got, stats, err = replayAll(t, fs)
			require.NoError(t, err)
			requireRecords(t, []record{{1, []byte("kept")}}, got)
			require.Zero(t, stats.TornTails)
		})
	}
}

func TestHeaderErrors(t *testing.T) {
	header := func(mutate func(h []byte)) []byte {
		h := make([]byte, SegmentHeaderSize)
		putSegmentHeader(h, 0)
		mutate(h)
		binary.LittleEndian.PutUint32(h[12:], crc32.Checksum(h[:12], castagnoli))
		return h
	}
	for name, tc := range map[string]struct {
		h    []byte
		want error
	}{
		"newer version":  {header(func(h []byte) { h[4] = FormatVersion + 1 }), ErrUnsupportedVersion},
		"version zero":   {header(func(h []byte) { h[4] = 0 }), ErrCorrupt},
		"reserved bytes": {header(func(h []byte) { h[6] = 1 }), ErrCorrupt},
		"wrong index":    {header(func(h []byte) { h[8] = 9 }), ErrCorrupt},
	} {
		t.Run(name, func(t *testing.T) {
			// A header whose checksum holds is never a torn write, even as
			// the whole of the newest segment.
			_, _, _, err := replayDamaged(t, tc.h)
			require.ErrorIs(t, err, tc.want)
			require.Contains(t, err.Error(), SegmentName(0))
		})
	}
}

func TestTornTailIsLogged(t *testing.T) {
	_, seg, lastOff := tornFixture(t, lastRecords["plain"])
	fs := vfs.NewMem()
	require.NoError(t, fs.MkdirAll(testDir, 0o755))
	writeFile(t, fs, segPath(0), seg[:lastOff+3])
	var logs bytes.Buffer
	w, err := Open(testDir, &Options{FS: fs, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	defer w.Close()
	_, err = w.Replay(0, nil)
	require.NoError(t, err)
	require.Contains(t, logs.String(), "torn tail")
	require.Contains(t, logs.String(), SegmentName(0))
}

func TestTornTailCutEvenWhenNotReplayed(t *testing.T) {
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	writeAll(t, w, []record{{1, []byte("old")}})
	_, err := w.Cut()
	require.NoError(t, err)
	writeAll(t, w, []record{{1, []byte("new")}, {1, []byte("torn")}})
	require.NoError(t, w.Close())
	seg := readFile(t, fs, segPath(1))
	writeFile(t, fs, segPath(1), seg[:len(seg)-2])

	w, err = Open(testDir, &Options{FS: fs, Logger: quietLogger()})
	require.NoError(t, err)
	stats, err := w.Replay(5, func(RecordType, []byte) error { return errors.New("nothing is delivered") })
	require.NoError(t, err)
	require.Equal(t, 1, stats.TornTails)
	require.Zero(t, stats.Records)
	require.NoError(t, w.Close())

	got, _, err := replayAll(t, fs)
	require.NoError(t, err)
	requireRecords(t, []record{{1, []byte("old")}, {1, []byte("new")}}, got)
}
