package tfevents

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/importer/testutil"
)

// outcome is what reading one record gave.
type outcome struct {
	ok    bool
	event Event
	err   error // per-record problem (data CRC, protobuf, wall time)
}

// readAll reads a whole file the way the importer does and returns the
// per-record outcomes and the error that ended the file.
func readAll(t *testing.T, path string) ([]outcome, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	rr := NewRecordReader(bytes.NewReader(b), int64(len(b)))
	var out []outcome
	for rr.Next() {
		if err := rr.Bad(); err != nil {
			out = append(out, outcome{err: err})
			continue
		}
		var ev Event
		if err := Decode(rr.Record(), &ev); err != nil {
			out = append(out, outcome{err: err})
			continue
		}
		if _, err := WallTimeMillis(ev.WallTime); err != nil {
			out = append(out, outcome{event: ev, err: err})
			continue
		}
		out = append(out, outcome{ok: true, event: ev})
	}
	return out, rr.Err()
}

func edge(t *testing.T, name string) string {
	return filepath.Join(testutil.RealData(t, "tensorboard_edge_cases"), name)
}

func TestMaskedCRC(t *testing.T) {
	require.Equal(t, uint32(0x0fd7fffa), MaskedCRC(make([]byte, 32)))
	require.Equal(t, uint32(0x5794d08a), MaskedCRC([]byte("\x1a\x11CRC test, one two")))
	require.Equal(t, uint32(0xa282ead8), MaskedCRC(nil))
	require.Equal(t, uint32(0x49258fd2), MaskedCRC([]byte{0}))
	require.Equal(t, uint32(0x11a0bf28), MaskedCRC([]byte("the quick brown fox jumped over the lazy dog")))
}

func TestEdgeRecordSuccess(t *testing.T) {
	out, err := readAll(t, edge(t, "tf_record_success.tfevents"))
	require.NoError(t, err)
	require.Len(t, out, 2)
	require.True(t, out[0].ok)
	require.Equal(t, 1599759586.0, out[0].event.WallTime)
	require.Equal(t, "brain.Event:2", string(out[0].event.FileVersion))
	ev := out[1].event
	require.True(t, out[1].ok)
	require.Equal(t, int64(77), ev.Step)
	require.Equal(t, 1599759606.859727, ev.WallTime)
	require.Len(t, ev.Values, 1)
	require.Equal(t, "accuracy", string(ev.Values[0].Tag))
	x, ok, err := Scalar(&ev.Values[0], string(ev.Values[0].Plugin))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, float64(float32(0.99)), x)
}

func TestEdgeLengthCRC(t *testing.T) {
	out, err := readAll(t, edge(t, "tf_record_length_crc_mismatch.tfevents"))
	require.Empty(t, out)
	require.ErrorIs(t, err, ErrLengthCRC)
	require.Contains(t, err.Error(), "got 0x224b7fa3, want 0x554b7f99")
}

func TestEdgeDataCRC(t *testing.T) {
	out, err := readAll(t, edge(t, "tf_record_data_crc_mismatch.tfevents"))
	require.NoError(t, err)
	require.Len(t, out, 1)
	require.ErrorIs(t, out[0].err, ErrDataCRC)
	require.Contains(t, out[0].err.Error(), "got 0x26c5f766, want 0x13579bdf")
}

func TestEdgeFromData(t *testing.T) {
	b, err := os.ReadFile(edge(t, "tf_record_from_data.tfevents"))
	require.NoError(t, err)
	rr := NewRecordReader(bytes.NewReader(b), int64(len(b)))
	var got []string
	for rr.Next() {
		require.NoError(t, rr.Bad())
		got = append(got, string(rr.Record()))
	}
	require.NoError(t, rr.Err())
	require.Equal(t, []string{"", "\x00", "the quick brown fox jumped over the lazy dog"}, got)
}

func TestEdgeMixedErrors(t *testing.T) {
	out, err := readAll(t, edge(t, "event_file_mixed_errors.tfevents"))
	require.NoError(t, err, "ends cleanly")
	require.Len(t, out, 5)
	require.True(t, out[0].ok)
	require.Equal(t, 1234.5, out[0].event.WallTime)
	require.ErrorIs(t, out[1].err, ErrWallTime)
	require.True(t, math.IsNaN(out[1].event.WallTime))
	require.ErrorIs(t, out[2].err, ErrProto)
	require.ErrorIs(t, out[3].err, ErrDataCRC)
	require.Contains(t, out[3].err.Error(), "want 0x12345678")
	require.ErrorIs(t, out[4].err, ErrDataCRC, "a valid event with a bad CRC is rejected")
	require.Contains(t, out[4].err.Error(), "got 0xa0c935ec")
}

func TestEdgeChecksumMode(t *testing.T) {
	out, err := readAll(t, edge(t, "event_file_no_checksum_mode.tfevents"))
	require.NoError(t, err)
	require.Len(t, out, 4)
	require.True(t, out[0].ok)
	require.ErrorIs(t, out[1].err, ErrDataCRC)
	require.ErrorIs(t, out[2].err, ErrDataCRC)
	require.ErrorIs(t, out[3].err, ErrProto)
}

func TestEdgeResume(t *testing.T) {
	out, err := readAll(t, edge(t, "event_file_truncated_6_bytes.tfevents"))
	require.Empty(t, out)
	require.ErrorIs(t, err, ErrTruncated)
	out, err = readAll(t, edge(t, "event_file_truncated_resumed_full.tfevents"))
	require.NoError(t, err)
	require.Len(t, out, 1)
	require.Equal(t, 1234.5, out[0].event.WallTime)
	require.Equal(t, "good event", string(out[0].event.FileVersion))
}

func TestEdgeRealTruncatedTail(t *testing.T) {
	db := testutil.OpenDB(t)
	st, warns := importDir(t, db, edge(t, "real_strict_run_1_truncated_mid_record.tfevents"))
	require.Len(t, warns, 1)
	require.ErrorIs(t, warns[0], ErrTruncated)
	require.Equal(t, int64(99), st.Points, "records 1..99 are scalars; the cut 100th is lost")
	out, err := readAll(t, edge(t, "real_strict_run_1_truncated_mid_record.tfevents"))
	require.ErrorIs(t, err, ErrTruncated)
	require.Len(t, out, 100)
}

func TestEdgeRealCorruptRecord(t *testing.T) {
	out, err := readAll(t, edge(t, "real_strict_run_1_corrupt_record_50.tfevents"))
	require.NoError(t, err)
	require.Len(t, out, 101)
	bad := 0
	for i, o := range out {
		if !o.ok {
			bad++
			require.Equal(t, 50, i)
			require.ErrorIs(t, o.err, ErrDataCRC)
		}
	}
	require.Equal(t, 1, bad)

	db := testutil.OpenDB(t)
	st, warns := importDir(t, db, edge(t, "real_strict_run_1_corrupt_record_50.tfevents"))
	require.Len(t, warns, 1)
	require.Equal(t, int64(99), st.Points)
	var pe interface{ Unwrap() error }
	require.True(t, errors.As(warns[0], &pe))
	require.Contains(t, warns[0].Error(), "real_strict_run_1_corrupt_record_50.tfevents: offset ")
}
