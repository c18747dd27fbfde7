package wal

import (
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"github.com/trackdb/trackdb/internal/vfs"
)

// SegmentName returns the file name of segment index: the index in decimal,
// zero-padded to eight digits ("00000042").
func SegmentName(index int) string {
	return fmt.Sprintf("%08d", index)
}

// ParseSegmentName returns the index named by a segment file name, and
// false for any other name: only SegmentName's exact output is a segment,
// so stray files in the directory are ignored.
func ParseSegmentName(name string) (int, bool) {
	if len(name) < 8 {
		return 0, false
	}
	for _, c := range []byte(name) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(name, 10, 32)
	if err != nil || SegmentName(int(n)) != name {
		return 0, false
	}
	return int(n), true
}

// listSegments returns the indexes of the segment files in dir, ascending.
func listSegments(fs vfs.FS, dir string) ([]int, error) {
	names, err := fs.List(dir)
	if err != nil {
		return nil, err
	}
	var idx []int
	for _, name := range names { // sorted, and zero padding sorts numerically
		if i, ok := ParseSegmentName(name); ok {
			idx = append(idx, i)
		}
	}
	return idx, nil
}

// segment is an open segment file. The WAL holds one reference while the
// segment is current; a group-commit leader holds another while it fsyncs
// outside the WAL's lock, so a concurrent rollover cannot close the file
// under it.
type segment struct {
	index int
	f     vfs.File
	refs  atomic.Int32
}

func (s *segment) acquire() { s.refs.Add(1) }

// release drops a reference and closes the file with the last one.
func (s *segment) release() error {
	if s.refs.Add(-1) == 0 {
		return s.f.Close()
	}
	return nil
}

// createSegment creates segment index with its header and makes both the
// file and its directory entry durable, so that after a crash the segment
// exists with a valid header or, if the crash came first, is missing or
// torn as the newest segment, which Replay handles.
func (w *WAL) createSegment(index int) (*segment, error) {
	if index > maxSegmentIndex {
		return nil, fmt.Errorf("segment index %d exceeds %d", index, maxSegmentIndex)
	}
	name := filepath.Join(w.dir, SegmentName(index))
	f, err := w.opts.FS.Create(name)
	if err != nil {
		return nil, fmt.Errorf("create segment: %w", err)
	}
	var hdr [SegmentHeaderSize]byte
	putSegmentHeader(hdr[:], index)
	if _, err = f.Write(hdr[:]); err == nil {
		if err = f.Sync(); err == nil {
			err = w.dirFile.Sync()
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("create segment %s: %w", name, err)
	}
	s := &segment{index: index, f: f}
	s.refs.Store(1)
	return s, nil
}

// maxSegmentIndex is the largest index the header's 32-bit field holds.
const maxSegmentIndex = 1<<32 - 1
