package sink

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
)

// Tags the sink writes on every imported run.
const (
	// TagSource names where a run came from: "<format>:<path>".
	TagSource = "trackdb.import.source"
	// TagDigest is the fingerprint of the source files when the run was
	// last imported completely.
	TagDigest = "trackdb.import.digest"
)

// Fingerprint returns a digest of files: their paths, sizes and
// modification times, in path order. It reads no content, so it costs the
// same for a 1 GB event file as for a small one; a file rewritten in place
// with the same size within the filesystem's mtime resolution would go
// unnoticed, which no tracker does.
func Fingerprint(files []string) (string, error) {
	sorted := append([]string(nil), files...)
	sort.Strings(sorted)
	h := sha256.New()
	for _, f := range sorted {
		fi, err := os.Stat(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", f, fi.Size(), fi.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// RunID derives a stable run ID from a source identity, for formats whose
// runs carry no globally unique ID of their own (TensorBoard directories,
// Sacred run folders): 32 hex digits, like MLflow's.
func RunID(identity string) string {
	sum := sha256.Sum256([]byte(identity))
	return hex.EncodeToString(sum[:16])
}
