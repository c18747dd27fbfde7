package vfs

import (
	"math/rand/v2"
	"time"
)

// CrashClone returns a new MemFS holding exactly what a power cut would
// leave: each file's bytes as of its last File.Sync, and each directory's
// entries as of its last Sync through [FS.OpenDir]. A file whose entry was
// never made durable is gone, however much of it was synced; a renamed or
// removed entry reverts until its directory is synced. The receiver is not
// changed and stays usable; the clone shares nothing with it and holds no
// locks.
func (m *MemFS) CrashClone() *MemFS {
	return m.crashClone(nil)
}

// CrashCloneWith is like [MemFS.CrashClone] but models a crash that raced
// with the kernel's own writeback, choosing with rng:
//
//   - each directory keeps either its synced entries or its live ones, as if
//     its metadata had or had not reached the disk;
//   - each file that was only appended to since its last Sync keeps a random
//     prefix of the unsynced bytes (possibly none, possibly all). A file
//     overwritten or truncated since its last Sync keeps its synced bytes.
//
// Everything CrashClone would keep is kept, so a recovery test that passes
// on CrashCloneWith clones is strictly stronger. Pass a seeded rng so that a
// failure can be replayed.
func (m *MemFS) CrashCloneWith(rng *rand.Rand) *MemFS {
	return m.crashClone(rng)
}

func (m *MemFS) crashClone(rng *rand.Rand) *MemFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := NewMem()
	c.root = cloneDir(m.root, rng)
	return c
}

func cloneDir(d *memNode, rng *rand.Rand) *memNode {
	entries := d.syncedChildren
	if rng != nil && rng.IntN(2) == 0 {
		entries = d.children
	}
	out := newDir()
	out.modTime = d.modTime
	for name, n := range entries {
		if n.isDir {
			out.children[name] = cloneDir(n, rng)
		} else {
			out.children[name] = cloneFile(n, rng)
		}
	}
	// The clone starts from a clean shutdown: all of it is durable.
	out.syncedChildren = make(map[string]*memNode, len(out.children))
	for name, n := range out.children {
		out.syncedChildren[name] = n
	}
	return out
}

func cloneFile(n *memNode, rng *rand.Rand) *memNode {
	data := append([]byte(nil), n.synced...)
	appendedOnly := n.dirtyLow >= len(n.synced) && len(n.data) > len(n.synced)
	if rng != nil && appendedOnly {
		extra := n.data[len(n.synced):]
		data = append(data, extra[:rng.IntN(len(extra)+1)]...)
	}
	return &memNode{
		modTime:  time.Now(),
		data:     data,
		synced:   append([]byte(nil), data...),
		dirtyLow: len(data),
	}
}
