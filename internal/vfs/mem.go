package vfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// MemFS is an in-memory [FS] that remembers what has been synced, so that
// [MemFS.CrashClone] can show what a power cut would leave. It is safe for
// concurrent use; one mutex guards the whole tree, which is plenty for tests.
//
// Names are resolved against a single root: "a/b", "/a/b" and "./a/b" are the
// same file, and ".." cannot climb above the root.
type MemFS struct {
	mu    sync.Mutex
	root  *memNode
	locks map[string]bool // cleaned names with a live Lock
}

// memNode is a file or a directory. Open handles point at nodes, not names,
// so a removed or renamed file stays usable through them, as on POSIX.
type memNode struct {
	isDir   bool
	modTime time.Time

	// File state. synced is a private copy of data as of the last Sync;
	// dirtyLow is the lowest offset changed since then, which lets Sync copy
	// only the new bytes of an append-only file.
	data     []byte
	synced   []byte
	dirtyLow int

	// Directory state: the live entries, and the entries as of the last
	// directory Sync (what a crash leaves).
	children       map[string]*memNode
	syncedChildren map[string]*memNode
}

// NewMem returns an empty in-memory file system holding only its root
// directory.
func NewMem() *MemFS {
	return &MemFS{root: newDir(), locks: make(map[string]bool)}
}

func newDir() *memNode {
	return &memNode{isDir: true, modTime: time.Now(), children: make(map[string]*memNode)}
}

// clean maps a name to its canonical rooted form, "/" for the root.
func clean(name string) string {
	return path.Clean("/" + filepath.ToSlash(name))
}

// split returns the parent's canonical name and the base name.
func split(name string) (dir, base string) {
	c := clean(name)
	return path.Dir(c), path.Base(c)
}

// lookup finds the node for a canonical name; the caller holds mu.
func (m *MemFS) lookup(op, name string) (*memNode, error) {
	c := clean(name)
	n := m.root
	if c == "/" {
		return n, nil
	}
	for _, part := range strings.Split(c[1:], "/") {
		if !n.isDir {
			return nil, &fs.PathError{Op: op, Path: name, Err: syscall.ENOTDIR}
		}
		child, ok := n.children[part]
		if !ok {
			return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		n = child
	}
	return n, nil
}

// parent finds the directory that holds name; the caller holds mu.
func (m *MemFS) parent(op, name string) (*memNode, string, error) {
	dir, base := split(name)
	if base == "/" {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: syscall.EINVAL}
	}
	d, err := m.lookup(op, dir)
	if err != nil {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: err.(*fs.PathError).Err}
	}
	if !d.isDir {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: syscall.ENOTDIR}
	}
	return d, base, nil
}

// Create implements FS.
func (m *MemFS) Create(name string) (File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, base, err := m.parent("open", name)
	if err != nil {
		return nil, err
	}
	n, ok := d.children[base]
	switch {
	case !ok:
		n = &memNode{}
		d.children[base] = n
		d.modTime = time.Now()
	case n.isDir:
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EISDIR}
	default:
		// O_TRUNC keeps the inode, so the name stays as durable as it was.
		n.data = n.data[:0]
		n.dirtyLow = 0
	}
	n.modTime = time.Now()
	return &memFile{fs: m, n: n, name: name, read: true, write: true}, nil
}

// Open implements FS.
func (m *MemFS) Open(name string) (File, error) {
	return m.open("open", name, false)
}

// OpenReadWrite implements FS.
func (m *MemFS) OpenReadWrite(name string) (File, error) {
	return m.open("open", name, true)
}

func (m *MemFS) open(op, name string, write bool) (File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := m.lookup(op, name)
	if err != nil {
		return nil, err
	}
	if n.isDir && write {
		return nil, &fs.PathError{Op: op, Path: name, Err: syscall.EISDIR}
	}
	return &memFile{fs: m, n: n, name: name, read: true, write: write}, nil
}

// OpenDir implements FS.
func (m *MemFS) OpenDir(name string) (File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := m.lookup("opendir", name)
	if err != nil {
		return nil, err
	}
	if !n.isDir {
		return nil, &fs.PathError{Op: "opendir", Path: name, Err: syscall.ENOTDIR}
	}
	return &memFile{fs: m, n: n, name: name, read: true}, nil
}

