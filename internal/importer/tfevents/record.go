package tfevents

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

const (
	headerLen = 12 // length + length CRC
	footerLen = 4  // data CRC
)

// RecordReader reads the TFRecords of one file. Use it as
//
//	for r.Next() {
//		data := r.Record() // valid until the next call to Next
//	}
//	if err := r.Err(); err != nil { ... } // a fatal framing error
//
// A record whose data fails its checksum is not returned by Record;
// Next returns true with Skipped set instead, so the caller can report it
// and go on.
type RecordReader struct {
	r      io.Reader
	remain int64 // bytes left in the file, bounding claimed lengths
	off    int64 // offset of the record being read
	next   int64 // offset of the record after it
	hdr    [headerLen]byte
	buf    []byte
	data   []byte
	bad    error
	err    error
}

// NewRecordReader reads records from r, which holds size bytes. size
// bounds every record's claimed length, so a corrupt length never makes
// the reader allocate more than the file holds.
func NewRecordReader(r io.Reader, size int64) *RecordReader {
	return &RecordReader{r: r, remain: size}
}

// Offset returns the byte offset of the record Next last read.
func (rr *RecordReader) Offset() int64 { return rr.off }

// Record returns the data of the record Next read, or nil when it failed
// its checksum. It is valid until the next call to Next.
func (rr *RecordReader) Record() []byte { return rr.data }

// Bad returns why the record Next read was skipped (ErrDataCRC), or nil.
func (rr *RecordReader) Bad() error { return rr.bad }

// Err returns the error that ended reading: nil at a clean end of file,
// ErrTruncated for a file that ends inside a record, ErrLengthCRC, or an
// I/O error.
func (rr *RecordReader) Err() error { return rr.err }

// Next reads the next record. It returns false at the end of the file or
// at an error that ends reading (see Err).
func (rr *RecordReader) Next() bool {
	if rr.err != nil {
		return false
	}
	rr.off = rr.next
	rr.data, rr.bad = nil, nil
	n, err := io.ReadFull(rr.r, rr.hdr[:])
	switch {
	case n == 0 && (err == io.EOF || rr.remain == 0):
		return false // clean end
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		rr.err = fmt.Errorf("%w: %d of %d header bytes", ErrTruncated, n, headerLen)
		return false
	case err != nil:
		rr.err = err
		return false
	}
	rr.remain -= headerLen
	length := binary.LittleEndian.Uint64(rr.hdr[:8])
	if got, want := MaskedCRC(rr.hdr[:8]), binary.LittleEndian.Uint32(rr.hdr[8:]); got != want {
		rr.err = fmt.Errorf("%w: got 0x%08x, want 0x%08x", ErrLengthCRC, got, want)
		return false
	}
	if length > uint64(max(rr.remain-footerLen, 0)) {
		rr.err = fmt.Errorf("%w: record of %d bytes, %d left in the file", ErrTruncated, length, max(rr.remain, 0))
		return false
	}
	total := int(length) + footerLen
	if cap(rr.buf) < total {
		rr.buf = make([]byte, total)
	}
	buf := rr.buf[:total]
	if _, err := io.ReadFull(rr.r, buf); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: file shorter than its size", ErrTruncated)
		}
		rr.err = err
		return false
	}
	rr.remain -= int64(total)
	rr.next = rr.off + headerLen + int64(total)
	data := buf[:length]
	if got, want := MaskedCRC(data), binary.LittleEndian.Uint32(buf[length:]); got != want {
		rr.bad = fmt.Errorf("%w: got 0x%08x, want 0x%08x", ErrDataCRC, got, want)
		return true
	}
	rr.data = data
	return true
}
