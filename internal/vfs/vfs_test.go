package vfs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every FS must pass the same conformance suite, so MemFS cannot drift from
// what the OS does.
func TestConformance(t *testing.T) {
	t.Run("os", func(t *testing.T) { testConformance(t, Default, t.TempDir()) })
	t.Run("mem", func(t *testing.T) { testConformance(t, NewMem(), "/root") })
}

func testConformance(t *testing.T, fs FS, root string) {
	require.NoError(t, fs.MkdirAll(root, 0o755))
	p := func(name string) string { return filepath.Join(root, name) }

	t.Run("create write read", func(t *testing.T) {
		f, err := fs.Create(p("a"))
		require.NoError(t, err)
		n, err := f.Write([]byte("hello world"))
		require.NoError(t, err)
		require.Equal(t, 11, n)
		require.NoError(t, f.Sync())
		fi, err := f.Stat()
		require.NoError(t, err)
		require.Equal(t, int64(11), fi.Size())
		require.Equal(t, "a", fi.Name())
		require.False(t, fi.IsDir())
		require.NoError(t, f.Close())

		r, err := fs.Open(p("a"))
		require.NoError(t, err)
		got, err := io.ReadAll(r)
		require.NoError(t, err)
		require.Equal(t, "hello world", string(got))

		buf := make([]byte, 5)
		n, err = r.ReadAt(buf, 6)
		require.Equal(t, 5, n)
		require.True(t, err == nil || err == io.EOF)
		require.Equal(t, "world", string(buf))
		n, err = r.ReadAt(buf, 8)
		require.Equal(t, 3, n)
		require.ErrorIs(t, err, io.EOF)

		_, err = r.Write([]byte("x"))
		require.Error(t, err, "read-only handle must refuse writes")
		require.NoError(t, r.Close())
	})

	t.Run("create truncates", func(t *testing.T) {
		writeFile(t, fs, p("t"), "long contents")
		writeFile(t, fs, p("t"), "new")
		require.Equal(t, "new", readFile(t, fs, p("t")))
	})

	t.Run("open read write starts at zero", func(t *testing.T) {
		writeFile(t, fs, p("rw"), "abcdef")
		f, err := fs.OpenReadWrite(p("rw"))
		require.NoError(t, err)
		_, err = f.Write([]byte("XY"))
		require.NoError(t, err)
		require.NoError(t, f.Truncate(4))
		require.NoError(t, f.Close())
		require.Equal(t, "XYcd", readFile(t, fs, p("rw")))
	})

	t.Run("truncate grows with zeros", func(t *testing.T) {
		f, err := fs.Create(p("z"))
		require.NoError(t, err)
		_, err = f.Write([]byte("abc"))
		require.NoError(t, err)
		require.NoError(t, f.Truncate(1))
		require.NoError(t, f.Truncate(3))
		require.NoError(t, f.Close())
		require.Equal(t, "a\x00\x00", readFile(t, fs, p("z")))
	})

	t.Run("not exist", func(t *testing.T) {
		_, err := fs.Open(p("missing"))
		require.ErrorIs(t, err, os.ErrNotExist)
		_, err = fs.OpenReadWrite(p("missing"))
		require.ErrorIs(t, err, os.ErrNotExist)
		_, err = fs.Stat(p("missing"))
		require.ErrorIs(t, err, os.ErrNotExist)
		require.ErrorIs(t, fs.Remove(p("missing")), os.ErrNotExist)
		_, err = fs.Create(p("nodir/x"))
		require.ErrorIs(t, err, os.ErrNotExist)
		_, err = fs.List(p("missing"))
		require.ErrorIs(t, err, os.ErrNotExist)
		require.ErrorIs(t, fs.Rename(p("missing"), p("other")), os.ErrNotExist)
		require.NoError(t, fs.RemoveAll(p("missing")))
	})

	t.Run("dirs and list", func(t *testing.T) {
		d := p("dir")
		require.NoError(t, fs.MkdirAll(filepath.Join(d, "sub", "deeper"), 0o755))
		require.NoError(t, fs.MkdirAll(filepath.Join(d, "sub"), 0o755), "MkdirAll is idempotent")
		for _, name := range []string{"b", "a", "c"} {
			writeFile(t, fs, filepath.Join(d, name), name)
		}
		names, err := fs.List(d)
		require.NoError(t, err)
		require.Equal(t, []string{"a", "b", "c", "sub"}, names)

		fi, err := fs.Stat(filepath.Join(d, "sub"))
		require.NoError(t, err)
		require.True(t, fi.IsDir())

		require.Error(t, fs.MkdirAll(filepath.Join(d, "a", "x"), 0o755), "a is a file")
		require.Error(t, fs.Remove(filepath.Join(d, "sub")), "not empty")

		dh, err := fs.OpenDir(d)
		require.NoError(t, err)
		require.NoError(t, dh.Sync())
		require.NoError(t, dh.Close())
		_, err = fs.OpenDir(filepath.Join(d, "a"))
		require.Error(t, err, "OpenDir on a file")

		require.NoError(t, fs.Remove(filepath.Join(d, "a")))
		require.NoError(t, fs.RemoveAll(filepath.Join(d, "sub")))
		names, err = fs.List(d)
		require.NoError(t, err)
		require.Equal(t, []string{"b", "c"}, names)
	})

	t.Run("rename replaces", func(t *testing.T) {
		writeFile(t, fs, p("from"), "new")
		writeFile(t, fs, p("to"), "old")
		require.NoError(t, fs.Rename(p("from"), p("to")))
		require.Equal(t, "new", readFile(t, fs, p("to")))
		_, err := fs.Stat(p("from"))
		require.ErrorIs(t, err, os.ErrNotExist)
	})

	t.Run("open handle survives remove", func(t *testing.T) {
		writeFile(t, fs, p("gone"), "still here")
		f, err := fs.Open(p("gone"))
		require.NoError(t, err)
		require.NoError(t, fs.Remove(p("gone")))
		got, err := io.ReadAll(f)
		require.NoError(t, err)
		require.Equal(t, "still here", string(got))
		require.NoError(t, f.Close())
	})

	t.Run("closed handle", func(t *testing.T) {
		f, err := fs.Create(p("closed"))
		require.NoError(t, err)
		require.NoError(t, f.Close())
		_, err = f.Write([]byte("x"))
		require.ErrorIs(t, err, os.ErrClosed)
	})

	t.Run("lock", func(t *testing.T) {
		l, err := fs.Lock(p("LOCK"))
		require.NoError(t, err)
		_, err = fs.Lock(p("LOCK"))
		require.ErrorIs(t, err, ErrLocked)
		require.NoError(t, l.Close())
		l2, err := fs.Lock(p("LOCK"))
		require.NoError(t, err, "closing releases the lock")
		require.NoError(t, l2.Close())
	})
}

func writeFile(t *testing.T, fs FS, name, contents string) {
	t.Helper()
	f, err := fs.Create(name)
	require.NoError(t, err)
	_, err = f.Write([]byte(contents))
	require.NoError(t, err)
	require.NoError(t, f.Sync())
	require.NoError(t, f.Close())
}

func readFile(t *testing.T, fs FS, name string) string {
	t.Helper()
	f, err := fs.Open(name)
	require.NoError(t, err)
	defer f.Close()
	b, err := io.ReadAll(f)
	require.NoError(t, err)
	return string(b)
}

// A nil *os.File must never escape as a non-nil File.
func TestOSErrorsReturnNilFile(t *testing.T) {
	f, err := Default.Open(filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
	require.Nil(t, f)
	require.True(t, errors.Is(err, os.ErrNotExist))
}
