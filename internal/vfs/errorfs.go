package vfs

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
)

// ErrInjected is the cause of every fault an [ErrorFS] injects (a disk-full
// fault wraps syscall.ENOSPC as well), so a test can tell an injected
// failure from a real one with errors.Is.
var ErrInjected = errors.New("trackdb/vfs: injected fault")

// Op is a kind of file-system operation, as a bit so rules can match sets.
type Op uint16

// Operations an ErrorFS counts and can fail.
const (
	OpCreate Op = 1 << iota // Create, OpenReadWrite, MkdirAll
	OpOpen                  // Open, OpenDir
	OpWrite                 // File.Write, File.Truncate
	OpSync                  // File.Sync (files and directories)
	OpRename                // Rename
	OpRemove                // Remove, RemoveAll
	OpRead                  // File.Read, File.ReadAt

	// OpAll matches every operation.
	OpAll Op = 1<<iota - 1
)

var opNames = map[Op]string{OpCreate: "create", OpOpen: "open", OpWrite: "write", OpSync: "sync",
	OpRename: "rename", OpRemove: "remove", OpRead: "read"}

func (o Op) String() string {
	if n, ok := opNames[o]; ok {
		return n
	}
	return fmt.Sprintf("Op(%#x)", uint16(o))
}

// Fault says what an ErrorFS does to one matching operation.
type Fault uint8

// Faults.
const (
	// FailOp returns an error wrapping ErrInjected and does nothing.
	FailOp Fault = iota
	// ShortWrite writes half of the buffer, then fails (writes only;
	// other operations fail like FailOp).
	ShortWrite
	// DiskFull fails with an error wrapping ENOSPC and ErrInjected, and
	// keeps failing every later write and sync until ClearDiskFull.
	DiskFull
	// FlipBit flips one bit of what a read returns (reads only).
	FlipBit
)

// ErrorFS wraps an FS and injects one fault: the Nth operation (counting
// from 0) among those matching the rule's Ops gets the rule's Fault. Count
// reports how many matching operations ran, so a test can sweep N over all
// of them. It is safe for concurrent use.
type ErrorFS struct {
	FS
	mu       sync.Mutex
	ops      Op
	n        int64 // index of the operation to fault; <0 means never
	fault    Fault
	count    int64
	fired    bool
	diskFull bool
}

// NewErrorFS returns fs with a fault on the nth operation matching ops;
// n < 0 injects nothing and only counts.
func NewErrorFS(fs FS, ops Op, n int64, fault Fault) *ErrorFS {
	return &ErrorFS{FS: fs, ops: ops, n: n, fault: fault}
}

// Count returns how many operations matching the rule have run.
func (e *ErrorFS) Count() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.count
}

// Fired reports whether the fault was injected.
func (e *ErrorFS) Fired() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fired
}

// ClearDiskFull makes room again after a DiskFull fault.
func (e *ErrorFS) ClearDiskFull() {
	e.mu.Lock()
	e.diskFull = false
	e.mu.Unlock()
}

// check counts an operation and returns the fault to inject, if any.
func (e *ErrorFS) check(op Op) (Fault, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.diskFull && (op == OpWrite || op == OpSync || op == OpCreate) {
		return DiskFull, true
	}
	if op&e.ops == 0 {
		return 0, false
	}
	i := e.count
	e.count++
	if i != e.n {
		return 0, false
	}
	e.fired = true
	if e.fault == DiskFull {
		e.diskFull = true
	}
	return e.fault, true
}

func injected(op Op, name string, f Fault) error {
	if f == DiskFull {
		return &os.PathError{Op: op.String(), Path: name, Err: errors.Join(syscall.ENOSPC, ErrInjected)}
	}
	return &os.PathError{Op: op.String(), Path: name, Err: ErrInjected}
}

// Create implements FS.
func (e *ErrorFS) Create(name string) (File, error) {
	if f, ok := e.check(OpCreate); ok {
		return nil, injected(OpCreate, name, f)
	}
	file, err := e.FS.Create(name)
	if err != nil {
		return nil, err
	}
	return &errorFile{File: file, fs: e, name: name}, nil
}

