package importer

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/csvfile"
	"github.com/trackdb/trackdb/internal/importer/jsonlines"
	"github.com/trackdb/trackdb/internal/importer/mlflow"
	"github.com/trackdb/trackdb/internal/importer/sacred"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/importer/tfevents"
)

// Stats are the counts of an import.
type Stats = sink.Stats

// Options control Import.
type Options struct {
	// Format is one of Formats; empty means Detect each path.
	Format string
	// Strict stops at the first warning, returning it (wrapping
	// sink.ErrStrict); by default warnings are reported and skipped.
	Strict bool
	// Warn receives each warning; nil drops them (they are still counted).
	Warn func(error)
	// Progress, if not nil, is called with the bytes of source data just
	// read; Size gives the total to expect.
	Progress func(n int64)
}

type importFunc func(*sink.Sink, string, func(int64)) error

var importers = map[string]importFunc{
	"tfevents": tfevents.Import,
	"mlflow":   mlflow.Import,
	"sacred":   sacred.Import,
	"jsonl":    jsonlines.Import,
	"csv":      csvfile.Import,
}

// Import imports every path into db. Points already imported from the
// same unchanged source are not imported again (see package sink).
func Import(db *engine.DB, paths []string, opts Options) (Stats, error) {
	if opts.Format != "" && !slices.Contains(Formats, opts.Format) {
		return Stats{}, fmt.Errorf("%w: %q (want one of %v)", ErrUnknownFormat, opts.Format, Formats)
	}
	s := sink.New(db, opts.Strict, opts.Warn)
	for _, p := range paths {
		format := opts.Format
		if format == "" {
			var err error
			if format, err = Detect(p); err != nil {
				return s.Stats(), err
			}
		}
		if err := importers[format](s, p, opts.Progress); err != nil {
			s.Flush()
			return s.Stats(), err
		}
	}
	return s.Stats(), s.Flush()
}

// Size returns the bytes of source data under paths that Options.Progress
// counts up to: event files, MLflow metric files, Sacred's run, config and
// metrics files, JSON Lines and CSV files. format "" detects each path.
func Size(paths []string, format string) int64 {
	var n int64
	for _, p := range paths {
		f := format
		if f == "" {
			f, _ = Detect(p)
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || !counted(f, path) {
				return nil
			}
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
			return nil
		})
	}
	return n
}

func counted(format, path string) bool {
	switch format {
	case "tfevents":
		return tfevents.IsEventFile(filepath.Base(path))
	case "mlflow":
		return strings.Contains(filepath.ToSlash(path), "/metrics/")
	case "sacred":
		b := filepath.Base(path)
		return b == "run.json" || b == "config.json" || b == "metrics.json"
	}
	return true
}
