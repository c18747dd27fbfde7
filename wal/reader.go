package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/golang/snappy"
)

const (
	// readerBufSize is a standalone Reader's initial buffer; it grows, only
	// as data actually arrives, to hold the largest frame.
	readerBufSize = 64 << 10
	// replayBufSize is Replay's buffer: large reads keep syscalls rare.
	replayBufSize = 4 << 20
)

// errTruncated marks a header or frame cut short by the end of the input.
var errTruncated = fmt.Errorf("truncated: %w", io.ErrUnexpectedEOF)

// Reader iterates over the records of one segment file: its header, then
// its frames. It checks every checksum and decompresses payloads. The
// first damage stops it, and Err then returns a *CorruptionError whose
// Offset is where the damage starts.
//
//	r := wal.NewReader(f)
//	for r.Next() {
//		typ, payload := r.Record()
//		...
//	}
//	if err := r.Err(); err != nil { ... }
//
// A Reader never allocates more than about twice the bytes its input
// actually holds, whatever lengths damaged data claims.
type Reader struct {
	r   io.Reader
	buf []byte // buf[pos:end] is read but not yet consumed
	pos int
	end int
	off int64 // segment offset of buf[pos]
	eof bool

	started bool
	segment int // index from the header, -1 until read
	// wantSegment, if >= 0, is the index the header must carry (Replay
	// knows it from the file name).
	wantSegment int

	typ     RecordType
	payload []byte
	recOff  int64
	dec     []byte // reused decompression buffer
	err     error
	done    bool

	// tornEnd describes the damage for Replay's torn-tail rule: the
	// offset where the damaged header or frame claims to end (MaxInt64
	// when its own header is incomplete), or -1 when the damage cannot
	// be a torn write (its checksum holds).
	tornEnd int64
}

// NewReader returns a Reader over a whole segment file read from r.
func NewReader(r io.Reader) *Reader {
	rd := &Reader{}
	rd.reset(r, make([]byte, readerBufSize), -1)
	return rd
}

// reset points the Reader at a new segment, keeping its buffers.
func (r *Reader) reset(src io.Reader, buf []byte, wantSegment int) {
	*r = Reader{r: src, buf: buf[:cap(buf)], dec: r.dec, segment: -1, wantSegment: wantSegment, tornEnd: -1}
}

// Next advances to the next record and reports whether there is one. It
// returns false at the end of the segment or at the first damage; Err
// tells which.
func (r *Reader) Next() bool {
	if r.done {
		return false
	}
	if !r.started {
		r.started = true
		if !r.readHeader() {
			r.done = true
			return false
		}
	}
	if !r.readFrame() {
		r.done = true
		r.payload = nil
		return false
	}
	return true
}

// Record returns the current record. The payload is valid only until the
// next call to Next; copy it to keep it.
func (r *Reader) Record() (RecordType, []byte) { return r.typ, r.payload }

// Offset returns the byte offset in the segment of the current record's
// frame. After Next has returned false it is where reading stopped: the
// end of the segment, or the start of the damage, so everything before it
// is intact.
func (r *Reader) Offset() int64 { return r.recOff }

// Err returns nil at a clean end of the segment, a *CorruptionError for
// damage, an error wrapping ErrUnsupportedVersion for a newer format, or
// the input's own read error.
func (r *Reader) Err() error { return r.err }

func (r *Reader) corrupt(off, tornEnd int64, err error) {
	r.err = &CorruptionError{Segment: r.segment, Offset: off, Err: err}
	r.recOff = off
	r.tornEnd = tornEnd
}

func (r *Reader) readHeader() bool {
	if ok, err := r.fill(SegmentHeaderSize); !ok {
		if err != nil {
			r.err = err
			return false
		}
		r.corrupt(0, math.MaxInt64, fmt.Errorf("segment header %w", errTruncated))
		return false
	}
	index, herr, err := parseSegmentHeader(r.buf[r.pos : r.pos+SegmentHeaderSize])
	switch {
	case err != nil:
		r.err = err
		return false
	case herr != nil:
		tornEnd := int64(-1)
		if herr.torn {
			tornEnd = SegmentHeaderSize
		}
		r.corrupt(0, tornEnd, herr.err)
		return false
	}
	r.segment = index
	if r.wantSegment >= 0 && index != r.wantSegment {
		r.corrupt(0, -1, fmt.Errorf("header names segment %d", index))
		return false
	}
	r.consume(SegmentHeaderSize)
	return true
}