// Remove implements FS.
func (m *MemFS) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, base, err := m.parent("remove", name)
	if err != nil {
		return err
	}
	n, ok := d.children[base]
	if !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	if n.isDir && len(n.children) > 0 {
		return &fs.PathError{Op: "remove", Path: name, Err: syscall.ENOTEMPTY}
	}
	delete(d.children, base)
	d.modTime = time.Now()
	return nil
}

// RemoveAll implements FS.
func (m *MemFS) RemoveAll(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if clean(name) == "/" {
		clear(m.root.children)
		return nil
	}
	d, base, err := m.parent("removeall", name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	delete(d.children, base)
	d.modTime = time.Now()
	return nil
}

// Rename implements FS.
func (m *MemFS) Rename(oldname, newname string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	od, obase, err := m.parent("rename", oldname)
	if err != nil {
		return err
	}
	n, ok := od.children[obase]
	if !ok {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: fs.ErrNotExist}
	}
	nd, nbase, err := m.parent("rename", newname)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: fs.ErrNotExist}
	}
	if clean(oldname) == clean(newname) {
		return nil
	}
	if n.isDir && strings.HasPrefix(clean(newname)+"/", clean(oldname)+"/") {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: syscall.EINVAL}
	}
	if target, ok := nd.children[nbase]; ok {
		switch {
		case target.isDir && !n.isDir:
			return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: syscall.EISDIR}
		case !target.isDir && n.isDir:
			return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: syscall.ENOTDIR}
		case target.isDir && len(target.children) > 0:
			return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: syscall.ENOTEMPTY}
		}
	}
	delete(od.children, obase)
	nd.children[nbase] = n
	od.modTime, nd.modTime = time.Now(), time.Now()
	return nil
}

// MkdirAll implements FS. The permission bits are ignored.
func (m *MemFS) MkdirAll(dir string, perm os.FileMode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := clean(dir)
	if c == "/" {
		return nil
	}
	n := m.root
	for _, part := range strings.Split(c[1:], "/") {
		child, ok := n.children[part]
		if !ok {
			child = newDir()
			n.children[part] = child
			n.modTime = time.Now()
		} else if !child.isDir {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
		}
		n = child
	}
	return nil
}

// List implements FS.
func (m *MemFS) List(dir string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := m.lookup("open", dir)
	if err != nil {
		return nil, err
	}
	if !n.isDir {
		return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: syscall.ENOTDIR}
	}
	names := make([]string, 0, len(n.children))
	for name := range n.children {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

// Stat implements FS.
func (m *MemFS) Stat(name string) (os.FileInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, err := m.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	return n.info(path.Base(clean(name))), nil
}

// Lock implements FS. Locks are per MemFS: a crash clone starts unlocked,
// as a restarted process would.
func (m *MemFS) Lock(name string) (io.Closer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := clean(name)
	if m.locks[key] {
		return nil, fmt.Errorf("lock %s: %w", name, ErrLocked)
	}
	d, base, err := m.parent("open", name)
	if err != nil {
		return nil, err
	}
	if n, ok := d.children[base]; !ok {
		d.children[base] = &memNode{modTime: time.Now()}
	} else if n.isDir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EISDIR}
	}
	m.locks[key] = true
	return &memLock{fs: m, key: key}, nil
}

type memLock struct {
	fs       *MemFS
	key      string
	released bool
}

func (l *memLock) Close() error {
	l.fs.mu.Lock()
	defer l.fs.mu.Unlock()
	if !l.released {
		l.released = true
		delete(l.fs.locks, l.key)
	}
	return nil
}

// info describes n; the caller holds mu.
func (n *memNode) info(name string) os.FileInfo {
	fi := memFileInfo{name: name, size: int64(len(n.data)), modTime: n.modTime, mode: 0o644}
	if n.isDir {
		fi.size, fi.mode = 0, fs.ModeDir|0o755
	}
	return fi
}

type memFileInfo struct {
	name    string
	size    int64
	mode    fs.FileMode
	modTime time.Time
}

func (fi memFileInfo) Name() string       { return fi.name }
func (fi memFileInfo) Size() int64        { return fi.size }
func (fi memFileInfo) Mode() fs.FileMode  { return fi.mode }
func (fi memFileInfo) ModTime() time.Time { return fi.modTime }
func (fi memFileInfo) IsDir() bool        { return fi.mode.IsDir() }
func (fi memFileInfo) Sys() any           { return nil }
