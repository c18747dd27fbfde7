package tfevents

import "hash/crc32"

// castagnoli is the CRC-32C table; hash/crc32 uses the CPU's CRC32
// instruction for it where there is one.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maskDelta is part of the TFRecord format.
const maskDelta = 0xa282ead8

// MaskedCRC returns the masked CRC-32C of b, as TFRecord stores it.
func MaskedCRC(b []byte) uint32 {
	c := crc32.Checksum(b, castagnoli)
	return (c>>15 | c<<17) + maskDelta
}
