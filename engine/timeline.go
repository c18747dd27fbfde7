package engine

import (
	"fmt"
	"slices"

	"github.com/trackdb/trackdb/internal/bitstream"
)

// timelineChunkLen is the number of entries in a full timeline chunk. Fixed
// so that entry i lives in chunk i/timelineChunkLen without an index.
const timelineChunkLen = 1024

// A timeline holds a run's wall times, once per logged call rather than once
// per point: the metrics of one Log call share their step and time, so each
// series stores only a reference into its run's timeline (usually one bit
// per point) instead of ~2 bytes of time per point and series.
//
// Entries are delta-of-delta coded in chunks of timelineChunkLen. A point
// refers to an entry by its index; refs only ever point at the newest entry
// or a new one, so within a series they never decrease.
type timeline struct {
	full      [][]byte // encoded full chunks
	open      bitstream.Writer
	openN     int
	prev      int64 // last time written to the open chunk
	prevDelta int64
	count     uint64 // entries in all chunks
}

// ref returns the index of an entry holding t: the newest entry when it
// already holds t, else a new one.
func (tl *timeline) ref(t int64) uint64 {
	if tl.openN > 0 && tl.prev == t {
		return tl.count - 1
	}
	tl.append(t)
	return tl.count - 1
}

// append adds an entry, even one equal to the newest.
func (tl *timeline) append(t int64) {
	if tl.openN == timelineChunkLen {
		tl.full = append(tl.full, slices.Clone(tl.open.Bytes()))
		tl.open.Reset()
		tl.openN = 0
	}
	if tl.openN == 0 {
		tl.prev, tl.prevDelta = 0, 0
	}
	delta := t - tl.prev
	tl.open.WriteDoD(delta - tl.prevDelta)
	tl.prev, tl.prevDelta = t, delta
	tl.openN++
	tl.count++
}

// timelineSnap is a reader's immutable view of a timeline.
type timelineSnap struct {
	full  [][]byte
	open  []byte
	openN int
	count uint64
}

func (tl *timeline) snapshot() timelineSnap {
	return timelineSnap{
		full:  tl.full[:len(tl.full):len(tl.full)],
		open:  slices.Clone(tl.open.Bytes()),
		openN: tl.openN,
		count: tl.count,
	}
}

// timelineSource is a timeline a reader resolves references against: a
// head snapshot, or a run's timeline in a block.
type timelineSource interface {
	// size returns the number of entries.
	size() uint64
	// chunk returns encoded chunk i and its number of entries.
	chunk(i int) ([]byte, int, error)
}

func (s *timelineSnap) size() uint64 { return s.count }

func (s *timelineSnap) chunk(i int) ([]byte, int, error) {
	switch {
	case i < len(s.full):
		return s.full[i], timelineChunkLen, nil
	case i == len(s.full):
		return s.open, s.openN, nil
	}
	return nil, 0, fmt.Errorf("%w: timeline chunk %d of %d", ErrCorrupt, i, len(s.full)+1)
}

// blockTimelineSrc is a run's timeline in a block.
type blockTimelineSrc struct {
	b  *block
	tl *blockTimeline
}

func (s blockTimelineSrc) size() uint64 { return s.tl.count }

func (s blockTimelineSrc) chunk(i int) ([]byte, int, error) { return s.b.timelineChunk(s.tl, i) }

// timelineReader resolves entry indexes to times, decoding one chunk at a
// time and keeping the last one.
type timelineReader struct {
	src   timelineSource
	chunk int // decoded chunk number, -1 for none
	times []int64
}

func newTimelineReader(src timelineSource) *timelineReader {
	return &timelineReader{src: src, chunk: -1}
}

func (r *timelineReader) at(i uint64) (int64, error) {
	if n := r.src.size(); i >= n {
		return 0, fmt.Errorf("%w: timeline entry %d of %d", ErrCorrupt, i, n)
	}
	c := int(i / timelineChunkLen)
	if c != r.chunk {
		b, n, err := r.src.chunk(c)
		if err != nil {
			r.chunk = -1
			return 0, err
		}
		if r.times, err = decodeTimes(b, n, r.times[:0]); err != nil {
			r.chunk = -1
			return 0, fmt.Errorf("%w: timeline chunk %d: %v", ErrCorrupt, c, err)
		}
		r.chunk = c
	}
	off := int(i % timelineChunkLen)
	if off >= len(r.times) {
		return 0, fmt.Errorf("%w: timeline entry %d beyond chunk %d", ErrCorrupt, i, c)
	}
	return r.times[off], nil
}

// encodeTimes encodes times as timeline chunks of timelineChunkLen entries.
func encodeTimes(times []int64) [][]byte {
	var tl timeline
	for _, t := range times {
		tl.append(t)
	}
	s := tl.snapshot()
	if s.openN > 0 {
		return append(s.full, s.open)
	}
	return s.full
}

// decodeTimes appends the n times of one encoded timeline chunk to dst.
func decodeTimes(b []byte, n int, dst []int64) ([]int64, error) {
	r := bitstream.NewReader(b)
	var prev, delta int64
	for range n {
		dod, err := r.ReadDoD()
		if err != nil {
			return dst, err
		}
		delta += dod
		prev += delta
		dst = append(dst, prev)
	}
	return dst, nil
}
