// Package bitstream writes and reads big-endian bit streams and the
// delta-of-delta integer code that trackdb's chunk side streams use.
//
// The code is a variable-length prefix code for a signed delta-of-delta d:
//
//	d == 0                '0'
//	-63 <= d <= 64        '10'   + 7 bits
//	-8191 <= d <= 8192    '110'  + 14 bits
//	-524287 <= d <= 2^19  '1110' + 20 bits
//	otherwise             '1111' + 64 bits
//
// These constants are part of the on-disk format.
package bitstream

import (
	"encoding/binary"
	"errors"
)

// ErrShort is returned when a read runs past the end of the stream.
var ErrShort = errors.New("trackdb/bitstream: stream ends early")

// Writer appends bits to a byte slice. The zero value is ready to use.
type Writer struct {
	b    []byte
	free uint8 // unused low bits in the last byte of b
}

// Bytes returns the stream. The last byte may be partly used; its unused
// bits are zero.
func (w *Writer) Bytes() []byte { return w.b }

// Reset empties the writer, keeping its buffer.
func (w *Writer) Reset() { w.b, w.free = w.b[:0], 0 }

// Len returns the number of bytes the stream occupies.
func (w *Writer) Len() int { return len(w.b) }

// WriteBit appends one bit.
func (w *Writer) WriteBit(one bool) {
	if w.free == 0 {
		w.b = append(w.b, 0)
		w.free = 8
	}
	w.free--
	if one {
		w.b[len(w.b)-1] |= 1 << w.free
	}
}

// WriteBits appends the low n bits of v, most significant first.
func (w *Writer) WriteBits(v uint64, n int) {
	if n < 64 {
		v &= 1<<uint(n) - 1
	}
	for n > 0 {
		if w.free == 0 {
			w.b = append(w.b, 0)
			w.free = 8
		}
		k := int(w.free)
		if k > n {
			k = n
		}
		chunk := byte(v>>uint(n-k)) & byte(1<<uint(k)-1)
		w.free -= uint8(k)
		w.b[len(w.b)-1] |= chunk << w.free
		n -= k
	}
}

// WriteDoD appends d in the delta-of-delta code.
func (w *Writer) WriteDoD(d int64) {
	switch {
	case d == 0:
		w.WriteBit(false)
	case fits(d, 7):
		w.WriteBits(0b10, 2)
		w.WriteBits(uint64(d), 7)
	case fits(d, 14):
		w.WriteBits(0b110, 3)
		w.WriteBits(uint64(d), 14)
	case fits(d, 20):
		w.WriteBits(0b1110, 4)
		w.WriteBits(uint64(d), 20)
	default:
		w.WriteBits(0b1111, 4)
		w.WriteBits(uint64(d), 64)
	}
}

// fits reports whether d is in [-(2^(n-1)-1), 2^(n-1)], the range that an
// n-bit field decodes without ambiguity.
func fits(d int64, n uint) bool {
	return -(int64(1)<<(n-1)-1) <= d && d <= int64(1)<<(n-1)
}

// Reader reads a stream written by Writer.
type Reader struct {
	b   []byte
	pos uint // next bit
}

// NewReader returns a reader over b.
func NewReader(b []byte) Reader { return Reader{b: b} }

// Reset points the reader at b from its first bit.
func (r *Reader) Reset(b []byte) { r.b, r.pos = b, 0 }

// ReadBit reads one bit.
func (r *Reader) ReadBit() (bool, error) {
	i := r.pos >> 3
	if i >= uint(len(r.b)) {
		return false, ErrShort
	}
	bit := r.b[i]>>(7-r.pos&7)&1 == 1
	r.pos++
	return bit, nil
}

// window returns the 64 bits starting at byte i, zero-padded past the end.
func (r *Reader) window(i uint) uint64 {
	if i+8 <= uint(len(r.b)) {
		return binary.BigEndian.Uint64(r.b[i:])
	}
	var w uint64
	for k := uint(0); k < 8; k++ {
		w <<= 8
		if i+k < uint(len(r.b)) {
			w |= uint64(r.b[i+k])
		}
	}
	return w
}

// ReadBits reads n bits (n <= 64), most significant first.
func (r *Reader) ReadBits(n int) (uint64, error) {
	if n <= 0 {
		return 0, nil
	}
	end := r.pos + uint(n)
	if end > uint(len(r.b))*8 {
		return 0, ErrShort
	}
	if n > 56 {
		// More bits than one 64-bit window holds after the bit offset.
		hi, _ := r.ReadBits(n - 32)
		lo, _ := r.ReadBits(32)
		return hi<<32 | lo, nil
	}
	w := r.window(r.pos >> 3)
	v := (w << (r.pos & 7)) >> (64 - uint(n))
	r.pos = end
	return v, nil
}

// ReadDoD reads one value of the delta-of-delta code.
func (r *Reader) ReadDoD() (int64, error) {
	// Fast path: the zero code is by far the most common.
	if i := r.pos >> 3; i < uint(len(r.b)) && r.b[i]>>(7-r.pos&7)&1 == 0 {
		r.pos++
		return 0, nil
	}
	avail := uint(len(r.b))*8 - r.pos
	if uint(len(r.b))*8 < r.pos || avail == 0 {
		return 0, ErrShort
	}
	// One window holds the prefix (at most 4 bits) and, for the short
	// codes, the value too.
	w := r.window(r.pos>>3) << (r.pos & 7)
	if w>>63 == 0 {
		r.pos++
		return 0, nil
	}
	var prefix, n int
	switch {
	case w>>62 == 0b10:
		prefix, n = 2, 7
	case w>>61 == 0b110:
		prefix, n = 3, 14
	case w>>60 == 0b1110:
		prefix, n = 4, 20
	default:
		prefix, n = 4, 64
	}
	if avail < uint(prefix+n) {
		return 0, ErrShort
	}
	if n == 64 {
		r.pos += uint(prefix)
		v, err := r.ReadBits(64)
		return int64(v), err
	}
	v := (w << uint(prefix)) >> (64 - uint(n))
	r.pos += uint(prefix + n)
	return signExtend(v, n), nil
}

// signExtend undoes the truncation of fits' range to n bits: values above
// 2^(n-1) are negative.
func signExtend(v uint64, n int) int64 {
	if v > 1<<uint(n-1) {
		return int64(v) - int64(1)<<uint(n)
	}
	return int64(v)
}
