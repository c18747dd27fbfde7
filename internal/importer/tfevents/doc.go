// Package tfevents reads TensorBoard event files (events.out.tfevents.*)
// and imports their scalars.
//
// # Framing
//
// An event file is a sequence of TFRecords:
//
//	uint64 length         little-endian
//	uint32 masked_crc32c  of the 8 length bytes
//	byte   data[length]   a serialized tensorflow.Event
//	uint32 masked_crc32c  of data
//
// where mask(c) = ((c >> 15) | (c << 17)) + 0xa282ead8 (mod 2^32) and the
// CRC is CRC-32C (Castagnoli).
//
// # Errors, as TensorBoard's reader handles them
//
// Errors are per record and reading goes on with the next record, except
// where the framing itself cannot be trusted:
//
//	bad length CRC        the length is unknown: the rest of the file is lost (ErrLengthCRC)
//	length past EOF       the last record is truncated: reported, the file ends (ErrTruncated)
//	bad data CRC          the record is skipped (ErrDataCRC)
//	unparsable Event      the record is skipped (ErrProto)
//	NaN wall time         the event is skipped (ErrWallTime)
//
// Each of these is a warning for the importer: the points before and after
// a bad record are kept; with --strict the first one stops the import.
//
// # Scalars
//
// A summary value is a scalar point when it has a simple_value (TF1,
// PyTorch's SummaryWriter, tensorboardX), or when it is a tensor whose
// plugin is "scalars" (TF2 Keras, tf.summary.scalar) of type DT_FLOAT or
// DT_DOUBLE and rank 0 (no shape, or a shape with no dimensions) holding
// exactly one value, in float_val/double_val or in tensor_content. The
// plugin of a tag is taken from the first value of the tag that carries
// metadata, as TensorBoard does: TF2 writes it only once per tag. Other
// values (histograms, images, audio, text, graphs, run metadata) are
// skipped and counted. TensorBoard's Rust reader rejects DT_DOUBLE
// scalars; its Python reader, like this one, accepts them.
//
// Missing step and wall_time fields are 0. Wall times (float seconds)
// become Unix milliseconds, rounded.
package tfevents
