package engine

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// A block is an immutable directory written by compaction:
//
//	blocks/block-00000007/
//	  meta     sequence, WAL checkpoint, level, parents, counts
//	  index    run catalogue, series table with chunk refs and summaries, tombstones
//	  chunks   series chunks and run timeline chunks, each with its CRC32C
//
// Every file starts with a 4-byte magic and a 1-byte format version
// (blockFormatVersion); a newer version is refused with ErrFormatVersion.
// docs/format/block.md specifies the bytes. These constants are part of the
// on-disk format.
const (
	blocksDirName      = "blocks"
	blockDirPrefix     = "block-"
	blockMetaName      = "meta"
	blockIndexName     = "index"
	blockChunksName    = "chunks"
	blockPostingsName  = "postings" // the run index (package index, docs/format/index.md)
	blockFormatVersion = 1
	fileHeaderSize     = 8 // magic(4) version(1) reserved(3)

	magicMeta   = "TDBM"
	magicIndex  = "TDBI"
	magicChunks = "TDBC"

	// Index sections, in file order.
	secRuns       = 1
	secSeries     = 2
	secTombstones = 3
	secEnd        = 0xFF
	sectionHeader = 9 // type(1) length(4) crc32c(4)
)

func putFileHeader(b []byte, magic string) []byte {
	b = append(b, magic...)
	return append(b, blockFormatVersion, 0, 0, 0)
}

// checkFileHeader validates a file's magic and version.
func checkFileHeader(b []byte, magic, name string) error {
	if len(b) < fileHeaderSize {
		return fmt.Errorf("%w: %s: %d bytes, shorter than its header", ErrCorrupt, name, len(b))
	}
	if string(b[:4]) != magic {
		return fmt.Errorf("%w: %s: bad magic %q at offset 0, want %q", ErrCorrupt, name, b[:4], magic)
	}
	if b[5] != 0 || b[6] != 0 || b[7] != 0 {
		return fmt.Errorf("%w: %s: reserved header bytes at offset 5 are not zero", ErrCorrupt, name)
	}
	if b[4] != blockFormatVersion {
		// The meta file, whose checksum covers its header, speaks for the
		// block's version; it is read first. So a mismatch here in the
		// index or chunks file is damage, not a newer format.
		if magic == magicMeta {
			return fmt.Errorf("%w: %s has block format version %d, this trackdb reads version %d", ErrFormatVersion, name, b[4], blockFormatVersion)
		}
		return fmt.Errorf("%w: %s: version byte %d at offset 4 disagrees with the block's meta (version %d)", ErrCorrupt, name, b[4], blockFormatVersion)
	}
	return nil
}

// appendSection frames payload as one index section.
func appendSection(dst []byte, typ byte, payload []byte) []byte {
	dst = append(dst, typ)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	dst = binary.BigEndian.AppendUint32(dst, crc32.Checksum(payload, castagnoli))
	return append(dst, payload...)
}

// section is one checked section of an index file.
type section struct {
	typ     byte
	offset  int // of the section header in the file
	payload []byte
}

// readSections splits and checks an index file. Every section's checksum
// is verified and the file must end with the end section.
func readSections(b []byte, name string) ([]section, error) {
	if err := checkFileHeader(b, magicIndex, name); err != nil {
		return nil, err
	}
	var out []section
	off := fileHeaderSize
	for {
		if len(b)-off < sectionHeader {
			return nil, fmt.Errorf("%w: %s: truncated section header at offset %d", ErrCorrupt, name, off)
		}
		typ := b[off]
		n := int(binary.BigEndian.Uint32(b[off+1:]))
		sum := binary.BigEndian.Uint32(b[off+5:])
		if n > len(b)-off-sectionHeader {
			return nil, fmt.Errorf("%w: %s: section %d at offset %d claims %d bytes past the end", ErrCorrupt, name, typ, off, n)
		}
		payload := b[off+sectionHeader : off+sectionHeader+n]
		if crc32.Checksum(payload, castagnoli) != sum {
			return nil, fmt.Errorf("%w: %s: checksum mismatch in section %d at offset %d", ErrCorrupt, name, typ, off)
		}
		if typ == secEnd {
			if off+sectionHeader+n != len(b) {
				return nil, fmt.Errorf("%w: %s: %d bytes after the end section", ErrCorrupt, name, len(b)-off-sectionHeader-n)
			}
			return out, nil
		}
		out = append(out, section{typ: typ, offset: off, payload: payload})
		off += sectionHeader + n
	}
}

// appendChunkEntry frames one chunk for the chunks file: payload then the
// CRC32C of the payload.
func appendChunkEntry(dst, payload []byte) []byte {
	dst = append(dst, payload...)
	return binary.BigEndian.AppendUint32(dst, crc32.Checksum(payload, castagnoli))
}

// checkChunkEntry verifies an entry read from the chunks file and returns
// its payload.
func checkChunkEntry(b []byte, name string, off uint64) ([]byte, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("%w: %s: chunk at offset %d is %d bytes", ErrCorrupt, name, off, len(b))
	}
	p := b[:len(b)-4]
	if crc32.Checksum(p, castagnoli) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w: %s: checksum mismatch in chunk at offset %d", ErrCorrupt, name, off)
	}
	return p, nil
}

// appendSeriesChunkEntry frames a series chunk: uvarint len(xor) | xor | idx | CRC32C.
func appendSeriesChunkEntry(dst, xor, idx []byte) []byte {
	start := len(dst)
	dst = binary.AppendUvarint(dst, uint64(len(xor)))
	dst = append(dst, xor...)
	dst = append(dst, idx...)
	return binary.BigEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

// splitSeriesChunkEntry checks a series chunk entry and splits its payload
// into the XOR bytes and the timeline reference stream.
func splitSeriesChunkEntry(entry []byte, name string, off uint64) (xor, idx []byte, err error) {
	p, err := checkChunkEntry(entry, name, off)
	if err != nil {
		return nil, nil, err
	}
	n, k := binary.Uvarint(p)
	if k <= 0 || n > uint64(len(p)-k) {
		return nil, nil, fmt.Errorf("%w: %s: malformed chunk at offset %d", ErrCorrupt, name, off)
	}
	p = p[k:]
	return p[:n:n], p[n:], nil
}

// xorChunk wraps XOR chunk bytes for decoding. chunkenc indexes the 2-byte
// sample count without checking the length, so shorter input is refused
// here instead of panicking there.
func xorChunk(b []byte) (chunkenc.Chunk, error) {
	if len(b) < 2 {
		return nil, fmt.Errorf("%w: XOR chunk of %d bytes, shorter than its header", ErrCorrupt, len(b))
	}
	c, err := chunkenc.FromData(chunkenc.EncXOR, b)
	if err != nil {
		return nil, fmt.Errorf("%w: chunk: %v", ErrCorrupt, err)
	}
	return c, nil
}
