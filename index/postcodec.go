package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
)

// Serialized postings. A posting is a kind byte and a payload:
//
//	kind 0  empty    no payload
//	kind 1  list     uvarint count ≥ 1, uvarint first ordinal, then
//	                 count-1 uvarints: each ordinal minus the previous minus 1
//	kind 2  bitset   uvarint first word w ≥ 0, uvarint word count c ≥ 1,
//	                 c little-endian uint64 words; bit b of word i is
//	                 ordinal 64(w+i)+b; the first and last words are not 0
//
// The writer picks the smaller. Either way a posting holds at most 8
// ordinals per byte, so a decoder's work and memory are bounded by its
// input. These constants are part of the block format.
const (
	postEmpty  = 0
	postList   = 1
	postBitset = 2
)

// maxWords is the number of 64-bit words that cover every uint32 ordinal.
const maxWords = 1 << 26

// appendPosting encodes b.
func appendPosting(dst []byte, b *roaring.Bitmap) []byte {
	if isEmpty(b) {
		return append(dst, postEmpty)
	}
	lo, hi := b.Minimum(), b.Maximum()
	words := uint64(hi/64-lo/64) + 1
	bitsetSize := 1 + uvarintLen(uint64(lo/64)) + uvarintLen(words) + 8*words
	card := b.GetCardinality()
	listSize := 1 + uvarintLen(card)
	prev := int64(-1)
	it := b.Iterator()
	for it.HasNext() && listSize <= bitsetSize {
		o := it.Next()
		listSize += uvarintLen(uint64(int64(o) - prev - 1))
		prev = int64(o)
	}
	if bitsetSize < listSize {
		dst = append(dst, postBitset)
		dst = binary.AppendUvarint(dst, uint64(lo/64))
		dst = binary.AppendUvarint(dst, words)
		start := len(dst)
		dst = append(dst, make([]byte, 8*words)...)
		base := uint64(lo/64) * 64
		it := b.Iterator()
		for it.HasNext() {
			rel := uint64(it.Next()) - base
			dst[start+int(rel/8)] |= 1 << (rel % 8)
		}
		return dst
	}
	dst = append(dst, postList)
	dst = binary.AppendUvarint(dst, card)
	prev = -1
	it = b.Iterator()
	for it.HasNext() {
		o := it.Next()
		dst = binary.AppendUvarint(dst, uint64(int64(o)-prev-1))
		prev = int64(o)
	}
	return dst
}

func uvarintLen(x uint64) uint64 { return uint64(bits.Len64(x|1)+6) / 7 }

var errTruncated = errors.New("truncated")

// decodePosting decodes the posting at the start of src and returns it
// and the number of bytes it used. It never panics and allocates at most
// a small multiple of len(src).
func decodePosting(src []byte) (*roaring.Bitmap, int, error) {
	if len(src) == 0 {
		return nil, 0, fmt.Errorf("posting: %w", errTruncated)
	}
	p := 1
	uv := func(what string) (uint64, error) {
		x, n := binary.Uvarint(src[p:])
		if n <= 0 {
			return 0, fmt.Errorf("posting %s: bad uvarint", what)
		}
		p += n
		return x, nil
	}
	switch src[0] {
	case postEmpty:
		return roaring.New(), 1, nil
	case postList:
		count, err := uv("count")
		if err != nil {
			return nil, 0, err
		}
		if count == 0 || count > uint64(len(src)-p) {
			return nil, 0, fmt.Errorf("posting list: count %d does not fit %d bytes", count, len(src)-p)
		}
		ords := make([]uint32, 0, count)
		next := uint64(0)
		for i := uint64(0); i < count; i++ {
			gap, err := uv("gap")
			if err != nil {
				return nil, 0, err
			}
			if gap > 1<<32 || next+gap >= 1<<32 {
				return nil, 0, fmt.Errorf("posting list: ordinal beyond 2^32-1 at entry %d", i)
			}
			o := next + gap
			ords = append(ords, uint32(o))
			next = o + 1
		}
		b := roaring.New()
		b.AddMany(ords)
		return b, p, nil
	case postBitset:
		first, err := uv("first word")
		if err != nil {
			return nil, 0, err
		}
		n, err := uv("word count")
		if err != nil {
			return nil, 0, err
		}
		if n == 0 || n > uint64(len(src)-p)/8 {
			return nil, 0, fmt.Errorf("posting bitset: %d words do not fit %d bytes", n, len(src)-p)
		}
		if first >= maxWords || n > maxWords-first {
			return nil, 0, fmt.Errorf("posting bitset: words %d+%d beyond ordinal 2^32-1", first, n)
		}
		// Pad to a 65536-bit boundary so that shifting the result is a
		// change of container keys, not of bits.
		pad := first % 1024
		words := make([]uint64, pad+n)
		for i := range n {
			words[pad+i] = binary.LittleEndian.Uint64(src[p+8*int(i):])
		}
		if words[pad] == 0 || words[pad+n-1] == 0 {
			return nil, 0, fmt.Errorf("posting bitset: first or last word is zero")
		}
		p += 8 * int(n)
		b := roaring.FromDense(words, false)
		if shift := (first - pad) * 64; shift > 0 {
			b = roaring.AddOffset64(b, int64(shift))
		}
		return b, p, nil
	}
	return nil, 0, fmt.Errorf("posting: unknown kind %d", src[0])
}

// decodePostingExact decodes a posting that must fill src exactly.
func decodePostingExact(src []byte) (*roaring.Bitmap, error) {
	b, n, err := decodePosting(src)
	if err != nil {
		return nil, err
	}
	if n != len(src) {
		return nil, fmt.Errorf("posting: %d trailing bytes", len(src)-n)
	}
	return b, nil
}
