package tfevents

import (
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of tensorflow.Event and the messages inside it that the
// importer reads (tensorflow/core/util/event.proto, summary.proto,
// tensor.proto, tensor_shape.proto). They are part of TensorFlow's wire
// format.
const (
	eventWallTime    = 1
	eventStep        = 2
	eventFileVersion = 3
	eventSummary     = 5

	summaryValue = 1

	valueTag      = 1
	valueSimple   = 2
	valueTensor   = 8
	valueMetadata = 9

	metadataPluginData = 1
	pluginName         = 1

	tensorDtype   = 1
	tensorShape   = 2
	tensorContent = 4
	tensorFloat   = 5
	tensorDouble  = 6

	shapeDim = 2

	dtFloat  = 1
	dtDouble = 2
)

// Kind says what a summary value holds.
type Kind uint8

// Value kinds.
const (
	KindOther  Kind = iota // histogram, image, audio or anything else
	KindSimple             // simple_value
	KindTensor             // tensor
)

// Event is the part of a tensorflow.Event the importer uses. Decode fills
// it in place, reusing its slices; byte slices point into the record and
// are valid until the record buffer is reused.
type Event struct {
	WallTime    float64
	Step        int64
	FileVersion []byte
	// HasSummary is set for an event with a summary; Values are its values.
	HasSummary bool
	Values     []Value
	// Other is set for an event carrying something besides a summary and a
	// file version (a graph, run metadata, a session log).
	Other bool
}

// Value is one summary value.
type Value struct {
	Tag  []byte
	Kind Kind
	// Simple is the simple_value of KindSimple.
	Simple float32
	// Plugin is the metadata's plugin name; HasMetadata tells "no
	// metadata" from an empty name.
	Plugin      []byte
	HasMetadata bool
	// Tensor is the tensor of KindTensor.
	Tensor Tensor
}

// Tensor is the part of a TensorProto a scalar needs.
type Tensor struct {
	Dtype    uint64
	HasShape bool
	Rank     int
	Content  []byte
	Floats   int // values in float_val
	Float    float32
	Doubles  int // values in double_val
	Double   float64
}

// Decode parses an Event protobuf into e. It returns an error wrapping
// ErrProto for bytes that are not a valid Event.
func Decode(b []byte, e *Event) error {
	vals := e.Values[:0]
	*e = Event{Values: vals}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protoErr(n)
		}
		b = b[n:]
		switch {
		case num == eventWallTime && typ == protowire.Fixed64Type:
			v, n := protowire.ConsumeFixed64(b)
			if n < 0 {
				return protoErr(n)
			}
			e.WallTime, b = math.Float64frombits(v), b[n:]
		case num == eventStep && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return protoErr(n)
			}
			e.Step, b = int64(v), b[n:]
		case num == eventFileVersion && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return protoErr(n)
			}
			e.FileVersion, b = v, b[n:]
		case num == eventSummary && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return protoErr(n)
			}
			e.HasSummary, b = true, b[n:]
			if err := e.decodeSummary(v); err != nil {
				return err
			}
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return protoErr(n)
			}
			b = b[n:]
			if num >= 4 && num <= 10 {
				e.Other = true
			}
		}
	}
	return nil
}

func protoErr(n int) error {
	return fmt.Errorf("%w: %w", ErrProto, protowire.ParseError(n))
}

var errWireType = errors.New("unexpected wire type")

// each calls f for each field of the message b.
func each(b []byte, f func(num protowire.Number, typ protowire.Type, b []byte) (int, error)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protoErr(n)
		}
		b = b[n:]
		m, err := f(num, typ, b)
		if err != nil {
			return err
		}
		if m == 0 { // not consumed by f
			m = protowire.ConsumeFieldValue(num, typ, b)
		}
		if m < 0 {
			return protoErr(m)
		}
		b = b[m:]
	}
	return nil
}

