package fuzz

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
)

// FuzzBlock feeds damaged and arbitrary block files (meta, index, chunks)
// to the block decoders through engine.VerifyBlockForTesting: damage must
// be reported, never panic or allocate beyond what the input backs. The
// seeds are a valid block (which must verify clean) and its files with
// bytes changed.
func FuzzBlock(f *testing.F) {
	meta, index, chunks, postings, err := engine.BlockFilesForTesting()
	require.NoError(f, err)
	problems, err := engine.VerifyBlockForTesting(meta, index, chunks, postings)
	require.NoError(f, err)
	require.Empty(f, problems, "the seed block is valid")
	f.Add(meta, index, chunks)
	for _, off := range []int{0, 4, 9, 20, len(index) / 2, len(index) - 5} {
		bad := append([]byte(nil), index...)
		bad[off%len(bad)] ^= 0x5a
		f.Add(meta, bad, chunks)
	}
	for _, off := range []int{5, 8, 30, len(chunks) / 3, len(chunks) - 2} {
		bad := append([]byte(nil), chunks...)
		bad[off%len(bad)] ^= 0x81
		f.Add(meta, index, bad)
	}
	f.Add(meta[:len(meta)-1], index[:len(index)/2], chunks[:len(chunks)/2])
	f.Fuzz(func(t *testing.T, meta, index, chunks []byte) {
		// The run index has its own target (FuzzIndexDecode); here it
		// stays valid so that inputs reach the chunk and index decoders.
		_, err := engine.VerifyBlockForTesting(meta, index, chunks, postings)
		require.NoError(t, err)
	})
}

// FuzzChunk feeds arbitrary XOR bytes and time reference streams to the
// chunk decoder without the checksum in front of it: a bad chunk must be
// reported, never panic.
func FuzzChunk(f *testing.F) {
	f.Add([]byte{0, 2, 0x02, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x80}, []byte{0}, 2, int64(0), int64(10), uint64(5))
	f.Add([]byte{0xff, 0xff, 1, 2, 3}, []byte{0xff, 0xff, 0xff}, 65535, int64(-5), int64(5), uint64(1))
	f.Add([]byte{}, []byte{}, 0, int64(0), int64(0), uint64(0))
	f.Fuzz(func(t *testing.T, xor, idx []byte, n int, lo, hi int64, timeline uint64) {
		_ = engine.CheckChunkForTesting(xor, idx, n, lo, hi, timeline)
	})
}
