package vfs

import (
	"errors"
	"io"
	"os"
)

// ErrLocked is returned (wrapped) by [FS.Lock] when another holder, in this
// process or another one, already has the lock.
var ErrLocked = errors.New("trackdb/vfs: lock held by another process")

// File is an open file or directory handle.
//
// Read and Write share one offset, which starts at 0. ReadAt does not move
// it. Sync makes the file's contents durable; on a handle from [FS.OpenDir]
// it makes the directory's entries durable.
type File interface {
	io.Reader
	io.ReaderAt
	io.Writer
	io.Closer
	// Sync flushes the file's data to stable storage.
	Sync() error
	// Stat describes the file.
	Stat() (os.FileInfo, error)
	// Truncate changes the file's size; growing it appends zero bytes.
	Truncate(size int64) error
}

// FS is a file system. Names are slash- or OS-separated paths; errors wrap
// [os.ErrNotExist] and [os.ErrExist] the way package os does, so [errors.Is]
// works on every implementation.
type FS interface {
	// Create creates the named file, or truncates it if it exists, and
	// opens it read-write at offset 0. The parent directory must exist.
	Create(name string) (File, error)
	// Open opens an existing file read-only.
	Open(name string) (File, error)
	// OpenReadWrite opens an existing file read-write. The offset starts
	// at 0, as with os.OpenFile without O_APPEND: a caller that wants to
	// append must first learn the size with Stat and then either use a
	// fresh file or read up to the end.
	OpenReadWrite(name string) (File, error)
	// OpenDir opens a directory so that its Sync makes entries created,
	// renamed or removed in it durable.
	OpenDir(name string) (File, error)
	// Remove removes a file or an empty directory.
	Remove(name string) error
	// RemoveAll removes name and everything below it; a missing name is
	// not an error.
	RemoveAll(name string) error
	// Rename moves oldname to newname, atomically replacing a file that
	// newname names.
	Rename(oldname, newname string) error
	// MkdirAll creates dir and any missing parents.
	MkdirAll(dir string, perm os.FileMode) error
	// List returns the names (not paths) of dir's entries, sorted.
	List(dir string) ([]string, error)
	// Stat describes the named file.
	Stat(name string) (os.FileInfo, error)
	// Lock takes an exclusive advisory lock on the named file, creating it
	// if needed, and holds it until the returned Closer is closed. If the
	// lock is held elsewhere it fails at once with an error wrapping
	// [ErrLocked]; it never waits.
	Lock(name string) (io.Closer, error)
}
