// Package encoding has the append-style encoder and the sticky-error decoder
// used by trackdb's record and file formats.
//
// Integers are varints as in encoding/binary; strings are a uvarint length
// followed by the bytes; floats are 8 little-endian bytes, or 4 when the
// value is exactly a widened float32 (see PutValue).
package encoding

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is the sticky error of a Decbuf that ran out of bytes or met a
// malformed value.
var ErrInvalid = errors.New("trackdb/encoding: invalid encoding")

// Encbuf appends encoded values to B.
type Encbuf struct{ B []byte }

// Reset empties the buffer, keeping its memory.
func (e *Encbuf) Reset() { e.B = e.B[:0] }

// Len returns the encoded length.
func (e *Encbuf) Len() int { return len(e.B) }

// PutByte appends one byte.
func (e *Encbuf) PutByte(c byte) { e.B = append(e.B, c) }

// PutUvarint appends an unsigned varint.
func (e *Encbuf) PutUvarint(x uint64) { e.B = binary.AppendUvarint(e.B, x) }

// PutVarint appends a zig-zag signed varint.
func (e *Encbuf) PutVarint(x int64) { e.B = binary.AppendVarint(e.B, x) }

// PutString appends a length-prefixed string.
func (e *Encbuf) PutString(s string) {
	e.B = binary.AppendUvarint(e.B, uint64(len(s)))
	e.B = append(e.B, s...)
}

// PutBE32 appends a big-endian uint32.
func (e *Encbuf) PutBE32(x uint32) { e.B = binary.BigEndian.AppendUint32(e.B, x) }

// PutBE64 appends a big-endian uint64.
func (e *Encbuf) PutBE64(x uint64) { e.B = binary.BigEndian.AppendUint64(e.B, x) }

// Value tags: the byte in front of a PutValue float.
const (
	valFloat64 = 0 // 8 bytes, little-endian IEEE 754 bits
	valFloat32 = 1 // 4 bytes, little-endian float32 bits, widened exactly on read
)

// PutValue appends a float64 bit-exactly: as float32 when widening that
// float32 gives back the same 64 bits (most training metrics are float32
// tensors), else as all 64 bits. NaN payloads, infinities and -0 survive.
func (e *Encbuf) PutValue(v float64) {
	bits := math.Float64bits(v)
	f := float32(v)
	if math.Float64bits(float64(f)) == bits {
		e.B = append(e.B, valFloat32)
		e.B = binary.LittleEndian.AppendUint32(e.B, math.Float32bits(f))
		return
	}
	e.B = append(e.B, valFloat64)
	e.B = binary.LittleEndian.AppendUint64(e.B, bits)
}

// Decbuf decodes values from B. The first failure sets E, after which every
// read returns a zero value: callers check E once at the end.
type Decbuf struct {
	B []byte
	E error
}

// Len returns the bytes left.
func (d *Decbuf) Len() int { return len(d.B) }

func (d *Decbuf) fail(what string) {
	if d.E == nil {
		d.E = fmt.Errorf("%w: %s", ErrInvalid, what)
	}
	d.B = nil
}

// Byte reads one byte.
func (d *Decbuf) Byte() byte {
	if len(d.B) < 1 {
		d.fail("short byte")
		return 0
	}
	c := d.B[0]
	d.B = d.B[1:]
	return c
}

// Uvarint reads an unsigned varint.
func (d *Decbuf) Uvarint() uint64 {
	x, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.fail("bad uvarint")
		return 0
	}
	d.B = d.B[n:]
	return x
}

// Varint reads a signed varint.
func (d *Decbuf) Varint() int64 {
	x, n := binary.Varint(d.B)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.B = d.B[n:]
	return x
}

// Count reads a uvarint element count and checks that at least min bytes per
// element remain, so a corrupt count can never drive a huge allocation.
func (d *Decbuf) Count(min int) int {
	x := d.Uvarint()
	if d.E != nil {
		return 0
	}
	if min < 1 {
		min = 1
	}
	if x > uint64(len(d.B)/min) {
		d.fail("count exceeds remaining bytes")
		return 0
	}
	return int(x)
}

// Bytes reads a length-prefixed byte string without copying.
func (d *Decbuf) Bytes() []byte {
	n := d.Uvarint()
	if d.E != nil {
		return nil
	}
	if n > uint64(len(d.B)) {
		d.fail("string longer than record")
		return nil
	}
	b := d.B[:n:n]
	d.B = d.B[n:]
	return b
}

// String reads a length-prefixed string (a copy).
func (d *Decbuf) String() string { return string(d.Bytes()) }

// BE32 reads a big-endian uint32.
func (d *Decbuf) BE32() uint32 {
	if len(d.B) < 4 {
		d.fail("short uint32")
		return 0
	}
	x := binary.BigEndian.Uint32(d.B)
	d.B = d.B[4:]
	return x
}

// BE64 reads a big-endian uint64.
func (d *Decbuf) BE64() uint64 {
	if len(d.B) < 8 {
		d.fail("short uint64")
		return 0
	}
	x := binary.BigEndian.Uint64(d.B)
	d.B = d.B[8:]
	return x
}

// Value reads a float written by PutValue.
func (d *Decbuf) Value() float64 {
	if len(d.B) < 1 {
		d.fail("short value")
		return 0
	}
	switch d.B[0] {
	case valFloat32:
		if len(d.B) < 5 {
			d.fail("short float32")
			return 0
		}
		f := math.Float32frombits(binary.LittleEndian.Uint32(d.B[1:]))
		d.B = d.B[5:]
		return float64(f)
	case valFloat64:
		if len(d.B) < 9 {
			d.fail("short float64")
			return 0
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.B[1:]))
		d.B = d.B[9:]
		return v
	default:
		d.fail("unknown value tag")
		return 0
	}
}
