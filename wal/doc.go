// Package wal is trackdb's write-ahead log: a directory of numbered segment
// files holding checksummed, optionally compressed records. It knows bytes
// and records, not metrics: a record is a caller-defined [RecordType] and an
// opaque payload.
//
// # Life cycle
//
//	w, err := wal.Open(dir, opts)        // lists segments, reads nothing
//	stats, err := w.Replay(from, apply)  // required, even on an empty dir
//	seq, err := w.Write(typ, payload)    // buffered, fast
//	err = w.Commit(seq)                  // durable per the SyncPolicy
//	seg, err := w.Cut()                  // checkpoint: records so far are below seg
//	err = w.Truncate(seg)                // drop segments a checkpoint made redundant
//	err = w.Close()
//
// After a write or fsync fails, every later Write, Commit, Sync and Cut
// returns [ErrFailed] wrapping the cause; the log never retries an fsync.
//
// # Files
//
// A log directory holds segment files named by their index in decimal,
// zero-padded to eight digits: 00000000, 00000001, ... Other names are
// ignored. Indexes are contiguous from the oldest segment to the newest;
// Truncate removes from the old end. Each Replay starts a fresh segment, so
// only the newest segment is ever written to, and every other segment was
// fsynced before its successor was created. A segment is at most
// Options.SegmentSize bytes and a record never spans two segments.
//
// # Segment header
//
// Every segment begins with a 16-byte header. Integers are little-endian.
//
//	offset  size  field
//	------  ----  -----------------------------------------------------
//	     0     4  magic "TDBW" (0x54 0x44 0x42 0x57)
//	     4     1  format version, currently 1
//	     5     3  reserved, zero
//	     8     4  segment index, uint32; must match the file name
//	    12     4  CRC32C (Castagnoli) of bytes 0..11
//
// A version above [FormatVersion] is reported as [ErrUnsupportedVersion]; a
// reader never guesses at a newer layout.
//
// # Frames
//
// The header is followed by frames, back to back, up to the end of the file:
//
//	offset  size    field
//	------  ------  ---------------------------------------------------
//	     0       4  CRC32C (Castagnoli) of bytes 4 .. 9+length
//	     4       4  length of the stored payload, uint32
//	     8       1  type byte
//	     9  length  stored payload
//
// The checksum covers the length, the type byte and the stored payload, so
// no bit of a frame after its checksum goes unchecked. The type byte is:
//
//	bit  7    1 = payload is a snappy block (github.com/golang/snappy,
//	          block format, not the stream format)
//	bits 0-6  record type, 1..127; 0 is invalid
//
// A zero type means zero-filled bytes can never pass for a record. The
// writer compresses payloads of at least 256 bytes when that saves at least
// an eighth; readers accept any mix. A stored length above 2^30-25 is
// invalid in any segment.
//
// These constants are part of the on-disk format: the magic, the header and
// frame layouts and sizes, the checksum polynomial, the flag bit and the
// naming of files. Changing any of them requires a new format version.
//
// # Torn tails and corruption
//
// A crash can leave the newest segment ending in a partly written frame, or
// in zeros where the file system extended the file but the data never
// landed. Replay cuts such a torn tail off and keeps everything before it.
// Exactly:
//
// Reading stops at the first bad header or frame, at offset o. A frame is
// bad if its header is incomplete, its length exceeds the maximum, its type
// is 0, its payload is incomplete, or its checksum does not match. The
// frame's claimed end is o+9+length (o+16 for the segment header), or
// infinity when even its header is incomplete. In the newest segment the
// bad frame is a torn tail if no byte at or after its claimed end is
// non-zero. That covers, and is no more than:
//
//   - truncated: the file ends inside the frame;
//   - final: the frame's claimed end is the end of the file;
//   - zero-filled: every byte from o to the end of the file is zero (such a
//     frame has length 0 and type 0, so its claimed end is o+9).
//
// A torn tail is cut: the file is truncated to o and fsynced (a segment
// without a whole header is removed and its directory fsynced), and the cut
// is logged and counted in [ReplayStats]. If instead non-zero data follows
// the bad frame's claimed end, something overwrote valid data, and that is
// corruption. A frame whose checksum matches but whose payload fails to
// decompress, a header whose checksum matches but whose fields are invalid,
// and any bad header or frame in a segment other than the newest are
// corruption too: Replay returns a [*CorruptionError] naming the segment
// file and the offset, which matches [ErrCorrupt] with errors.Is.
//
// The rule has one blind spot, shared by every log whose length field is
// checked only together with the payload: a bit flip that makes the last
// segment's length field point past the end of the file looks exactly
// like a truncated frame, so the records after it are cut as a torn tail.
//
// # Durability
//
// The [SyncPolicy] decides when records are promised durable; see its
// constants. Independently of it, a segment is fsynced before the next one
// is created, and the directory is fsynced after a segment is created or
// removed. Because the rollover fsync holds up writers, a background fsync
// also runs whenever an eighth of a segment (at least 1 MiB) has been
// written since the last one, so that rollover finds little left to do.
package wal