// Open implements FS.
func (e *ErrorFS) Open(name string) (File, error) {
	if f, ok := e.check(OpOpen); ok {
		return nil, injected(OpOpen, name, f)
	}
	file, err := e.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &errorFile{File: file, fs: e, name: name}, nil
}

// OpenReadWrite implements FS.
func (e *ErrorFS) OpenReadWrite(name string) (File, error) {
	if f, ok := e.check(OpCreate); ok {
		return nil, injected(OpCreate, name, f)
	}
	file, err := e.FS.OpenReadWrite(name)
	if err != nil {
		return nil, err
	}
	return &errorFile{File: file, fs: e, name: name}, nil
}

// OpenDir implements FS.
func (e *ErrorFS) OpenDir(name string) (File, error) {
	if f, ok := e.check(OpOpen); ok {
		return nil, injected(OpOpen, name, f)
	}
	file, err := e.FS.OpenDir(name)
	if err != nil {
		return nil, err
	}
	return &errorFile{File: file, fs: e, name: name}, nil
}

// Remove implements FS.
func (e *ErrorFS) Remove(name string) error {
	if f, ok := e.check(OpRemove); ok {
		return injected(OpRemove, name, f)
	}
	return e.FS.Remove(name)
}

// RemoveAll implements FS.
func (e *ErrorFS) RemoveAll(name string) error {
	if f, ok := e.check(OpRemove); ok {
		return injected(OpRemove, name, f)
	}
	return e.FS.RemoveAll(name)
}

// Rename implements FS.
func (e *ErrorFS) Rename(oldname, newname string) error {
	if f, ok := e.check(OpRename); ok {
		return injected(OpRename, newname, f)
	}
	return e.FS.Rename(oldname, newname)
}

// MkdirAll implements FS.
func (e *ErrorFS) MkdirAll(dir string, perm os.FileMode) error {
	if f, ok := e.check(OpCreate); ok {
		return injected(OpCreate, dir, f)
	}
	return e.FS.MkdirAll(dir, perm)
}

// Lock implements FS; locks are never faulted.
func (e *ErrorFS) Lock(name string) (io.Closer, error) { return e.FS.Lock(name) }

type errorFile struct {
	File
	fs   *ErrorFS
	name string
}

func (f *errorFile) Write(p []byte) (int, error) {
	if fault, ok := f.fs.check(OpWrite); ok {
		if fault == ShortWrite && len(p) > 1 {
			n, err := f.File.Write(p[:len(p)/2])
			if err != nil {
				return n, err
			}
			return n, injected(OpWrite, f.name, fault)
		}
		return 0, injected(OpWrite, f.name, fault)
	}
	return f.File.Write(p)
}

func (f *errorFile) Truncate(size int64) error {
	if fault, ok := f.fs.check(OpWrite); ok {
		return injected(OpWrite, f.name, fault)
	}
	return f.File.Truncate(size)
}

func (f *errorFile) Sync() error {
	if fault, ok := f.fs.check(OpSync); ok {
		return injected(OpSync, f.name, fault)
	}
	return f.File.Sync()
}

func (f *errorFile) Read(p []byte) (int, error) {
	fault, ok := f.fs.check(OpRead)
	if ok && fault != FlipBit {
		return 0, injected(OpRead, f.name, fault)
	}
	n, err := f.File.Read(p)
	if ok && n > 0 {
		p[n/2] ^= 0x04
	}
	return n, err
}

func (f *errorFile) ReadAt(p []byte, off int64) (int, error) {
	fault, ok := f.fs.check(OpRead)
	if ok && fault != FlipBit {
		return 0, injected(OpRead, f.name, fault)
	}
	n, err := f.File.ReadAt(p, off)
	if ok && n > 0 {
		p[n/2] ^= 0x04
	}
	return n, err
}
