package vfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"
	"time"
)

// memFile is a handle on a memNode with its own offset and access mode.
// All state is guarded by fs.mu.
type memFile struct {
	fs     *MemFS
	n      *memNode
	name   string
	off    int64
	read   bool
	write  bool
	closed bool
}

func (f *memFile) pathErr(op string, err error) error {
	return &fs.PathError{Op: op, Path: f.name, Err: err}
}

// check validates the handle for op; the caller holds fs.mu.
func (f *memFile) check(op string, needWrite bool) error {
	switch {
	case f.closed:
		return f.pathErr(op, os.ErrClosed)
	case needWrite && (!f.write || f.n.isDir):
		return f.pathErr(op, syscall.EBADF)
	}
	return nil
}

func (f *memFile) Read(p []byte) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check("read", false); err != nil {
		return 0, err
	}
	if f.n.isDir {
		return 0, f.pathErr("read", syscall.EISDIR)
	}
	if f.off >= int64(len(f.n.data)) {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	n := copy(p, f.n.data[f.off:])
	f.off += int64(n)
	return n, nil
}

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check("read", false); err != nil {
		return 0, err
	}
	if f.n.isDir {
		return 0, f.pathErr("read", syscall.EISDIR)
	}
	if off < 0 {
		return 0, f.pathErr("readat", errors.New("negative offset"))
	}
	if off >= int64(len(f.n.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.n.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) Write(p []byte) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check("write", true); err != nil {
		return 0, err
	}
	end, old := f.off+int64(len(p)), len(f.n.data)
	f.n.resize(max(end, int64(old)))
	copy(f.n.data[f.off:], p)
	// Writing past the end also changed the zero gap from old to off.
	f.n.dirtyLow = min(f.n.dirtyLow, int(f.off), old)
	f.off = end
	f.n.modTime = time.Now()
	return len(p), nil
}

func (f *memFile) Truncate(size int64) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check("truncate", true); err != nil {
		return err
	}
	if size < 0 {
		return f.pathErr("truncate", syscall.EINVAL)
	}
	f.n.dirtyLow = min(f.n.dirtyLow, int(size), len(f.n.data))
	f.n.resize(size)
	f.n.modTime = time.Now()
	return nil
}

// resize sets the file length, zeroing any bytes it exposes: a shrink keeps
// the old bytes in the backing array, and they must not come back.
func (n *memNode) resize(size int64) {
	old := len(n.data)
	switch {
	case int(size) <= old:
		n.data = n.data[:size]
	case int(size) <= cap(n.data):
		n.data = n.data[:size]
		clear(n.data[old:])
	default:
		grown := make([]byte, size, max(size, 2*int64(cap(n.data))))
		copy(grown, n.data)
		n.data = grown
	}
}

func (f *memFile) Sync() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check("sync", false); err != nil {
		return err
	}
	n := f.n
	if n.isDir {
		n.syncedChildren = make(map[string]*memNode, len(n.children))
		for name, c := range n.children {
			n.syncedChildren[name] = c
		}
		return nil
	}
	// synced[:k] already equals data[:k]; copy only what changed. synced
	// has its own backing array, so later writes to data cannot leak in.
	k := min(n.dirtyLow, len(n.synced), len(n.data))
	n.synced = append(n.synced[:k], n.data[k:]...)
	n.dirtyLow = len(n.data)
	return nil
}

func (f *memFile) Stat() (os.FileInfo, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check("stat", false); err != nil {
		return nil, err
	}
	return f.n.info(path.Base(clean(f.name))), nil
}

func (f *memFile) Close() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return f.pathErr("close", os.ErrClosed)
	}
	f.closed = true
	return nil
}
