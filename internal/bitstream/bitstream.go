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

// ReadBits reads n bits (n <= 64), most significant first.
func (r *Reader) ReadBits(n int) (uint64, error) {
	if uint(len(r.b))*8-r.pos < uint(n) || uint(len(r.b))*8 < r.pos {
		return 0, ErrShort
	}
	var v uint64
	for n > 0 {
		i := r.pos >> 3
		used := r.pos & 7
		avail := 8 - int(used)
		k := avail
		if k > n {
			k = n
		}
		chunk := uint64(r.b[i]>>uint(avail-k)) & (1<<uint(k) - 1)
		v = v<<uint(k) | chunk
		r.pos += uint(k)
		n -= k
	}
	return v, nil
}

// ReadDoD reads one value of the delta-of-delta code.
func (r *Reader) ReadDoD() (int64, error) {
	// Fast path: the zero case is by far the most common.
	i := r.pos >> 3
	if i < uint(len(r.b)) && r.b[i]>>(7-r.pos&7)&1 == 0 {
		r.pos++
		return 0, nil
	}
	prefix := 0
	for prefix < 4 {
		bit, err := r.ReadBit()
		if err != nil {
			return 0, err
		}
		if !bit {
			break
		}
		prefix++
	}
	var n int
	switch prefix {
	case 0:
		return 0, nil
	case 1:
		n = 7
	case 2:
		n = 14
	case 3:
		n = 20
	default:
		v, err := r.ReadBits(64)
		return int64(v), err
	}
	v, err := r.ReadBits(n)
	if err != nil {
		return 0, err
	}
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
