package index

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// rechecksum recomputes every checksum, so that a test can damage the
// contents without the checksums noticing.
func rechecksum(t *testing.T, data []byte) {
	RechecksumForTesting(data)
	_, err := Load(data)
	require.NoError(t, err, "the header and sections load after rechecksumming")
}

func sectionOf(data []byte, at int) []byte {
	off := le.Uint64(data[at:])
	return data[off : off+uint64(le.Uint32(data[at+8:]))]
}

// TestVerifyCrossReferences damages an index in ways that keep every
// checksum valid and checks that Verify names the problem and its place.
func TestVerifyCrossReferences(t *testing.T) {
	good := marshal(t, smallHead(t))
	fieldBody := func(data []byte, f Field) *blockField {
		b, err := Load(data)
		require.NoError(t, err)
		bf, err := b.lookupField(f)
		require.NoError(t, err)
		return bf
	}
	for _, c := range []struct {
		name    string
		damage  func(data []byte)
		section string
		msg     string
	}{
		{"unsorted dictionary", func(d []byte) {
			bf := fieldBody(d, Attr(AttrExperiment))
			at := bf.strs.textAt
			require.Equal(t, "cifarmnist", string(d[at:at+10]))
			copy(d[at:], "mnistcifar")
		}, "field attributes.experiment", `string 1 "cifar" is not after string 0 "mnist"`},
		{"forward reference", func(d []byte) {
			bf := fieldBody(d, Param("opt"))
			at := bf.fwd.at + 4 + 4*bf.fwd.m
			le.PutUint32(d[at:], le.Uint32(d[at:])^1)
		}, "field params.opt", "forward entry 0 (run 0) refers to 0x1, its value is at 0x0"},
		{"unsorted numbers", func(d []byte) {
			bf := fieldBody(d, Param("layers"))
			le.PutUint64(d[bf.ints.at+4:], 1000)
		}, "field params.layers", "number 1 (18, run 3) is not after number 0 (1000, run 0)"},
		{"run in two values", func(d []byte) {
			bf := fieldBody(d, Param("layers"))
			at := bf.ints.at + 4 + 8*bf.ints.n
			le.PutUint32(d[at+4:], le.Uint32(d[at:]))
		}, "field params.layers", "is not after number"},
		{"series order", func(d []byte) {
			b, err := Load(d)
			require.NoError(t, err)
			s, err := b.lookupSeries(Metric("loss", "", StatLast))
			require.NoError(t, err)
			at := s.at + 4 + 36*s.m
			copy(d[at:at+4], d[at+4:at+8])
		}, "series last(loss)", "last order: entry 1 is"},
		{"directory order", func(d []byte) {
			dir := sectionOf(d, 32)[4:]
			a, b := append([]byte(nil), dir[:fieldEntrySize]...), dir[fieldEntrySize:2*fieldEntrySize]
			copy(dir, b)
			copy(dir[fieldEntrySize:], a)
		}, "fields", "is not after entry 0"},
		{"overlapping bodies", func(d []byte) {
			dir := sectionOf(d, 32)[4:]
			le.PutUint64(dir[16:], le.Uint64(dir[16:])+1)
			le.PutUint32(dir[12:], le.Uint32(dir[12:])-1)
		}, "field", "first part at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := bytes.Clone(good)
			c.damage(data)
			rechecksum(t, data)
			err := Verify(data)
			require.ErrorIs(t, err, ErrCorrupt)
			var ce *CorruptionError
			require.ErrorAs(t, err, &ce)
			require.Contains(t, ce.Section, c.section, "%v", err)
			require.Contains(t, err.Error(), c.msg)
			require.Greater(t, ce.Offset, int64(HeaderSize))
		})
	}
}

func TestLoadErrors(t *testing.T) {
	good := marshal(t, smallHead(t))
	_, err := Load(good[:10])
	require.ErrorIs(t, err, ErrCorrupt)
	_, err = Load(good[:len(good)-1])
	require.ErrorContains(t, err, "total length")
	bad := bytes.Clone(good)
	bad[0] = 'X'
	_, err = Load(bad)
	require.ErrorContains(t, err, "bad magic")
	bad = bytes.Clone(good)
	bad[4] = Version + 1
	le.PutUint32(bad[68:], crc(bad[:68]))
	_, err = Load(bad)
	require.ErrorIs(t, err, ErrUnsupportedVersion)
}
