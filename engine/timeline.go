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
	// times returns the decoded entries of chunk i. The result may be
	// shared and must not be changed; buf may be used to hold it.
	times(i int, buf []int64) ([]int64, error)
}

func (s *timelineSnap) size() uint64 { return s.count }

func (s *timelineSnap) times(i int, buf []int64) ([]int64, error) {
	var b []byte
	var n int
	switch {
	case i < len(s.full):
		b, n = s.full[i], timelineChunkLen
	case i == len(s.full):
		b, n = s.open, s.openN
	default:
		return nil, fmt.Errorf("%w: timeline chunk %d of %d", ErrCorrupt, i, len(s.full)+1)
	}
	out, err := decodeTimes(b, n, buf[:0])
	if err != nil {
		return nil, fmt.Errorf("%w: timeline chunk %d: %v", ErrCorrupt, i, err)
	}
	return out, nil
}

// blockTimelineSrc is a run's timeline in a block.
type blockTimelineSrc struct {
	b   *block
	run uint32
	tl  *blockTimeline
}

func (s blockTimelineSrc) size() uint64 { return s.tl.count }

func (s blockTimelineSrc) times(i int, _ []int64) ([]int64, error) {
	return s.b.timelineTimes(s.run, s.tl, i)
}

// timelineReader resolves entry indexes to times, one chunk at a time.
type timelineReader struct {
	src    timelineSource
	n      uint64  // entries in src
	lo, hi uint64  // entries held in times: [lo, hi)
	times  []int64 // decoded entries of the current chunk
	own    []int64 // buffer for sources that decode into it
}

func newTimelineReader(src timelineSource) *timelineReader {
	return &timelineReader{src: src, n: src.size()}
}

// at returns the time of entry i. It is small enough to inline; the chunk
// change happens in load.
func (r *timelineReader) at(i uint64) (int64, error) {
	if i >= r.lo && i < r.hi {
		return r.times[i-r.lo], nil
	}
	return r.load(i)
}

func (r *timelineReader) load(i uint64) (int64, error) {
	if i >= r.n {
		return 0, fmt.Errorf("%w: timeline entry %d of %d", ErrCorrupt, i, r.n)
	}
	c := int(i / timelineChunkLen)
	times, err := r.src.times(c, r.own)
	if err != nil {
		r.lo, r.hi = 0, 0
		return 0, err
	}
	// A block source ignores the buffer and returns shared entries, so
	// keeping them as the buffer never leads to a write into them.
	r.own = times[:0]
	r.times = times
	r.lo = uint64(c) * timelineChunkLen
	r.hi = r.lo + uint64(len(times))
	if i >= r.hi {
		return 0, fmt.Errorf("%w: timeline entry %d beyond chunk %d", ErrCorrupt, i, c)
	}
	return r.times[i-r.lo], nil
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
