package engine

import (
	"path/filepath"
)

// Stats describes a store's contents and footprint.
type Stats struct {
	Runs        int   // live runs
	DeletedRuns int   // runs deleted whose bytes a compaction has not dropped yet
	Series      int   // series of live runs
	Points      int64 // points of live runs
	HeadPoints  int64 // points appended since the last flush
	Blocks      []BlockStats
	BlockBytes  int64 // bytes of all block files
	WALBytes    int64
	WALSegments int
}

// BlockStats describes one block.
type BlockStats struct {
	Seq        uint64
	Level      int
	Runs       int64
	Series     int64
	Points     int64
	ChunkBytes int64 // the chunks file
	Bytes      int64 // all files of the block
}

// DiskBytes returns the bytes the store occupies: blocks and WAL.
func (s Stats) DiskBytes() int64 { return s.BlockBytes + s.WALBytes }

// BytesPerPoint returns DiskBytes per live point (0 for an empty store).
func (s Stats) BytesPerPoint() float64 {
	if s.Points == 0 {
		return 0
	}
	return float64(s.DiskBytes()) / float64(s.Points)
}

// Stats returns the store's figures.
func (db *DB) Stats() (Stats, error) {
	db.mu.RLock()
	if db.mu.closed {
		db.mu.RUnlock()
		return Stats{}, ErrClosed
	}
	var st Stats
	h := db.mu.head
	for _, r := range h.runs {
		switch {
		case r == nil:
		case r.deleted:
			st.DeletedRuns++
		default:
			st.Runs++
			st.Series += len(r.series)
			for _, s := range r.series {
				st.Points += s.sum.Count
			}
		}
	}
	st.HeadPoints = h.epochPoints
	blocks := append([]*block(nil), db.mu.blocks...)
	for _, b := range blocks {
		b.acquire()
	}
	db.mu.RUnlock()
	defer func() {
		for _, b := range blocks {
			b.release()
		}
	}()
	for _, b := range blocks {
		bs := BlockStats{Seq: b.meta.seq, Level: b.meta.level, Runs: b.meta.runs, Series: b.meta.series,
			Points: b.meta.points, ChunkBytes: b.meta.chunkBytes}
		for _, name := range []string{blockMetaName, blockIndexName, blockChunksName} {
			if fi, err := db.fs.Stat(filepath.Join(b.dir, name)); err == nil {
				bs.Bytes += fi.Size()
			}
		}
		st.BlockBytes += bs.Bytes
		st.Blocks = append(st.Blocks, bs)
	}
	var err error
	if st.WALBytes, err = db.wal.Size(); err != nil {
		return st, err
	}
	first, last, err := db.wal.Segments()
	if err != nil {
		return st, err
	}
	if first >= 0 {
		st.WALSegments = last - first + 1
	}
	return st, nil
}
