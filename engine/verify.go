package engine

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/trackdb/trackdb/index"
	"github.com/trackdb/trackdb/internal/bitstream"
	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/wal"
)

// Problem is one thing Verify found wrong, and where.
type Problem struct {
	File   string // path of the damaged file
	Offset int64  // byte offset in File, -1 when the whole file is concerned
	Msg    string
}

func (p Problem) String() string {
	if p.Offset < 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s at offset %d: %s", p.File, p.Offset, p.Msg)
}

// VerifyReport is what Verify checked and found.
type VerifyReport struct {
	Blocks, Chunks, TimelineChunks, WALSegments, WALRecords int
	Points                                                  int64
	// Where block bytes go: XOR chunk bytes (values and steps), timeline
	// reference streams, timeline chunks (wall times), and the rest of the
	// chunks file (entry framing and checksums).
	XORBytes, RefBytes, TimelineBytes, FramingBytes int64
	// Notes are observations that are not damage, such as a torn WAL
	// tail that the next Open will cut.
	Notes    []string
	Problems []Problem
}

// OK reports whether no problem was found.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// Verify checks every checksum and cross-reference of the store in dir
// without changing it: the marker file, every WAL frame, and in every block
// the meta, each index section, each chunk's CRC, that every chunk decodes
// to the number of points its index entry claims within its step range,
// that every time reference resolves in its run's timeline, and that
// summaries agree with the chunks. It takes the store's lock, so it fails
// with ErrLocked while another process has the store open. A nil opts means
// defaults (only FS is used).
func Verify(dir string, opts *Options) (*VerifyReport, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	fs := o.FS
	if _, err := fs.Stat(filepath.Join(dir, storeFileName)); err != nil {
		return nil, fmt.Errorf("verify %s: %w", dir, ErrNotStore)
	}
	lock, err := fs.Lock(filepath.Join(dir, lockFileName))
	if err != nil {
		if errors.Is(err, vfs.ErrLocked) {
			return nil, fmt.Errorf("verify %s: %w", dir, ErrLocked)
		}
		return nil, err
	}
	defer lock.Close()
	rep := &VerifyReport{}
	if err := checkStoreFile(fs, filepath.Join(dir, storeFileName)); err != nil {
		rep.Problems = append(rep.Problems, Problem{filepath.Join(dir, storeFileName), -1, err.Error()})
	}
	verifyWAL(fs, filepath.Join(dir, walDirName), rep)
	bdir := filepath.Join(dir, blocksDirName)
	names, err := fs.List(bdir)
	if err != nil && !errors.Is(err, io.EOF) {
		names = nil
	}
	for _, name := range names {
		if strings.HasPrefix(name, blockDirPrefix) && !strings.HasSuffix(name, ".tmp") {
			rep.Blocks++
			verifyBlock(fs, filepath.Join(bdir, name), rep)
		}
	}
	return rep, nil
}

func verifyWAL(fs vfs.FS, dir string, rep *VerifyReport) {
	names, err := fs.List(dir)
	if err != nil {
		return
	}
	var segs []string
	for _, n := range names {
		if _, ok := wal.ParseSegmentName(n); ok {
			segs = append(segs, n)
		}
	}
	for i, n := range segs {
		path := filepath.Join(dir, n)
		f, err := fs.Open(path)
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{path, -1, err.Error()})
			continue
		}
		rep.WALSegments++
		r := wal.NewReader(f)
		for r.Next() {
			rep.WALRecords++
		}
		if err := r.Err(); err != nil {
			var ce *wal.CorruptionError
			off := int64(-1)
			if errors.As(err, &ce) {
				off = ce.Offset
			}
			if i == len(segs)-1 {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s: the newest segment ends in damage at offset %d (%v); Open cuts it if it is a torn tail and reports it otherwise", path, off, err))
			} else {
				rep.Problems = append(rep.Problems, Problem{path, off, err.Error()})
			}
		}
		f.Close()
	}
}

