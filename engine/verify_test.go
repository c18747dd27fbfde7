package engine

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// TestVerifyFindsEveryFlippedByte flips each byte of each block file in
// turn: Verify must report a problem naming that file every time.
func TestVerifyFindsEveryFlippedByte(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{ChunkSamples: 16, FlushPoints: -1})
	for _, r := range []string{"a", "b"} {
		_, err := db.CreateRun(RunSpec{ID: r, Params: map[string]any{"lr": 0.1}, Tags: map[string]string{"k": "v"}})
		require.NoError(t, err)
	}
	logSome(t, db, []string{"a", "b"}, 0, 40)
	require.NoError(t, db.Compact())
	require.NoError(t, db.Close())

	rep, err := Verify("/db", &Options{FS: fs})
	require.NoError(t, err)
	require.True(t, rep.OK(), "%v", rep.Problems)
	require.Equal(t, 1, rep.Blocks)
	require.Equal(t, int64(2*40*2+4), rep.Points)

	names, err := fs.List("/db/blocks")
	require.NoError(t, err)
	require.Len(t, names, 1)
	for _, file := range []string{blockMetaName, blockIndexName, blockChunksName, blockPostingsName} {
		path := filepath.Join("/db/blocks", names[0], file)
		orig, err := readWholeFile(fs, path)
		require.NoError(t, err)
		for i := range orig {
			c := fs.CrashClone()
			flipped := append([]byte(nil), orig...)
			flipped[i] ^= 0x10
			require.NoError(t, writeFileSynced(c, path, flipped))
			rep, err := Verify("/db", &Options{FS: c})
			require.NoError(t, err)
			require.False(t, rep.OK(), "%s byte %d flipped: not found", file, i)
			require.Contains(t, rep.Problems[0].String(), names[0], "%s byte %d", file, i)
		}
	}
}

func TestVerifyReportsWALDamage(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{WALSegmentSize: 64 << 10, FlushPoints: -1, Sync: SyncNever})
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	for s := range int64(20000) {
		require.NoError(t, db.Log("r", s, s, map[string]float64{"a": float64(s) * 1.1}, nil))
	}
	require.NoError(t, db.Close())
	names, err := fs.List("/db/wal")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(names), 3)
	path := filepath.Join("/db/wal", names[1])
	b, err := readWholeFile(fs, path)
	require.NoError(t, err)
	b[len(b)/2] ^= 1
	require.NoError(t, writeFileSynced(fs, path, b))
	rep, err := Verify("/db", &Options{FS: fs})
	require.NoError(t, err)
	require.False(t, rep.OK())
	require.Equal(t, path, rep.Problems[0].File)
	require.Positive(t, rep.Problems[0].Offset)
}
