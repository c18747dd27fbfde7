package engine

import (
	"path/filepath"

	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/trackdb/trackdb/internal/vfs"
)

// VerifyBlockForTesting checks a block given as the bytes of its four
// files, with every decoder Verify uses: meta, index sections, chunk
// entries, XOR chunks, time references and timelines. It exists for the
// fuzz targets; damage must come back as problems or an error, never a
// panic.
func VerifyBlockForTesting(meta, index, chunks, postings []byte) ([]Problem, error) {
	fs := vfs.NewMem()
	dir := "/b/" + blockDirName(0)
	if err := fs.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for name, data := range map[string][]byte{blockMetaName: meta, blockIndexName: index, blockChunksName: chunks, blockPostingsName: postings} {
		if err := writeFileSynced(fs, filepath.Join(dir, name), data); err != nil {
			return nil, err
		}
	}
	rep := &VerifyReport{}
	verifyBlock(fs, dir, rep)
	return rep.Problems, nil
}

// BlockFilesForTesting returns the files of a small valid block, as seeds
// for the fuzz targets.
func BlockFilesForTesting() (meta, index, chunks, postings []byte, err error) {
	fs := vfs.NewMem()
	db, err := Open("/db", &Options{FS: fs, ChunkSamples: 16, FlushPoints: -1})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if _, err := db.CreateRun(RunSpec{ID: "r", Params: map[string]any{"lr": 0.1}, Tags: map[string]string{"k": "v"}}); err != nil {
		return nil, nil, nil, nil, err
	}
	for s := range int64(40) {
		if err := db.Log("r", s%30, 1000+s*7, map[string]float64{"loss": 1 / float64(s+1), "acc": float64(s)}, Context{"subset": "val"}); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	if err := db.Compact(); err != nil {
		return nil, nil, nil, nil, err
	}
	if err := db.Close(); err != nil {
		return nil, nil, nil, nil, err
	}
	dir := filepath.Join("/db", blocksDirName, blockDirName(0))
	if meta, err = readWholeFile(fs, filepath.Join(dir, blockMetaName)); err != nil {
		return nil, nil, nil, nil, err
	}
	if index, err = readWholeFile(fs, filepath.Join(dir, blockIndexName)); err != nil {
		return nil, nil, nil, nil, err
	}
	if chunks, err = readWholeFile(fs, filepath.Join(dir, blockChunksName)); err != nil {
		return nil, nil, nil, nil, err
	}
	postings, err = readWholeFile(fs, filepath.Join(dir, blockPostingsName))
	return meta, index, chunks, postings, err
}

// CheckChunkForTesting decodes a series chunk (XOR bytes and time
// reference stream) as Verify does, without the checksum that normally
// keeps damaged bytes away from the decoder. It returns what is wrong, or
// "" for a chunk of n points within [minStep, maxStep] whose references
// stay below timeline.
func CheckChunkForTesting(xor, idx []byte, n int, minStep, maxStep int64, timeline uint64) string {
	var it chunkenc.Iterator
	return checkChunk(xor, idx, chunkMeta{n: n, minStep: minStep, maxStep: maxStep}, timeline, &it)
}
