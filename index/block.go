package index

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
)

// Block is a loaded serialized index: an immutable layer of a [View].
// Load checks the header and the small sections and decodes only the run
// sets; field and series bodies are checksummed and read when a query first
// touches them, and postings are decoded per query, so opening a block
// costs time in proportion to its directories, not its postings.
//
// A Block keeps and reads the slice given to Load (which may be a
// memory-mapped file): the caller must not change it while the Block is
// used. A Block is safe for concurrent use.
type Block struct {
	data        []byte
	live, tombs *roaring.Bitmap
	fieldDir    section // u32 count, entries, key area
	nfields     int
	seriesDir   section
	nseries     int
	fields      []atomic.Pointer[blockField]
	series      []atomic.Pointer[blockSeries]
}

// section is a checked extent of the data.
type section struct {
	off int // from the start of the index
	b   []byte
}

var _ layer = (*Block)(nil)

// Load reads a serialized index (as written by [Head.Marshal]). It checks
// the header, the checksums of the runs, fields and series sections and the
// bounds of the directories; damage there is a *CorruptionError. Damage in a
// body is reported by the first query that reads it, and by [Block.Verify],
// which checks everything.
func Load(data []byte) (*Block, error) {
	b := &Block{data: data}
	if err := b.loadHeader(); err != nil {
		return nil, err
	}
	return b, nil
}

func corrupt(section string, off int, format string, args ...any) error {
	return &CorruptionError{Section: section, Offset: int64(off), Err: fmt.Errorf(format, args...)}
}

func (b *Block) loadHeader() error {
	d := b.data
	if len(d) < HeaderSize {
		return corrupt("header", 0, "%d bytes, want at least %d", len(d), HeaderSize)
	}
	if string(d[:4]) != Magic {
		return corrupt("header", 0, "bad magic %q, want %q", d[:4], Magic)
	}
	if got := crc(d[:68]); got != le.Uint32(d[68:]) {
		return corrupt("header", 68, "checksum %08x, computed %08x", le.Uint32(d[68:]), got)
	}
	if d[4] != Version {
		if d[4] > Version {
			return fmt.Errorf("%w: version %d, this build reads %d", ErrUnsupportedVersion, d[4], Version)
		}
		return corrupt("header", 4, "version %d", d[4])
	}
	if d[5] != 0 || d[6] != 0 || d[7] != 0 || le.Uint32(d[64:]) != 0 {
		return corrupt("header", 5, "reserved bytes are not zero")
	}
	if n := le.Uint64(d[8:]); n != uint64(len(d)) {
		return corrupt("header", 8, "total length %d, have %d bytes", n, len(d))
	}
	var secs [3]section
	for i, name := range []string{"runs", "fields", "series"} {
		at := 16 + 16*i
		off, n := le.Uint64(d[at:]), uint64(le.Uint32(d[at+8:]))
		if off < HeaderSize || off > uint64(len(d)) || n > uint64(len(d))-off {
			return corrupt("header", at, "%s section [%d, +%d) outside [%d, %d)", name, off, n, HeaderSize, len(d))
		}
		s := section{off: int(off), b: d[off : off+n]}
		if got := crc(s.b); got != le.Uint32(d[at+12:]) {
			return corrupt(name, s.off, "checksum %08x, computed %08x", le.Uint32(d[at+12:]), got)
		}
		secs[i] = s
	}

	runs := secs[0]
	live, n, err := decodePosting(runs.b)
	if err != nil {
		return corrupt("runs", runs.off, "live runs: %v", err)
	}
	tombs, m, err := decodePosting(runs.b[n:])
	if err != nil {
		return corrupt("runs", runs.off+n, "tombstones: %v", err)
	}
	if n+m != len(runs.b) {
		return corrupt("runs", runs.off+n+m, "%d trailing bytes", len(runs.b)-n-m)
	}
	b.live, b.tombs = live, tombs

	var errDir error
	b.fieldDir, b.nfields, errDir = directory("fields", secs[1], fieldEntrySize)
	if errDir != nil {
		return errDir
	}
	b.seriesDir, b.nseries, errDir = directory("series", secs[2], seriesEntrySize)
	if errDir != nil {
		return errDir
	}
	b.fields = make([]atomic.Pointer[blockField], b.nfields)
	b.series = make([]atomic.Pointer[blockSeries], b.nseries)
	return nil
}

