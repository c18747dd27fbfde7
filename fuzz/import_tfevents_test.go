package fuzz

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/importer/tfevents"
)

// FuzzImportTFEvents feeds arbitrary bytes to the TFRecord reader and the
// Event decoder, as the importer chains them. Neither may panic; every
// problem must carry one of the package's sentinels; the reader never
// returns more data than the input holds. Seeds: the edge-case files
// built from TensorBoard's reader tests when ../shared/realdata is present,
// and the corpus in testdata/fuzz/FuzzImportTFEvents.
func FuzzImportTFEvents(f *testing.F) {
	if files, err := filepath.Glob("../../shared/realdata/tensorboard_edge_cases/*.tfevents"); err == nil {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		rr := tfevents.NewRecordReader(bytes.NewReader(file), int64(len(file)))
		var ev tfevents.Event
		total := 0
		for rr.Next() {
			if err := rr.Bad(); err != nil {
				require.ErrorIs(t, err, tfevents.ErrDataCRC)
				continue
			}
			total += len(rr.Record())
			require.LessOrEqual(t, total, len(file))
			if err := tfevents.Decode(rr.Record(), &ev); err != nil {
				require.ErrorIs(t, err, tfevents.ErrProto)
				continue
			}
			for i := range ev.Values {
				_, _, err := tfevents.Scalar(&ev.Values[i], string(ev.Values[i].Plugin))
				if err != nil {
					require.ErrorIs(t, err, tfevents.ErrScalar)
				}
			}
		}
		if err := rr.Err(); err != nil {
			require.True(t, errors.Is(err, tfevents.ErrTruncated) || errors.Is(err, tfevents.ErrLengthCRC), "%v", err)
		}
		// The decoder alone, on the raw bytes.
		if err := tfevents.Decode(file, &ev); err != nil {
			require.ErrorIs(t, err, tfevents.ErrProto)
		}
	})
}
