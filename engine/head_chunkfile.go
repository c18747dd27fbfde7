package engine

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/trackdb/trackdb/internal/vfs"
)

// headChunksDirName holds the files that cut head chunks are spilled to, so
// that the head keeps only open chunks, chunk refs and summaries on the
// heap. The files are a cache, not a source of truth: the WAL holds every
// point until a block does, so Open deletes them and replay writes them
// anew. They are never fsynced. Entries use the block chunk entry format.
const headChunksDirName = "chunks_head"

// spillBufferSize is how much a head chunk file buffers before one write.
const spillBufferSize = 1 << 20

// headChunkFile is one append-only spill file. Writers append under mu;
// readers copy from the unwritten tail or read the file.
type headChunkFile struct {
	fs   vfs.FS
	name string

	mu      sync.Mutex
	f       vfs.File
	buf     []byte // bytes not yet written to f
	written uint64 // bytes in f
	err     error  // sticky: once a write failed, chunks stay on the heap

	refs atomic.Int64 // the head or a frozen head, plus readers
}

func createHeadChunkFile(fs vfs.FS, dir string, seq uint64) (*headChunkFile, error) {
	name := filepath.Join(dir, fmt.Sprintf("%08d", seq))
	f, err := fs.Create(name)
	if err != nil {
		return nil, err
	}
	h := &headChunkFile{fs: fs, name: name, f: f, buf: make([]byte, 0, spillBufferSize)}
	h.refs.Store(1)
	return h, nil
}

// spill appends a chunk entry and returns where it is, or ok=false when the
// file cannot take it (the caller keeps the chunk on the heap).
func (h *headChunkFile) spill(xor, idx []byte) (loc blockLoc, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return blockLoc{}, false
	}
	start := len(h.buf)
	h.buf = appendSeriesChunkEntry(h.buf, xor, idx)
	loc = blockLoc{off: h.written + uint64(start), size: uint32(len(h.buf) - start)}
	if len(h.buf) >= spillBufferSize {
		if _, err := h.f.Write(h.buf); err != nil {
			h.err = err
			h.buf = h.buf[:start]
			return blockLoc{}, false
		}
		h.written += uint64(len(h.buf))
		h.buf = h.buf[:0]
	}
	return loc, true
}

// read returns a spilled chunk's XOR bytes and reference stream.
func (h *headChunkFile) read(loc blockLoc) (xor, idx []byte, err error) {
	entry := make([]byte, loc.size)
	h.mu.Lock()
	if loc.off >= h.written {
		start := loc.off - h.written
		copy(entry, h.buf[start:start+uint64(loc.size)])
		h.mu.Unlock()
	} else {
		h.mu.Unlock()
		// Written bytes never change, so the read needs no lock.
		if _, err := h.f.ReadAt(entry, int64(loc.off)); err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", h.name, err)
		}
	}
	return splitSeriesChunkEntry(entry, h.name, loc.off)
}

func (h *headChunkFile) acquire() { h.refs.Add(1) }

// release drops a reference; the last one closes and removes the file.
func (h *headChunkFile) release() {
	if h.refs.Add(-1) == 0 {
		h.f.Close()
		_ = h.fs.Remove(h.name)
	}
}

// openSpill empties the head chunk directory, left over from the last
// run, and starts the head's spill file.
func (db *DB) openSpill() error {
	dir := filepath.Join(db.dir, headChunksDirName)
	if err := db.fs.RemoveAll(dir); err != nil {
		return err
	}
	if err := db.fs.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := createHeadChunkFile(db.fs, dir, db.spillSeq)
	if err != nil {
		return err
	}
	db.spillSeq++
	db.mu.head.spill = f
	return nil
}

// rotateSpill gives the head a new spill file and returns the old one,
// whose reference passes to the caller. The caller holds mu. When no new
// file can be made, cut chunks stay on the heap until the next rotation.
func (db *DB) rotateSpill() *headChunkFile {
	old := db.mu.head.spill
	f, err := createHeadChunkFile(db.fs, filepath.Join(db.dir, headChunksDirName), db.spillSeq)
	db.spillSeq++
	if err != nil {
		db.opts.Logger.Warn("trackdb: cannot create a head chunk file; cut chunks stay in memory", "err", err)
		f = nil
	}
	db.mu.head.spill = f
	return old
}
