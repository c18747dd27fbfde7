package fuzz

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/wal"
)

type walRecord struct {
	typ     wal.RecordType
	payload []byte
}

// FuzzWALReader feeds arbitrary bytes to wal.NewReader as a segment file.
// It must never panic, and never allocate for lengths the input does not
// back (the reader checks claimed lengths before reading). It must stop
// consistently: at the end of the input with no error, or at a damage
// offset reported both by Offset and by the *CorruptionError. The bytes
// before that offset must read back alone as the same records without
// error, and records read cleanly must survive being written through a
// WAL and read again. The seeds in testdata/fuzz/FuzzWALReader run as
// ordinary tests.
func FuzzWALReader(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, stop, err := readSegment(data)
		require.GreaterOrEqual(t, stop, int64(0))
		require.LessOrEqual(t, stop, int64(len(data)))
		if err == nil {
			require.Equal(t, int64(len(data)), stop, "a clean read consumes everything")
		} else if !errors.Is(err, wal.ErrUnsupportedVersion) {
			var ce *wal.CorruptionError
			require.True(t, errors.As(err, &ce), "unexpected error type: %v", err)
			require.ErrorIs(t, err, wal.ErrCorrupt)
			require.Equal(t, stop, ce.Offset)
			require.NotEmpty(t, ce.Error())
		}
		if stop < wal.SegmentHeaderSize {
			require.Empty(t, recs)
			return
		}

		// Everything before the damage is intact on its own.
		again, againStop, err := readSegment(data[:stop])
		require.NoError(t, err)
		require.Equal(t, stop, againStop)
		require.Equal(t, recs, again)

		if len(recs) > 0 {
			require.Equal(t, recs, roundTrip(t, recs))
		}
	})
}

// readSegment reads a segment, checking the Reader's invariants on the way.
func readSegment(data []byte) ([]walRecord, int64, error) {
	r := wal.NewReader(bytes.NewReader(data))
	var recs []walRecord
	prev := int64(-1)
	for r.Next() {
		typ, p := r.Record()
		if typ == 0 || typ > wal.MaxRecordType {
			panic("record type out of range")
		}
		if off := r.Offset(); off <= prev || off < wal.SegmentHeaderSize || off+wal.FrameHeaderSize > int64(len(data)) {
			panic("record offset out of order or out of range")
		} else {
			prev = off
		}
		recs = append(recs, walRecord{typ, append([]byte{}, p...)}) // never nil
	}
	return recs, r.Offset(), r.Err()
}

// roundTrip writes records through a WAL and returns what the WAL's own
// segment reads back as.
func roundTrip(t *testing.T, recs []walRecord) []walRecord {
	fs := vfs.NewMem()
	w, err := wal.Open("/wal", &wal.Options{FS: fs, SegmentSize: wal.MaxSegmentSize})
	require.NoError(t, err)
	_, err = w.Replay(0, nil)
	require.NoError(t, err)
	for _, r := range recs {
		_, err := w.Write(r.typ, r.payload)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	f, err := fs.Open("/wal/" + wal.SegmentName(0))
	require.NoError(t, err)
	defer f.Close()
	seg, err := io.ReadAll(f)
	require.NoError(t, err)
	got, _, err := readSegment(seg)
	require.NoError(t, err)
	return got
}
