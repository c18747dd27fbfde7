package tfevents

import "errors"

// Errors of the event file reader, wrapped in a sink.PosError that names
// the file and the record's byte offset.
var (
	// ErrLengthCRC is a record whose length does not match its checksum;
	// nothing after it in the file can be read.
	ErrLengthCRC = errors.New("trackdb/tfevents: length checksum mismatch")
	// ErrDataCRC is a record whose data does not match its checksum.
	ErrDataCRC = errors.New("trackdb/tfevents: data checksum mismatch")
	// ErrTruncated is a file that ends inside a record.
	ErrTruncated = errors.New("trackdb/tfevents: truncated record")
	// ErrProto is a record whose data is not a valid Event protobuf.
	ErrProto = errors.New("trackdb/tfevents: invalid Event protobuf")
	// ErrWallTime is an event whose wall time is NaN or out of range.
	ErrWallTime = errors.New("trackdb/tfevents: invalid wall time")
	// ErrScalar is a value of the scalars plugin that is not one number
	// (wrong type, rank or count), which TensorBoard reports as data loss.
	ErrScalar = errors.New("trackdb/tfevents: malformed scalar")
)
