package engine

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/trackdb/trackdb/index"
	"github.com/trackdb/trackdb/internal/encoding"
	"github.com/trackdb/trackdb/internal/vfs"
)

// block is an open, immutable block. Readers hold a reference while they
// read its chunks file, so compaction can retire a block under them.
type block struct {
	dir      string
	meta     blockMeta
	chunks   vfs.File
	postings *index.Block // the run index of the block's epoch
	runs     map[uint32]*blockRun
	series   map[SeriesRef]*blockSeries
	tombs    []uint32

	refs     atomic.Int64 // readers, plus one while the block is live
	closeErr error
	once     sync.Once

	// Decoded timeline chunks, shared by the series of a run: reading a
	// run's 20 series decodes its timeline once, not 20 times.
	tlCache struct {
		sync.Mutex
		m     map[tlKey][]int64
		order []tlKey // insertion order, for eviction
	}
}

type tlKey struct {
	run   uint32
	chunk int
}

// tlCacheEntries bounds the cache: 256 chunks of 1024 times, 2 MiB.
const tlCacheEntries = 256

// timelineTimes returns the decoded times of a run's timeline chunk i,
// shared with other readers: callers must not change them.
func (b *block) timelineTimes(run uint32, tl *blockTimeline, i int) ([]int64, error) {
	k := tlKey{run, i}
	b.tlCache.Lock()
	if t, ok := b.tlCache.m[k]; ok {
		b.tlCache.Unlock()
		return t, nil
	}
	b.tlCache.Unlock()
	data, n, err := b.timelineChunk(tl, i)
	if err != nil {
		return nil, err
	}
	times, err := decodeTimes(data, n, make([]int64, 0, n))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: timeline chunk %d: %v", ErrCorrupt, b.dir, i, err)
	}
	b.tlCache.Lock()
	if b.tlCache.m == nil {
		b.tlCache.m = map[tlKey][]int64{}
	}
	if _, ok := b.tlCache.m[k]; !ok {
		if len(b.tlCache.order) >= tlCacheEntries {
			delete(b.tlCache.m, b.tlCache.order[0])
			b.tlCache.order = b.tlCache.order[1:]
		}
		b.tlCache.m[k] = times
		b.tlCache.order = append(b.tlCache.order, k)
	}
	b.tlCache.Unlock()
	return times, nil
}

func (b *block) acquire() { b.refs.Add(1) }

// release drops a reference; the last one closes the chunks file.
func (b *block) release() {
	if b.refs.Add(-1) == 0 {
		b.once.Do(func() { b.closeErr = b.chunks.Close() })
	}
}

// openBlock reads a block's meta and index and opens its chunks file.
func openBlock(fs vfs.FS, dir string) (*block, error) {
	metaBytes, err := readWholeFile(fs, filepath.Join(dir, blockMetaName))
	if err != nil {
		return nil, err
	}
	meta, err := decodeBlockMeta(metaBytes, filepath.Join(dir, blockMetaName))
	if err != nil {
		return nil, err
	}
	idxName := filepath.Join(dir, blockIndexName)
	idx, err := readWholeFile(fs, idxName)
	if err != nil {
		return nil, err
	}
	b := &block{dir: dir, meta: *meta}
	if err := b.decodeIndex(idx, idxName); err != nil {
		return nil, err
	}
	pName := filepath.Join(dir, blockPostingsName)
	pdata, err := readWholeFile(fs, pName)
	if err != nil {
		return nil, err
	}
	if b.postings, err = index.Load(pdata); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, pName, err)
	}
	chunksName := filepath.Join(dir, blockChunksName)
	f, err := fs.Open(chunksName)
	if err != nil {
		return nil, err
	}
	hdr := make([]byte, fileHeaderSize)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, chunksName, err)
	}
	if err := checkFileHeader(hdr, magicChunks, chunksName); err != nil {
		f.Close()
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Size() != meta.chunkBytes {
		f.Close()
		return nil, fmt.Errorf("%w: %s is %d bytes, meta says %d", ErrCorrupt, chunksName, fi.Size(), meta.chunkBytes)
	}
	b.chunks = f
	b.refs.Store(1)
	return b, nil
}

func readWholeFile(fs vfs.FS, name string) ([]byte, error) {
	f, err := fs.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	b := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}

func decodeBlockMeta(b []byte, name string) (*blockMeta, error) {
	if len(b) < fileHeaderSize+4 {
		return nil, fmt.Errorf("%w: %s: truncated", ErrCorrupt, name)
	}
	// The checksum first: only an intact header's version is believed.
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w: %s: checksum mismatch at offset %d", ErrCorrupt, name, len(b)-4)
	}
	if err := checkFileHeader(b, magicMeta, name); err != nil {
		return nil, err
	}
	d := encoding.Decbuf{B: body[fileHeaderSize:]}
	m := &blockMeta{seq: d.Uvarint(), order: d.Uvarint(), walStart: int(d.Uvarint()), level: int(d.Uvarint())}
	n := d.Count(1)
	for range n {
		m.parents = append(m.parents, d.Uvarint())
	}
	m.runs, m.series, m.points, m.chunkBytes = int64(d.Uvarint()), int64(d.Uvarint()), int64(d.Uvarint()), int64(d.Uvarint())
	m.created = d.Varint()
	if d.E != nil || d.Len() != 0 {
		return nil, fmt.Errorf("%w: %s: malformed meta", ErrCorrupt, name)
	}
	return m, nil
}

