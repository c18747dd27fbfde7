package vfs

import (
	"io"
	"os"
	"syscall"
)

// Default is the operating system's file system.
var Default FS = osFS{}

// osFS implements FS with package os. *os.File already satisfies File.
type osFS struct{}

func (osFS) Create(name string) (File, error) {
	return asFile(os.Create(name))
}

func (osFS) Open(name string) (File, error) {
	return asFile(os.Open(name))
}

func (osFS) OpenReadWrite(name string) (File, error) {
	return asFile(os.OpenFile(name, os.O_RDWR, 0))
}

func (osFS) OpenDir(name string) (File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.IsDir() {
		f.Close()
		return nil, &os.PathError{Op: "opendir", Path: name, Err: syscall.ENOTDIR}
	}
	return f, nil
}

func (osFS) Remove(name string) error { return os.Remove(name) }

func (osFS) RemoveAll(name string) error { return os.RemoveAll(name) }

func (osFS) Rename(oldname, newname string) error { return os.Rename(oldname, newname) }

func (osFS) MkdirAll(dir string, perm os.FileMode) error { return os.MkdirAll(dir, perm) }

func (osFS) List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}

func (osFS) Stat(name string) (os.FileInfo, error) { return os.Stat(name) }

func (osFS) Lock(name string) (io.Closer, error) { return lockFile(name) }

// asFile converts os results to File without turning a nil *os.File into a
// non-nil interface.
func asFile(f *os.File, err error) (File, error) {
	if err != nil {
		return nil, err
	}
	return f, nil
}
