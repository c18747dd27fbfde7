package engine

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"path/filepath"
	"sort"
	"time"

	"github.com/trackdb/trackdb/internal/encoding"
	"github.com/trackdb/trackdb/internal/vfs"
)

// blockMeta is the content of a block's meta file.
type blockMeta struct {
	seq        uint64   // unique, names the directory
	order      uint64   // orders blocks: a higher order holds later appends (a merge takes its first parent's)
	walStart   int      // WAL segment from which replay must start once this block exists
	level      int      // 0 for a flush of the head; merges add one
	parents    []uint64 // seqs of the blocks a merge replaced
	runs       int64
	series     int64
	points     int64
	chunkBytes int64 // bytes of the chunks file
	created    int64 // Unix ms
}

// blockRun is one run of a block's catalogue: its state as of compaction.
type blockRun struct {
	runCreateRec
	tl blockTimeline
}

// blockTimeline locates a run's timeline chunks in the chunks file. Every
// chunk holds timelineChunkLen entries except the last.
type blockTimeline struct {
	count  uint64
	chunks []blockLoc
}

type blockLoc struct {
	off  uint64
	size uint32
}

// blockChunk is a series chunk's entry in the index.
type blockChunk struct {
	chunkMeta
	blockLoc
}

// blockSeries is one series of a block.
type blockSeries struct {
	ref    SeriesRef
	runRef uint32
	metric string
	ctx    Context
	sum    Summary // of this block's points only
	chunks []blockChunk
}

// blockWriter writes a block into a temporary directory: chunks are
// streamed to the chunks file, the index is built in memory and written at
// the end.
type blockWriter struct {
	fs     vfs.FS
	dir    string
	f      vfs.File
	bw     *bufio.Writer
	off    uint64
	buf    []byte
	runs   map[uint32]*blockRun
	series []*blockSeries
	points int64
}

func newBlockWriter(fs vfs.FS, dir string) (*blockWriter, error) {
	if err := fs.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := fs.Create(filepath.Join(dir, blockChunksName))
	if err != nil {
		return nil, err
	}
	w := &blockWriter{fs: fs, dir: dir, f: f, bw: bufio.NewWriterSize(f, 1<<20), runs: map[uint32]*blockRun{}}
	hdr := putFileHeader(nil, magicChunks)
	if _, err := w.bw.Write(hdr); err != nil {
		f.Close()
		return nil, err
	}
	w.off = uint64(len(hdr))
	return w, nil
}

func (w *blockWriter) writeEntry(payload []byte) (blockLoc, error) {
	w.buf = appendChunkEntry(w.buf[:0], payload)
	if _, err := w.bw.Write(w.buf); err != nil {
		return blockLoc{}, err
	}
	loc := blockLoc{off: w.off, size: uint32(len(w.buf))}
	w.off += uint64(len(w.buf))
	return loc, nil
}

// addRun records a run's catalogue entry and writes its timeline chunks
// (already encoded, timelineChunkLen entries each but the last).
func (w *blockWriter) addRun(rec runCreateRec, tlChunks [][]byte, count uint64) error {
	br := &blockRun{runCreateRec: rec, tl: blockTimeline{count: count}}
	for _, c := range tlChunks {
		loc, err := w.writeEntry(c)
		if err != nil {
			return err
		}
		br.tl.chunks = append(br.tl.chunks, loc)
	}
	w.runs[rec.ref] = br
	return nil
}

// addSeries writes a series' chunks. The chunks' timeline indexes must be
// relative to the timeline given to addRun for the series' run.
func (w *blockWriter) addSeries(ref SeriesRef, runRef uint32, metric string, ctx Context, sum Summary, chunks []*memChunk) error {
	bs := &blockSeries{ref: ref, runRef: runRef, metric: metric, ctx: ctx, sum: sum}
	for _, c := range chunks {
		xor, idx, err := c.data()
		if err != nil {
			return err
		}
		w.buf = appendSeriesChunkEntry(w.buf[:0], xor, idx)
		if _, err := w.bw.Write(w.buf); err != nil {
			return err
		}
		loc := blockLoc{off: w.off, size: uint32(len(w.buf))}
		w.off += uint64(len(w.buf))
		bs.chunks = append(bs.chunks, blockChunk{chunkMeta: c.chunkMeta, blockLoc: loc})
		w.points += int64(c.n)
	}
	w.series = append(w.series, bs)
	return nil
}

