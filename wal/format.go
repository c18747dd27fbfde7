package wal

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/golang/snappy"
)

// RecordType is a caller-defined record kind in 1..MaxRecordType. Zero is
// never valid, so zero-filled bytes can never pass for a record.
type RecordType uint8

// These constants are part of the on-disk format; see the package doc.
// Changing any of them requires a new FormatVersion.
const (
	// FormatVersion is the segment format this package writes, and the
	// newest it reads.
	FormatVersion = 1
	// SegmentHeaderSize is the size of the header at the start of every
	// segment file.
	SegmentHeaderSize = 16
	// FrameHeaderSize is the size of the header before every payload.
	FrameHeaderSize = 9
	// MaxRecordType is the largest RecordType; the type byte's high bit is
	// the compression flag.
	MaxRecordType RecordType = 0x7f
	// MinSegmentSize is the smallest accepted Options.SegmentSize.
	MinSegmentSize = 64 << 10
	// MaxSegmentSize is the largest accepted Options.SegmentSize. A frame
	// claiming more can only be damage, which is what lets a reader refuse
	// to allocate for it.
	MaxSegmentSize = 1 << 30

	// flagSnappy in the type byte marks a snappy-compressed payload.
	flagSnappy = 0x80
	// maxStoredLen is the largest payload a frame can hold in any segment.
	maxStoredLen = MaxSegmentSize - SegmentHeaderSize - FrameHeaderSize
)

// segmentMagic opens every segment file: "TDBW", trackdb WAL.
var segmentMagic = [4]byte{'T', 'D', 'B', 'W'}

// castagnoli is CRC32C, which hash/crc32 computes with SSE4.2 or ARMv8 CRC
// instructions where present.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const (
	// minCompressLen: below it payloads are stored as they are. Snappy
	// costs ~60 ns on a 130-byte payload, as much as the rest of Write,
	// and saves little on short records of varints and floats.
	minCompressLen = 256
	// snappyMaxExpansion bounds how much a snappy block can grow when
	// decoded: its densest element, a 3-byte copy, yields 64 bytes. A
	// block that claims more is damaged and gets no allocation.
	snappyMaxExpansion = 22
)

// putSegmentHeader writes the header of segment index into b.
func putSegmentHeader(b []byte, index int) {
	copy(b[0:4], segmentMagic[:])
	b[4] = FormatVersion
	b[5], b[6], b[7] = 0, 0, 0
	binary.LittleEndian.PutUint32(b[8:12], uint32(index))
	binary.LittleEndian.PutUint32(b[12:16], crc32.Checksum(b[:12], castagnoli))
}

// headerError is a damaged header. torn is false when the header's checksum
// holds, i.e. it says exactly what its writer wrote and cannot be a torn
// write.
type headerError struct {
	err  error
	torn bool
}

// parseSegmentHeader returns the segment index recorded in b. A newer
// version is reported as ErrUnsupportedVersion, not as damage.
func parseSegmentHeader(b []byte) (int, *headerError, error) {
	if [4]byte(b[0:4]) != segmentMagic {
		return 0, &headerError{fmt.Errorf("bad magic %q", b[0:4]), true}, nil
	}
	if got, want := crc32.Checksum(b[:12], castagnoli), binary.LittleEndian.Uint32(b[12:16]); got != want {
		return 0, &headerError{fmt.Errorf("header checksum mismatch: stored %08x, computed %08x", want, got), true}, nil
	}
	switch v := b[4]; {
	case v > FormatVersion:
		return 0, nil, fmt.Errorf("%w: version %d, this build reads up to %d", ErrUnsupportedVersion, v, FormatVersion)
	case v == 0:
		return 0, &headerError{fmt.Errorf("invalid version 0"), false}, nil
	}
	if b[5]|b[6]|b[7] != 0 {
		return 0, &headerError{fmt.Errorf("reserved header bytes %x are not zero", b[5:8]), false}, nil
	}
	return int(binary.LittleEndian.Uint32(b[8:12])), nil, nil
}

// maxFrameLen is the most bytes encodeFrame may write for a payload of n
// bytes: compression is tried only when it could pay.
func maxFrameLen(n int) int {
	if n >= minCompressLen {
		return FrameHeaderSize + snappy.MaxEncodedLen(n)
	}
	return FrameHeaderSize + n
}

// encodeFrame writes one frame into dst, which must hold maxFrameLen(len(
// payload)) bytes, and returns its length. It does not allocate: snappy
// encodes straight into dst.
func encodeFrame(dst []byte, typ RecordType, payload []byte) int {
	body := dst[FrameHeaderSize:]
	tb := byte(typ)
	stored := len(payload)
	compressed := false
	if len(payload) >= minCompressLen {
		// Keep the compressed form only if it saves at least 1/8: decoding
		// costs replay time, and a marginal win is not worth it.
		if c := snappy.Encode(body, payload); len(c) <= len(payload)-len(payload)/8 {
			stored, compressed = len(c), true
			tb |= flagSnappy
		}
	}
	if !compressed {
		copy(body, payload)
	}
	binary.LittleEndian.PutUint32(dst[4:8], uint32(stored))
	dst[8] = tb
	end := FrameHeaderSize + stored
	binary.LittleEndian.PutUint32(dst[0:4], crc32.Update(0, castagnoli, dst[4:end]))
	return end
}
