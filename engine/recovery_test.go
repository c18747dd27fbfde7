package engine

import (
	"encoding/binary"
	"hash/crc32"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/wal"
)

// lastSegment returns the path and size of the newest non-empty WAL segment.
func lastSegment(t *testing.T, fs vfs.FS) (string, int64) {
	t.Helper()
	dir := filepath.Join("/db", walDirName)
	names, err := fs.List(dir)
	require.NoError(t, err)
	for i := len(names) - 1; i >= 0; i-- {
		fi, err := fs.Stat(filepath.Join(dir, names[i]))
		require.NoError(t, err)
		if fi.Size() > 64 {
			return filepath.Join(dir, names[i]), fi.Size()
		}
	}
	t.Fatal("no WAL segment with records")
	return "", 0
}

// TestTornTailEveryOffset cuts the log inside its last record at every byte
// offset: reopen must succeed with exactly the earlier records.
func TestTornTailEveryOffset(t *testing.T) {
	base := vfs.NewMem()
	db := openMem(t, base, &Options{Sync: SyncAlways})
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	for s := range int64(20) {
		require.NoError(t, db.Log("r", s, s, map[string]float64{"a": float64(s), "b": 1}, nil))
	}
	require.NoError(t, db.Close())
	seg, full := lastSegment(t, base)
	// The last record (step 19) is small; find its start by logging one
	// record fewer in a second store.
	short := vfs.NewMem()
	db2 := openMem(t, short, &Options{Sync: SyncAlways})
	_, err = db2.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	for s := range int64(19) {
		require.NoError(t, db2.Log("r", s, s, map[string]float64{"a": float64(s), "b": 1}, nil))
	}
	require.NoError(t, db2.Close())
	_, recStart := lastSegment(t, short)
	require.Less(t, recStart, full)

	for cut := recStart; cut < full; cut++ {
		fs := base.CrashClone() // a copy; everything was synced
		f, err := fs.OpenReadWrite(seg)
		require.NoError(t, err)
		require.NoError(t, f.Truncate(cut))
		require.NoError(t, f.Close())
		db := openMem(t, fs, nil)
		pts := readAll(t, db, mustRef(t, db, "r", "a", nil))
		require.Len(t, pts, 19, "cut at %d", cut)
		if cut > recStart {
			require.Equal(t, 1, db.Replayed().WAL.TornTails, "cut at %d", cut)
		}
		// The store keeps working after the repair.
		require.NoError(t, db.Log("r", 19, 19, map[string]float64{"a": 19}, nil))
		require.NoError(t, db.Close())
		db = openMem(t, fs, nil)
		require.Len(t, readAll(t, db, mustRef(t, db, "r", "a", nil)), 20)
		require.NoError(t, db.Close())
	}
}

// TestCorruptionInTheMiddle flips a byte in an early record: Open must fail
// with ErrCorrupt naming the segment, not silently drop data.
func TestCorruptionInTheMiddle(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{Sync: SyncAlways})
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	for s := range int64(200) {
		require.NoError(t, db.Log("r", s, s, map[string]float64{"a": float64(s)}, nil))
	}
	require.NoError(t, db.Close())
	seg, size := lastSegment(t, fs)
	f, err := fs.OpenReadWrite(seg)
	require.NoError(t, err)
	buf := make([]byte, size)
	_, err = f.ReadAt(buf, 0)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(0))
	buf[size/2] ^= 0x40
	_, err = f.Write(buf)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, err = Open("/db", &Options{FS: fs})
	require.ErrorIs(t, err, ErrCorrupt)
	require.Contains(t, err.Error(), filepath.Base(seg))
}

// TestCorruptionInMiddleSegment damages a segment that is not the newest:
// that can never be a torn tail, so Open reports it with the segment and
// offset instead of dropping what follows.
func TestCorruptionInMiddleSegment(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{Sync: SyncNever, WALSegmentSize: 64 << 10})
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	for s := range int64(20000) {
		require.NoError(t, db.Log("r", s, s, map[string]float64{"a": float64(s) * 1.1, "b": float64(s)}, nil))
	}
	require.NoError(t, db.Close())
	dir := filepath.Join("/db", walDirName)
	names, err := fs.List(dir)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(names), 3)
	seg := filepath.Join(dir, names[1])
	f, err := fs.OpenReadWrite(seg)
	require.NoError(t, err)
	fi, err := f.Stat()
	require.NoError(t, err)
	buf := make([]byte, fi.Size())
	_, err = f.ReadAt(buf, 0)
	require.NoError(t, err)
	buf[len(buf)/2] ^= 0x01
	require.NoError(t, f.Truncate(0))
	_, err = f.Write(buf)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	_, err = Open("/db", &Options{FS: fs})
	require.ErrorIs(t, err, ErrCorrupt)
	var ce *wal.CorruptionError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 1, ce.Segment)
	require.Greater(t, ce.Offset, int64(0))
	require.LessOrEqual(t, ce.Offset, int64(len(buf)/2))
}

// TestNewerWALVersionRefused: a WAL segment from a newer trackdb is refused
// with ErrFormatVersion, not read as damage and cut.
func TestNewerWALVersionRefused(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, nil)
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	names, err := fs.List("/db/wal")
	require.NoError(t, err)
	seg := filepath.Join("/db/wal", names[0])
	b, err := readWholeFile(fs, seg)
	require.NoError(t, err)
	b[4] = 9
	binary.LittleEndian.PutUint32(b[12:16], crc32.Checksum(b[:12], castagnoli))
	require.NoError(t, writeFileSynced(fs, seg, b))
	_, err = Open("/db", &Options{FS: fs})
	require.ErrorIs(t, err, ErrFormatVersion)
	after, err := readWholeFile(fs, seg)
	require.NoError(t, err)
	require.Equal(t, b, after, "nothing cut")
}
