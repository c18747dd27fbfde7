package wal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"runtime"
	"testing"
	"testing/iotest"

	"github.com/golang/snappy"
	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// segmentBytes builds a segment holding recs through the WAL itself.
func segmentBytes(t *testing.T, recs []record) []byte {
	t.Helper()
	fs := vfs.NewMem()
	w, _, _ := openWAL(t, fs, nil)
	writeAll(t, w, recs)
	require.NoError(t, w.Close())
	return readFile(t, fs, segPath(0))
}

// frame builds one frame by hand, with a valid checksum.
func frame(typeByte byte, stored []byte) []byte {
	b := make([]byte, FrameHeaderSize+len(stored))
	binary.LittleEndian.PutUint32(b[4:], uint32(len(stored)))
	b[8] = typeByte
	copy(b[FrameHeaderSize:], stored)
	binary.LittleEndian.PutUint32(b[0:], crc32.Update(0, castagnoli, b[4:]))
	return b
}

func header(index int) []byte {
	h := make([]byte, SegmentHeaderSize)
	putSegmentHeader(h, index)
	return h
}

func readAll(r *Reader) (recs []record) {
	for r.Next() {
		typ, p := r.Record()
		recs = append(recs, record{typ, bytes.Clone(p)})
	}
	return recs
}

func TestReader(t *testing.T) {
	want := []record{{1, []byte("a")}, {2, bytes.Repeat([]byte("xyz"), 500)}, {3, nil}}
	seg := segmentBytes(t, want)
	for name, src := range map[string]io.Reader{
		"whole":    bytes.NewReader(seg),
		"one byte": iotest.OneByteReader(bytes.NewReader(seg)),
		"data+err": iotest.DataErrReader(bytes.NewReader(seg)),
	} {
		r := NewReader(src)
		got := readAll(r)
		require.NoError(t, r.Err(), name)
		requireRecords(t, want, got)
		require.Equal(t, int64(len(seg)), r.Offset(), "%s: stops at the end", name)
		require.False(t, r.Next(), "stays done")
	}
}

func TestReaderErrors(t *testing.T) {
	good := frame(1, []byte("ok"))
	for name, tc := range map[string]struct {
		input  []byte
		offset int64
	}{
		"empty":           {nil, 0},
		"short header":    {header(0)[:10], 0},
		"bad magic":       {append([]byte("XDBW"), header(0)[4:]...), 0},
		"type zero":       {cat(header(3), good, frame(0, []byte("x"))), SegmentHeaderSize + int64(len(good))},
		"short frame":     {cat(header(3), good, good[:5]), SegmentHeaderSize + int64(len(good))},
		"short payload":   {cat(header(3), good, good[:len(good)-1]), SegmentHeaderSize + int64(len(good))},
		"huge length":     {cat(header(3), []byte{0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 1}), SegmentHeaderSize},
		"bad snappy":      {cat(header(3), frame(1|flagSnappy, []byte{0x05, 0xff})), SegmentHeaderSize},
		"snappy too long": {cat(header(3), frame(1|flagSnappy, []byte{0xff, 0xff, 0xff, 0xff, 0x03, 0})), SegmentHeaderSize},
	} {
		r := NewReader(bytes.NewReader(tc.input))
		readAll(r)
		var ce *CorruptionError
		require.ErrorAs(t, r.Err(), &ce, name)
		require.ErrorIs(t, r.Err(), ErrCorrupt, name)
		require.Equal(t, tc.offset, ce.Offset, name)
		require.Equal(t, tc.offset, r.Offset(), name)
	}

	// Read errors are passed on, not mistaken for damage.
	r := NewReader(io.MultiReader(bytes.NewReader(header(0)), iotest.ErrReader(errInjected)))
	require.False(t, r.Next())
	require.ErrorIs(t, r.Err(), errInjected)
	require.False(t, errors.Is(r.Err(), ErrCorrupt))
}

func TestReaderSegmentIndex(t *testing.T) {
	r := NewReader(bytes.NewReader(cat(header(7), frame(1, []byte{1}), []byte{0xff})))
	readAll(r)
	var ce *CorruptionError
	require.ErrorAs(t, r.Err(), &ce)
	require.Equal(t, 7, ce.Segment, "taken from the header")
	require.Contains(t, ce.Error(), SegmentName(7))
}

// Damaged lengths must not drive allocations: a claimed gigabyte over a few
// bytes of input costs a few bytes.
func TestReaderBoundedAllocation(t *testing.T) {
	claims := map[string][]byte{
		"frame length": cat(header(0), []byte{0, 0, 0, 0, 0xe0, 0xff, 0xff, 0x3f, 1}, make([]byte, 100)),
		"snappy length": cat(header(0), frame(1|flagSnappy,
			append(binary.AppendUvarint(nil, maxStoredLen), make([]byte, 50)...))),
	}
	for name, input := range claims {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := NewReader(bytes.NewReader(input))
		readAll(r)
		runtime.ReadMemStats(&after)
		require.ErrorIs(t, r.Err(), ErrCorrupt, name)
		require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), name)
	}
}

func TestReaderSnappyBound(t *testing.T) {
	// The densest real snappy stays within the expansion bound.
	p := make([]byte, 1<<20)
	c := snappy.Encode(nil, p)
	require.LessOrEqual(t, len(p), snappyMaxExpansion*len(c))
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