// directory checks a directory section's count against its size.
func directory(name string, s section, entry int) (section, int, error) {
	if len(s.b) < 4 {
		return s, 0, corrupt(name, s.off, "%d bytes, want at least 4", len(s.b))
	}
	n := uint64(le.Uint32(s.b))
	if n > uint64(len(s.b)-4)/uint64(entry) {
		return s, 0, corrupt(name, s.off, "%d entries of %d bytes do not fit %d bytes", n, entry, len(s.b)-4)
	}
	return s, int(n), nil
}

// Runs returns the live runs the block holds, as a new bitmap.
func (b *Block) Runs() *roaring.Bitmap { return b.live.Clone() }

// Tombstones returns the runs the block records as deleted, as a new
// bitmap.
func (b *Block) Tombstones() *roaring.Bitmap { return b.tombs.Clone() }

// bound returns a number above every live run of the block, or 0 when
// there is none (or it would overflow): see numSeq.bound.
func (b *Block) bound() uint32 {
	if b.live.IsEmpty() {
		return 0
	}
	return b.live.Maximum() + 1
}

// Size returns the length of the serialized index.
func (b *Block) Size() int { return len(b.data) }

// fieldEntry returns directory entry i's kind and key; a key extent
// outside the key area is corruption.
func (b *Block) fieldEntry(i int) (kind FieldKind, key []byte, err error) {
	e := b.fieldDir.b[4+i*fieldEntrySize:]
	keys := b.fieldDir.b[4+b.nfields*fieldEntrySize:]
	off, n := uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:]))
	if off > uint64(len(keys)) || n > uint64(len(keys))-off {
		return 0, nil, corrupt("fields", b.fieldDir.off+4+i*fieldEntrySize+4, "entry %d: key [%d, +%d) outside the %d-byte key area", i, off, n, len(keys))
	}
	return FieldKind(e[0]), keys[off : off+n], nil
}

// findField returns the directory index of a field, or -1.
func (b *Block) findField(kind FieldKind, key string) (int, error) {
	lo, hi := 0, b.nfields
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		k, kb, e := b.fieldEntry(mid)
		if e != nil {
			return -1, e
		}
		c := int(k) - int(kind)
		if c == 0 {
			c = strings.Compare(string(kb), key)
		}
		switch {
		case c == 0:
			return mid, nil
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1, nil
}

// seriesEntry returns the metric and context of directory entry i.
func (b *Block) seriesEntry(i int) (metric, ctx []byte, err error) {
	e := b.seriesDir.b[4+i*seriesEntrySize:]
	names := b.seriesDir.b[4+b.nseries*seriesEntrySize:]
	get := func(at int) ([]byte, error) {
		off, n := uint64(le.Uint32(e[at:])), uint64(le.Uint32(e[at+4:]))
		if off > uint64(len(names)) || n > uint64(len(names))-off {
			return nil, corrupt("series", b.seriesDir.off+4+i*seriesEntrySize+at, "entry %d: name [%d, +%d) outside the %d-byte name area", i, off, n, len(names))
		}
		return names[off : off+n], nil
	}
	if metric, err = get(0); err != nil {
		return nil, nil, err
	}
	ctx, err = get(8)
	return metric, ctx, err
}

// findSeries returns the directory index of a series, or -1.
func (b *Block) findSeries(metric, ctx string) (int, error) {
	lo, hi := 0, b.nseries
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		m, c, err := b.seriesEntry(mid)
		if err != nil {
			return -1, err
		}
		r := bytes.Compare(m, []byte(metric))
		if r == 0 {
			r = bytes.Compare(c, []byte(ctx))
		}
		switch {
		case r == 0:
			return mid, nil
		case r < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1, nil
}

// body returns the extent of a body given by a directory entry (at
// entryAt), after checking its bounds and checksum.
func (b *Block) body(name string, entryAt int, off uint64, n uint64, sum uint32) (section, error) {
	if off < HeaderSize || off > uint64(len(b.data)) || n > uint64(len(b.data))-off {
		return section{}, corrupt(name, entryAt, "body [%d, +%d) outside [%d, %d)", off, n, HeaderSize, len(b.data))
	}
	s := section{off: int(off), b: b.data[off : off+n]}
	if got := crc(s.b); got != sum {
		return section{}, corrupt(name, s.off, "checksum %08x, computed %08x", sum, got)
	}
	return s, nil
}
