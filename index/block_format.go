package index

import (
	"encoding/binary"
	"hash/crc32"
)

// The serialized index of a block. docs/format/index.md is the full
// specification; this is its summary. All integers are little-endian;
// offsets in the header and the directories are from the start of the
// index, offsets inside a body are from the start of that body.
//
//	header      72 bytes: magic "TDBI", version, total length, the extent
//	            and CRC32C of the runs, fields and series sections, and
//	            the CRC32C of the header itself
//	runs        posting of the live runs, posting of the tombstones
//	field bodies, one per field, each with its CRC32C in the directory
//	series bodies, one per series, likewise
//	fields      u32 count, 32-byte entries sorted by (kind, key), key bytes
//	series      u32 count, 32-byte entries sorted by (metric, context),
//	            name bytes
//
// A loader checks the header and the three sections and reads nothing
// else; a body is checked (CRC32C) and its part table read the first time
// a query touches it, and a posting is decoded only when a predicate needs
// it. These constants are part of the format: changing any of them needs a
// new version.
const (
	// Magic starts every serialized index: "TDBI".
	Magic = "TDBI"
	// Version is the format version this package writes and reads.
	Version = 1
	// HeaderSize is the size of the header.
	HeaderSize = 72

	fieldEntrySize  = 32
	seriesEntrySize = 32
	// fieldParts is the number of parts of a field body: has, cleared,
	// strings, ints, floats, bools, forward.
	fieldParts = 7
	// fieldTableSize is the size of a field body's part table: the start
	// of each part and the end of the body, u32 each.
	fieldTableSize = 4 * (fieldParts + 1)
)

// Parts of a field body, in order.
const (
	partHas = iota
	partCleared
	partStrings
	partInts
	partFloats
	partBools
	partForward
)

// Forward references: the top two bits of a forward entry say where the
// run's value is, the low 30 bits its index there.
const (
	refString = 0 // index into the string dictionary
	refInt    = 1 // index into the int array
	refFloat  = 2 // index into the float array
	refBool   = 3 // 0 false, 1 true
	refShift  = 30
	refMask   = 1<<refShift - 1
)

// castagnoli is the CRC32C table.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crc(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

var le = binary.LittleEndian