func (r *Reader) readFrame() bool {
	start := r.off
	r.recOff = start
	ok, err := r.fill(FrameHeaderSize)
	if !ok {
		switch {
		case err != nil:
			r.err = err
		case r.end > r.pos:
			r.corrupt(start, math.MaxInt64, fmt.Errorf("frame header %w", errTruncated))
		}
		// Otherwise the segment ends cleanly on a frame boundary.
		return false
	}
	h := r.buf[r.pos : r.pos+FrameHeaderSize]
	sum := binary.LittleEndian.Uint32(h[0:4])
	n := int64(binary.LittleEndian.Uint32(h[4:8]))
	tb := h[8]
	claimedEnd := start + FrameHeaderSize + n
	// Check what can be checked before reading the payload, so a damaged
	// length never drives an allocation.
	if n > maxStoredLen {
		r.corrupt(start, claimedEnd, fmt.Errorf("frame length %d exceeds %d", n, maxStoredLen))
		return false
	}
	if RecordType(tb&^flagSnappy) == 0 {
		r.corrupt(start, claimedEnd, errors.New("record type 0"))
		return false
	}
	frameLen := FrameHeaderSize + int(n)
	if ok, err := r.fill(frameLen); !ok {
		if err != nil {
			r.err = err
		} else {
			r.corrupt(start, claimedEnd, fmt.Errorf("frame of %d bytes %w", frameLen, errTruncated))
		}
		return false
	}
	frame := r.buf[r.pos : r.pos+frameLen]
	if got := crc32.Update(0, castagnoli, frame[4:]); got != sum {
		r.corrupt(start, claimedEnd, fmt.Errorf("frame checksum mismatch: stored %08x, computed %08x", sum, got))
		return false
	}
	payload := frame[FrameHeaderSize:]
	if tb&flagSnappy != 0 {
		// The checksum holds, so the writer wrote these bytes: a decoding
		// failure is a bug or deliberate damage, never a torn write.
		p, err := r.decode(payload)
		if err != nil {
			r.corrupt(start, -1, err)
			return false
		}
		payload = p
	}
	r.typ = RecordType(tb &^ flagSnappy)
	r.payload = payload
	r.consume(frameLen)
	return true
}

func (r *Reader) decode(src []byte) ([]byte, error) {
	n, err := snappy.DecodedLen(src)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	if n > maxStoredLen || n > snappyMaxExpansion*len(src) {
		return nil, fmt.Errorf("snappy: implausible decoded length %d for %d bytes", n, len(src))
	}
	if cap(r.dec) < n {
		r.dec = make([]byte, n)
	}
	p, err := snappy.Decode(r.dec[:cap(r.dec)], src)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	return p, nil
}

func (r *Reader) consume(n int) {
	r.pos += n
	r.off += int64(n)
}

// fill makes at least n bytes available at buf[pos:]. It returns false
// with a nil error when the input ends first, and false with the error
// when reading fails. The buffer grows only when it is full of data that
// arrived, which bounds allocation by the input's real size.
func (r *Reader) fill(n int) (bool, error) {
	for stalls := 0; r.end-r.pos < n; {
		if r.eof {
			return false, nil
		}
		if len(r.buf)-r.pos < n && r.pos > 0 {
			copy(r.buf, r.buf[r.pos:r.end])
			r.end -= r.pos
			r.pos = 0
		}
		if r.end == len(r.buf) {
			grown := make([]byte, max(2*len(r.buf), readerBufSize))
			copy(grown, r.buf[r.pos:r.end])
			r.end -= r.pos
			r.pos = 0
			r.buf = grown
		}
		m, err := r.r.Read(r.buf[r.end:])
		r.end += m
		switch {
		case err == io.EOF:
			r.eof = true
		case err != nil:
			return false, fmt.Errorf("read segment: %w", err)
		case m == 0:
			if stalls++; stalls > 100 {
				return false, io.ErrNoProgress
			}
		}
	}
	return true, nil
}
