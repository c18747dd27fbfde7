package tfevents

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Builders of event files for tests and benchmarks.

func frame(dst, data []byte) []byte {
	var hdr [12]byte
	binary.LittleEndian.PutUint64(hdr[:8], uint64(len(data)))
	binary.LittleEndian.PutUint32(hdr[8:], MaskedCRC(hdr[:8]))
	dst = append(dst, hdr[:]...)
	dst = append(dst, data...)
	return binary.LittleEndian.AppendUint32(dst, MaskedCRC(data))
}

func eventBytes(wall float64, step int64, values ...[]byte) []byte {
	var b []byte
	b = protowire.AppendTag(b, eventWallTime, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, math.Float64bits(wall))
	if step != 0 {
		b = protowire.AppendTag(b, eventStep, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(step))
	}
	var sum []byte
	for _, v := range values {
		sum = protowire.AppendTag(sum, summaryValue, protowire.BytesType)
		sum = protowire.AppendBytes(sum, v)
	}
	b = protowire.AppendTag(b, eventSummary, protowire.BytesType)
	return protowire.AppendBytes(b, sum)
}

func simpleValue(tag string, x float32) []byte {
	var b []byte
	b = protowire.AppendTag(b, valueTag, protowire.BytesType)
	b = protowire.AppendString(b, tag)
	b = protowire.AppendTag(b, valueSimple, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, math.Float32bits(x))
}

// tensorValue builds a value holding a tensor; plugin "" means no metadata.
func tensorValue(tag, plugin string, tensor []byte) []byte {
	var b []byte
	b = protowire.AppendTag(b, valueTag, protowire.BytesType)
	b = protowire.AppendString(b, tag)
	if plugin != "" {
		var pd, md []byte
		pd = protowire.AppendTag(pd, pluginName, protowire.BytesType)
		pd = protowire.AppendString(pd, plugin)
		md = protowire.AppendTag(md, metadataPluginData, protowire.BytesType)
		md = protowire.AppendBytes(md, pd)
		b = protowire.AppendTag(b, valueMetadata, protowire.BytesType)
		b = protowire.AppendBytes(b, md)
	}
	b = protowire.AppendTag(b, valueTensor, protowire.BytesType)
	return protowire.AppendBytes(b, tensor)
}

// tensor builds a TensorProto; dims nil means no shape field.
func tensor(dtype uint64, dims []int64, content []byte, floats []float32, doubles []float64) []byte {
	var b []byte
	b = protowire.AppendTag(b, tensorDtype, protowire.VarintType)
	b = protowire.AppendVarint(b, dtype)
	if dims != nil {
		var sh []byte
		for _, d := range dims {
			var dim []byte
			dim = protowire.AppendTag(dim, 1, protowire.VarintType)
			dim = protowire.AppendVarint(dim, uint64(d))
			sh = protowire.AppendTag(sh, shapeDim, protowire.BytesType)
			sh = protowire.AppendBytes(sh, dim)
		}
		b = protowire.AppendTag(b, tensorShape, protowire.BytesType)
		b = protowire.AppendBytes(b, sh)
	}
	if content != nil {
		b = protowire.AppendTag(b, tensorContent, protowire.BytesType)
		b = protowire.AppendBytes(b, content)
	}
	if floats != nil {
		var p []byte
		for _, f := range floats {
			p = protowire.AppendFixed32(p, math.Float32bits(f))
		}
		b = protowire.AppendTag(b, tensorFloat, protowire.BytesType)
		b = protowire.AppendBytes(b, p)
	}
	for _, d := range doubles {
		b = protowire.AppendTag(b, tensorDouble, protowire.Fixed64Type)
		b = protowire.AppendFixed64(b, math.Float64bits(d))
	}
	return b
}