func (e *Event) decodeSummary(b []byte) error {
	return each(b, func(num protowire.Number, typ protowire.Type, b []byte) (int, error) {
		if num != summaryValue {
			return 0, nil
		}
		if typ != protowire.BytesType {
			return 0, fmt.Errorf("%w: summary value: %w", ErrProto, errWireType)
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return n, nil
		}
		e.Values = append(e.Values, Value{})
		return n, decodeValue(v, &e.Values[len(e.Values)-1])
	})
}

func decodeValue(b []byte, v *Value) error {
	return each(b, func(num protowire.Number, typ protowire.Type, b []byte) (int, error) {
		switch {
		case num == valueTag && typ == protowire.BytesType:
			s, n := protowire.ConsumeBytes(b)
			v.Tag = s
			return n, nil
		case num == valueSimple && typ == protowire.Fixed32Type:
			x, n := protowire.ConsumeFixed32(b)
			v.Kind, v.Simple = KindSimple, math.Float32frombits(x)
			return n, nil
		case num == valueTensor && typ == protowire.BytesType:
			s, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return n, nil
			}
			v.Kind = KindTensor
			return n, decodeTensor(s, &v.Tensor)
		case num == valueMetadata && typ == protowire.BytesType:
			s, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return n, nil
			}
			v.HasMetadata = true
			return n, decodeMetadata(s, v)
		case num >= 3 && num <= 6:
			v.Kind = KindOther
		}
		return 0, nil
	})
}

func decodeMetadata(b []byte, v *Value) error {
	return each(b, func(num protowire.Number, typ protowire.Type, b []byte) (int, error) {
		if num != metadataPluginData || typ != protowire.BytesType {
			return 0, nil
		}
		s, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return n, nil
		}
		return n, each(s, func(num protowire.Number, typ protowire.Type, b []byte) (int, error) {
			if num != pluginName || typ != protowire.BytesType {
				return 0, nil
			}
			name, n := protowire.ConsumeBytes(b)
			v.Plugin = name
			return n, nil
		})
	})
}

func decodeTensor(b []byte, t *Tensor) error {
	return each(b, func(num protowire.Number, typ protowire.Type, b []byte) (int, error) {
		switch {
		case num == tensorDtype && typ == protowire.VarintType:
			x, n := protowire.ConsumeVarint(b)
			t.Dtype = x
			return n, nil
		case num == tensorShape && typ == protowire.BytesType:
			s, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return n, nil
			}
			t.HasShape = true
			return n, each(s, func(num protowire.Number, typ protowire.Type, b []byte) (int, error) {
				if num == shapeDim {
					t.Rank++
				}
				return 0, nil
			})
		case num == tensorContent && typ == protowire.BytesType:
			s, n := protowire.ConsumeBytes(b)
			t.Content = s
			return n, nil
		case num == tensorFloat && typ == protowire.Fixed32Type:
			x, n := protowire.ConsumeFixed32(b)
			t.Floats++
			t.Float = math.Float32frombits(x)
			return n, nil
		case num == tensorFloat && typ == protowire.BytesType: // packed
			s, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return n, nil
			}
			if len(s)%4 != 0 {
				return 0, fmt.Errorf("%w: packed float_val of %d bytes", ErrProto, len(s))
			}
			t.Floats += len(s) / 4
			if len(s) >= 4 {
				x, _ := protowire.ConsumeFixed32(s[len(s)-4:])
				t.Float = math.Float32frombits(x)
			}
			return n, nil
		case num == tensorDouble && typ == protowire.Fixed64Type:
			x, n := protowire.ConsumeFixed64(b)
			t.Doubles++
			t.Double = math.Float64frombits(x)
			return n, nil
		case num == tensorDouble && typ == protowire.BytesType:
			s, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return n, nil
			}
			if len(s)%8 != 0 {
				return 0, fmt.Errorf("%w: packed double_val of %d bytes", ErrProto, len(s))
			}
			t.Doubles += len(s) / 8
			if len(s) >= 8 {
				x, _ := protowire.ConsumeFixed64(s[len(s)-8:])
				t.Double = math.Float64frombits(x)
			}
			return n, nil
		}
		return 0, nil
	})
}