func verifyBlock(fs vfs.FS, dir string, rep *VerifyReport) {
	b, err := openBlock(fs, dir)
	if err != nil {
		rep.Problems = append(rep.Problems, problemOf(dir, err))
		return
	}
	defer b.release()
	if err := b.postings.Verify(); err != nil {
		off := int64(-1)
		var ce *index.CorruptionError
		if errors.As(err, &ce) {
			off = int64(ce.Offset)
		}
		rep.Problems = append(rep.Problems, Problem{filepath.Join(dir, blockPostingsName), off, err.Error()})
	}
	chunksName := filepath.Join(dir, blockChunksName)
	bad := func(off uint64, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{chunksName, int64(off), fmt.Sprintf(format, args...)})
	}
	for _, br := range b.runs {
		for i := range br.tl.chunks {
			rep.TimelineChunks++
			data, n, err := b.timelineChunk(&br.tl, i)
			rep.TimelineBytes += int64(len(data))
			rep.FramingBytes += int64(br.tl.chunks[i].size) - int64(len(data))
			if err == nil {
				_, err = decodeTimes(data, n, nil)
			}
			if err != nil {
				bad(br.tl.chunks[i].off, "run %q timeline chunk %d: %v", br.id, i, err)
			}
		}
	}
	var xit chunkenc.Iterator
	for _, s := range b.series {
		tlCount := b.runs[s.runRef].tl.count
		var count int64
		for _, c := range s.chunks {
			rep.Chunks++
			buf := make([]byte, c.size)
			if _, err := b.chunks.ReadAt(buf, int64(c.off)); err != nil {
				bad(c.off, "series %d: read: %v", s.ref, err)
				continue
			}
			xor, idx, err := b.splitSeriesChunk(buf, c.off)
			if err != nil {
				bad(c.off, "series %d: %v", s.ref, err)
				continue
			}
			rep.XORBytes += int64(len(xor))
			rep.RefBytes += int64(len(idx))
			rep.FramingBytes += int64(c.size) - int64(len(xor)+len(idx))
			if msg := checkChunk(xor, idx, c.chunkMeta, tlCount, &xit); msg != "" {
				bad(c.off, "series %d (%s): %s", s.ref, s.metric, msg)
			}
			count += int64(c.n)
		}
		rep.Points += count
		if count != s.sum.Count {
			rep.Problems = append(rep.Problems, Problem{filepath.Join(dir, blockIndexName), -1,
				fmt.Sprintf("series %d: summary counts %d points, chunks hold %d", s.ref, s.sum.Count, count)})
		}
	}
}

// checkChunk decodes a chunk fully and compares it with its index entry.
func checkChunk(xor, idx []byte, m chunkMeta, tlCount uint64, xit *chunkenc.Iterator) string {
	xc, err := xorChunk(xor)
	if err != nil {
		return err.Error()
	}
	*xit = xc.Iterator(*xit)
	ir := bitstream.NewReader(idx)
	ref, delta := m.firstIdx, int64(0)
	n := 0
	prev := int64(0)
	for (*xit).Next() != chunkenc.ValNone {
		dod, err := ir.ReadDoD()
		if err != nil {
			return fmt.Sprintf("time reference %d: %v", n, err)
		}
		delta += dod
		ref += uint64(delta)
		if ref >= tlCount {
			return fmt.Sprintf("point %d refers to timeline entry %d of %d", n, ref, tlCount)
		}
		step, _ := (*xit).At()
		if step < m.minStep || step > m.maxStep {
			return fmt.Sprintf("point %d has step %d outside the index's range [%d, %d]", n, step, m.minStep, m.maxStep)
		}
		if m.sorted && n > 0 && step < prev {
			return fmt.Sprintf("point %d: step %d after %d in a chunk marked sorted", n, step, prev)
		}
		prev = step
		n++
	}
	if err := (*xit).Err(); err != nil {
		return err.Error()
	}
	if n != m.n {
		return fmt.Sprintf("holds %d points, the index says %d", n, m.n)
	}
	return ""
}

// problemOf turns an error from opening a block into a Problem, keeping the
// file and offset that the error names.
func problemOf(dir string, err error) Problem {
	return Problem{File: dir, Offset: -1, Msg: err.Error()}
}
