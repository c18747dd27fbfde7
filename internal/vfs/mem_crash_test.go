package vfs

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func syncDir(t *testing.T, fs FS, dir string) {
	t.Helper()
	d, err := fs.OpenDir(dir)
	require.NoError(t, err)
	require.NoError(t, d.Sync())
	require.NoError(t, d.Close())
}

func TestCrashCloneDropsUnsyncedBytes(t *testing.T) {
	m := NewMem()
	f, err := m.Create("f")
	require.NoError(t, err)
	syncDir(t, m, "/")
	_, err = f.Write([]byte("synced"))
	require.NoError(t, err)
	require.NoError(t, f.Sync())
	_, err = f.Write([]byte("-lost"))
	require.NoError(t, err)

	c := m.CrashClone()
	require.Equal(t, "synced", readFile(t, c, "f"))
	require.Equal(t, "synced-lost", readFile(t, m, "f"), "the original is unchanged")

	// The clone is independent and fully durable.
	writeFile(t, c, "f", "clone")
	require.Equal(t, "synced-lost", readFile(t, m, "f"))
	require.Equal(t, "clone", readFile(t, c.CrashClone(), "f"))
}

func TestCrashCloneSyncTracksOverwrites(t *testing.T) {
	m := NewMem()
	writeFile(t, m, "f", "abcdef")
	syncDir(t, m, "/")
	f, err := m.OpenReadWrite("f")
	require.NoError(t, err)
	_, err = f.Write([]byte("XY"))
	require.NoError(t, err)
	require.Equal(t, "abcdef", readFile(t, m.CrashClone(), "f"))
	require.NoError(t, f.Sync())
	require.Equal(t, "XYcdef", readFile(t, m.CrashClone(), "f"))
	require.NoError(t, f.Truncate(3))
	require.Equal(t, "XYcdef", readFile(t, m.CrashClone(), "f"))
	require.NoError(t, f.Sync())
	require.Equal(t, "XYc", readFile(t, m.CrashClone(), "f"))
	require.NoError(t, f.Close())
}

func TestCrashCloneDirectoryEntries(t *testing.T) {
	m := NewMem()
	require.NoError(t, m.MkdirAll("/d", 0o755))

	// Synced file bytes do not help while the entry itself is not durable.
	writeFile(t, m, "/d/new", "data")
	_, err := m.CrashClone().Stat("/d")
	require.ErrorIs(t, err, os.ErrNotExist, "d itself was never made durable in /")
	syncDir(t, m, "/")
	_, err = m.CrashClone().Stat("/d/new")
	require.ErrorIs(t, err, os.ErrNotExist)
	syncDir(t, m, "/d")
	require.Equal(t, "data", readFile(t, m.CrashClone(), "/d/new"))

	// Rename and remove revert until the directory is synced.
	require.NoError(t, m.Rename("/d/new", "/d/renamed"))
	c := m.CrashClone()
	require.Equal(t, "data", readFile(t, c, "/d/new"))
	_, err = c.Stat("/d/renamed")
	require.ErrorIs(t, err, os.ErrNotExist)
	syncDir(t, m, "/d")
	require.Equal(t, "data", readFile(t, m.CrashClone(), "/d/renamed"))

	require.NoError(t, m.Remove("/d/renamed"))
	require.Equal(t, "data", readFile(t, m.CrashClone(), "/d/renamed"))
	syncDir(t, m, "/d")
	names, err := m.CrashClone().List("/d")
	require.NoError(t, err)
	require.Empty(t, names)
}

func TestCrashCloneHoldsNoLocks(t *testing.T) {
	m := NewMem()
	l, err := m.Lock("LOCK")
	require.NoError(t, err)
	defer l.Close()
	l2, err := m.CrashClone().Lock("LOCK")
	require.NoError(t, err)
	require.NoError(t, l2.Close())
}

func TestCrashCloneWithKeepsPrefix(t *testing.T) {
	seed := uint64(1)
	rng := rand.New(rand.NewPCG(seed, seed))
	const synced, all = "0123456789", "0123456789abcdefghij"
	seen := map[int]bool{}
	for range 200 {
		m := NewMem()
		f, err := m.Create("f")
		require.NoError(t, err)
		syncDir(t, m, "/")
		_, err = f.Write([]byte(synced))
		require.NoError(t, err)
		require.NoError(t, f.Sync())
		_, err = f.Write([]byte(all[len(synced):]))
		require.NoError(t, err)

		got := readFile(t, m.CrashCloneWith(rng), "f")
		require.GreaterOrEqual(t, len(got), len(synced))
		require.Equal(t, all[:len(got)], got, "seed %d", seed)
		seen[len(got)] = true
	}
	require.True(t, seen[len(synced)] && seen[len(all)], "both extremes should occur: %v", seen)
}

func TestCrashCloneWithDirectoryEitherState(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	var kept, lost int
	for range 100 {
		m := NewMem()
		writeFile(t, m, "f", "x") // synced bytes, unsynced entry
		if _, err := m.CrashCloneWith(rng).Stat("f"); err == nil {
			kept++
		} else {
			require.ErrorIs(t, err, os.ErrNotExist)
			lost++
		}
	}
	require.Positive(t, kept)
	require.Positive(t, lost)
}

func TestMemFSConcurrent(t *testing.T) {
	m := NewMem()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("f%d", g)
			f, err := m.Create(name)
			if !assert.NoError(t, err) {
				return
			}
			for range 100 {
				_, err := f.Write([]byte("0123456789"))
				assert.NoError(t, err)
				assert.NoError(t, f.Sync())
				_ = m.CrashClone()
			}
			assert.NoError(t, f.Close())
		})
	}
	wg.Wait()
	for g := range 8 {
		fi, err := m.Stat(fmt.Sprintf("f%d", g))
		require.NoError(t, err)
		require.Equal(t, int64(1000), fi.Size())
	}
}