// finish writes the index and meta files and fsyncs everything, including
// the directory. The caller renames the directory into place.
func (w *blockWriter) finish(meta *blockMeta, tombs []uint32, postings []byte) (err error) {
	defer func() {
		if err != nil {
			w.f.Close()
		}
	}()
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	meta.runs, meta.series, meta.points, meta.chunkBytes = int64(len(w.runs)), int64(len(w.series)), w.points, int64(w.off)
	if err := writeFileSynced(w.fs, filepath.Join(w.dir, blockIndexName), w.encodeIndex(tombs)); err != nil {
		return err
	}
	if err := writeFileSynced(w.fs, filepath.Join(w.dir, blockPostingsName), postings); err != nil {
		return err
	}
	if err := writeFileSynced(w.fs, filepath.Join(w.dir, blockMetaName), encodeBlockMeta(meta)); err != nil {
		return err
	}
	return syncDir(w.fs, w.dir)
}

// abort removes what was written.
func (w *blockWriter) abort() {
	w.f.Close()
	_ = w.fs.RemoveAll(w.dir)
}

func (w *blockWriter) encodeIndex(tombs []uint32) []byte {
	out := putFileHeader(nil, magicIndex)
	var e encoding.Encbuf

	refs := make([]uint32, 0, len(w.runs))
	for r := range w.runs {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i] < refs[j] })
	e.PutUvarint(uint64(len(refs)))
	for _, r := range refs {
		br := w.runs[r]
		e.PutUvarint(uint64(br.ref))
		e.PutString(br.id)
		e.PutString(br.experiment)
		e.PutString(br.name)
		e.PutByte(byte(br.status))
		e.PutVarint(br.start)
		e.PutVarint(br.end)
		putParams(&e, br.params)
		putTags(&e, br.tags)
		putDatasets(&e, br.datasets)
		e.PutUvarint(br.tl.count)
		e.PutUvarint(uint64(len(br.tl.chunks)))
		for _, l := range br.tl.chunks {
			e.PutUvarint(l.off)
			e.PutUvarint(uint64(l.size))
		}
	}
	out = appendSection(out, secRuns, e.B)

	sort.Slice(w.series, func(i, j int) bool { return w.series[i].ref < w.series[j].ref })
	e.Reset()
	e.PutUvarint(uint64(len(w.series)))
	for _, s := range w.series {
		e.PutUvarint(uint64(s.ref))
		e.PutUvarint(uint64(s.runRef))
		e.PutString(s.metric)
		putContext(&e, s.ctx)
		putSummary(&e, &s.sum)
		e.PutUvarint(uint64(len(s.chunks)))
		for _, c := range s.chunks {
			e.PutUvarint(c.off)
			e.PutUvarint(uint64(c.size))
			e.PutUvarint(uint64(c.n))
			e.PutUvarint(c.firstIdx)
			e.PutVarint(c.minStep)
			e.PutVarint(c.maxStep)
			e.PutVarint(c.lastStep)
			if c.sorted {
				e.PutByte(1)
			} else {
				e.PutByte(0)
			}
		}
	}
	out = appendSection(out, secSeries, e.B)

	e.Reset()
	e.PutUvarint(uint64(len(tombs)))
	for _, r := range tombs {
		e.PutUvarint(uint64(r))
	}
	out = appendSection(out, secTombstones, e.B)
	return appendSection(out, secEnd, nil)
}

func putContext(e *encoding.Encbuf, ctx Context) {
	names := make([]string, 0, len(ctx))
	for k := range ctx {
		names = append(names, k)
	}
	sort.Strings(names)
	e.PutUvarint(uint64(len(names)))
	for _, k := range names {
		e.PutString(k)
		e.PutString(ctx[k])
	}
}

func putSummary(e *encoding.Encbuf, s *Summary) {
	e.PutUvarint(uint64(s.Count))
	e.PutVarint(s.FirstStep)
	e.PutVarint(s.LastStep)
	e.PutBE64(math.Float64bits(s.Last))
	e.PutVarint(s.LastTime)
	e.PutBE64(math.Float64bits(s.Min))
	e.PutBE64(math.Float64bits(s.Max))
}

func encodeBlockMeta(m *blockMeta) []byte {
	b := putFileHeader(nil, magicMeta)
	var e encoding.Encbuf
	e.PutUvarint(m.seq)
	e.PutUvarint(m.order)
	e.PutUvarint(uint64(m.walStart))
	e.PutUvarint(uint64(m.level))
	e.PutUvarint(uint64(len(m.parents)))
	for _, p := range m.parents {
		e.PutUvarint(p)
	}
	e.PutUvarint(uint64(m.runs))
	e.PutUvarint(uint64(m.series))
	e.PutUvarint(uint64(m.points))
	e.PutUvarint(uint64(m.chunkBytes))
	if m.created == 0 {
		m.created = time.Now().UnixMilli()
	}
	e.PutVarint(m.created)
	b = append(b, e.B...)
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// writeFileSynced writes a whole file and fsyncs it.
func writeFileSynced(fs vfs.FS, name string, b []byte) error {
	f, err := fs.Create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return f.Close()
}
