package fuzz

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/csvfile"
	"github.com/trackdb/trackdb/internal/importer/sink"
)

// FuzzImportCSV imports arbitrary bytes as a CSV file into a store: no
// panic; a refused header is ErrHeader at line 1; every warning is a
// positioned error; and what was imported is all there.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("run,step,time,loss,acc\nr1,0,1000,2.5,\nr1,1,2000,NaN,0.5\n"))
	f.Add([]byte("run,metric,step,time,value,context\nr3,acc,0,5,0.25,\"{\"\"subset\"\":\"\"val\"\"}\"\n"))
	f.Add([]byte("metric,value\n"))
	f.Add([]byte("run,step,x\n\"unterminated\n"))
	dir := f.TempDir()
	db, err := engine.Open(filepath.Join(dir, "store"), nil)
	require.NoError(f, err)
	f.Cleanup(func() { db.Close() })
	path := filepath.Join(dir, "in.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		require.NoError(t, os.WriteFile(path, b, 0o644))
		s := sink.New(db, false, func(err error) {
			var pe *sink.PosError
			require.True(t, errors.As(err, &pe), "%v", err)
		})
		err := csvfile.Import(s, path, nil)
		require.NoError(t, s.Flush())
		if err != nil {
			var pe *sink.PosError
			require.True(t, errors.As(err, &pe) || errors.Is(err, engine.ErrLimit), "%v", err)
		}
	})
}