func (b *block) decodeIndex(data []byte, name string) error {
	secs, err := readSections(data, name)
	if err != nil {
		return err
	}
	if len(secs) != 3 || secs[0].typ != secRuns || secs[1].typ != secSeries || secs[2].typ != secTombstones {
		return fmt.Errorf("%w: %s: want sections runs, series, tombstones", ErrCorrupt, name)
	}
	fail := func(s section, d *encoding.Decbuf, what string) error {
		return fmt.Errorf("%w: %s: %s section at offset %d: %v", ErrCorrupt, name, what, s.offset, d.E)
	}

	d := encoding.Decbuf{B: secs[0].payload}
	n := d.Count(8)
	b.runs = make(map[uint32]*blockRun, n)
	for range n {
		br := &blockRun{}
		br.ref = uint32(d.Uvarint())
		br.id, br.experiment, br.name = d.String(), d.String(), d.String()
		br.status = Status(d.Byte())
		br.start, br.end = d.Varint(), d.Varint()
		br.params = getParams(&d)
		br.tags = getTags(&d)
		br.datasets = getDatasets(&d)
		br.tl.count = d.Uvarint()
		nc := d.Count(2)
		for range nc {
			br.tl.chunks = append(br.tl.chunks, blockLoc{off: d.Uvarint(), size: uint32(d.Uvarint())})
		}
		if d.E != nil {
			return fail(secs[0], &d, "runs")
		}
		if uint64(len(br.tl.chunks)) != (br.tl.count+timelineChunkLen-1)/timelineChunkLen {
			return fmt.Errorf("%w: %s: run %q: %d timeline chunks for %d entries", ErrCorrupt, name, br.id, len(br.tl.chunks), br.tl.count)
		}
		b.runs[br.ref] = br
	}
	if d.Len() != 0 {
		return fmt.Errorf("%w: %s: runs section has %d trailing bytes", ErrCorrupt, name, d.Len())
	}

	d = encoding.Decbuf{B: secs[1].payload}
	n = d.Count(8)
	b.series = make(map[SeriesRef]*blockSeries, n)
	for range n {
		s := &blockSeries{ref: SeriesRef(d.Uvarint()), runRef: uint32(d.Uvarint()), metric: d.String()}
		nl := d.Count(2)
		if nl > 0 {
			s.ctx = make(Context, nl)
			for range nl {
				k := d.String()
				s.ctx[k] = d.String()
			}
		}
		s.sum = Summary{Count: int64(d.Uvarint()), FirstStep: d.Varint(), LastStep: d.Varint(),
			Last: math.Float64frombits(d.BE64()), LastTime: d.Varint(),
			Min: math.Float64frombits(d.BE64()), Max: math.Float64frombits(d.BE64())}
		nc := d.Count(8)
		s.chunks = make([]blockChunk, 0, nc)
		for range nc {
			var c blockChunk
			c.off, c.size = d.Uvarint(), uint32(d.Uvarint())
			c.n = int(d.Uvarint())
			c.firstIdx = d.Uvarint()
			c.minStep, c.maxStep, c.lastStep = d.Varint(), d.Varint(), d.Varint()
			c.sorted = d.Byte() == 1
			if c.off < fileHeaderSize || c.off+uint64(c.size) > uint64(b.meta.chunkBytes) {
				return fmt.Errorf("%w: %s: series %d chunk at offset %d+%d outside the chunks file (%d bytes)", ErrCorrupt, name, s.ref, c.off, c.size, b.meta.chunkBytes)
			}
			s.chunks = append(s.chunks, c)
		}
		if d.E != nil {
			return fail(secs[1], &d, "series")
		}
		if b.runs[s.runRef] == nil {
			return fmt.Errorf("%w: %s: series %d refers to run ref %d missing from the catalogue", ErrCorrupt, name, s.ref, s.runRef)
		}
		b.series[s.ref] = s
	}
	if d.Len() != 0 {
		return fmt.Errorf("%w: %s: series section has %d trailing bytes", ErrCorrupt, name, d.Len())
	}

	d = encoding.Decbuf{B: secs[2].payload}
	n = d.Count(1)
	for range n {
		b.tombs = append(b.tombs, uint32(d.Uvarint()))
	}
	if d.E != nil || d.Len() != 0 {
		return fail(secs[2], &d, "tombstones")
	}
	return nil
}

// readExtent reads the contiguous bytes holding chunks of a series, into
// buf when it is big enough.
func (b *block) readExtent(chunks []blockChunk, buf []byte) ([]byte, error) {
	if len(chunks) == 0 {
		return nil, nil
	}
	start := chunks[0].off
	last := chunks[len(chunks)-1]
	n := int(last.off + uint64(last.size) - start)
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := b.chunks.ReadAt(buf, int64(start)); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(b.dir, blockChunksName), err)
	}
	return buf, nil
}

// splitSeriesChunk checks one series chunk entry of the block.
func (b *block) splitSeriesChunk(entry []byte, off uint64) (xor, idx []byte, err error) {
	return splitSeriesChunkEntry(entry, filepath.Join(b.dir, blockChunksName), off)
}

// timelineChunk reads and checks timeline chunk i of a run.
func (b *block) timelineChunk(tl *blockTimeline, i int) ([]byte, int, error) {
	if i < 0 || i >= len(tl.chunks) {
		return nil, 0, fmt.Errorf("%w: %s: timeline chunk %d of %d", ErrCorrupt, b.dir, i, len(tl.chunks))
	}
	loc := tl.chunks[i]
	buf := make([]byte, loc.size)
	if _, err := b.chunks.ReadAt(buf, int64(loc.off)); err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", filepath.Join(b.dir, blockChunksName), err)
	}
	p, err := checkChunkEntry(buf, filepath.Join(b.dir, blockChunksName), loc.off)
	if err != nil {
		return nil, 0, err
	}
	n := timelineChunkLen
	if i == len(tl.chunks)-1 {
		n = int(tl.count - uint64(i)*timelineChunkLen)
	}
	return p, n, nil
}
