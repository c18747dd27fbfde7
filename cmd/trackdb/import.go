package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/trackdb/trackdb/internal/importer"
)

// maxWarningsShown bounds the warnings printed one by one; the rest are
// counted.
const maxWarningsShown = 20

func newImportCommand() *command {
	return &command{
		name:     "import",
		summary:  "import TensorBoard, MLflow, Sacred, JSON Lines or CSV files",
		operands: "PATH...",
		doc: `
Import reads runs written by other trackers and stores them: every point,
not a sample. Each PATH is a file or a directory, and its format is
detected unless --from names it:

	tfevents  a TensorBoard logdir or event file (events.out.tfevents.*)
	mlflow    an mlruns directory, one experiment or one run of it
	sacred    a Sacred FileStorageObserver directory or one run folder
	jsonl     JSON Lines as 'trackdb ingest' reads and 'trackdb export' writes
	csv       wide (run,step,time,<metric>...) or long (run,metric,step,time,value)

Importing the same source again adds nothing: each run records where it
came from and a fingerprint of its files (tags trackdb.import.source and
trackdb.import.digest); a source that grew adds only its new points.

Damaged input (a bad checksum, a line that does not parse, a truncated
last record) is skipped and reported as a warning naming the file and
position, and the import goes on; --strict stops at the first one with
exit status 1. A progress bar with rate and ETA is drawn on stderr when
it is a terminal. docs/import.md describes each format's mapping.

Examples:

	trackdb import --dir store runs/           # a TensorBoard logdir
	trackdb import --dir store mlruns          # an MLflow FileStore
	trackdb import --from csv --strict metrics.csv`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			from := fs.String("from", "", "source `format`: tfevents, mlflow, sacred, jsonl or csv (default: detected)")
			strict := fs.Bool("strict", false, "stop at the first damaged record or line")
			quiet := fs.Bool("quiet", false, "print neither warnings nor the summary")
			return func(e *env, paths []string) error {
				if len(paths) == 0 {
					return usagef("no PATH to import")
				}
				if *from != "" && !slices.Contains(importer.Formats, *from) {
					return usagef("--from %q: want one of %s", *from, strings.Join(importer.Formats, ", "))
				}
				return runImport(e, *dir, *from, *strict, *quiet, paths)
			}
		},
	}
}

func runImport(e *env, dir, from string, strict, quiet bool, paths []string) (err error) {
	// Check every path and its format before touching the store, so that
	// a mistyped name writes nothing.
	for _, p := range paths {
		if from == "" {
			if _, err := importer.Detect(p); err != nil {
				return err
			}
		} else if _, err := os.Stat(p); err != nil {
			return err
		}
	}
	db, err := openStore(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close store: %w", cerr)
		}
	}()
	bar := newProgress(e.stderr, "importing", "B", importer.Size(paths, from))
	shown := 0
	opts := importer.Options{
		Format:   from,
		Strict:   strict,
		Progress: bar.Add,
		Warn: func(w error) {
			if quiet || strict {
				return // strict: the warning is the command's error
			}
			if shown < maxWarningsShown {
				bar.Finish()
				fmt.Fprintf(e.stderr, "warning: %v\n", w)
			}
			shown++
		},
	}
	start := time.Now()
	st, err := importer.Import(db, paths, opts)
	bar.Finish()
	if !quiet {
		if shown > maxWarningsShown {
			fmt.Fprintf(e.stderr, "... and %s more warnings\n", count(int64(shown-maxWarningsShown)))
		}
		elapsed := time.Since(start)
		fmt.Fprintf(e.stderr, "imported %s runs (%s new, %s updated, %s unchanged), %s points (%s points/s), %s already stored, %s skipped, %s warnings in %s\n",
			count(int64(st.RunsCreated+st.RunsUpdated+st.RunsUnchanged)), count(int64(st.RunsCreated)), count(int64(st.RunsUpdated)),
			count(int64(st.RunsUnchanged)), count(st.Points), rate(st.Points, elapsed), count(st.Duplicates),
			count(st.Skipped), count(int64(st.Warnings)), dur(elapsed))
	}
	if errors.Is(err, importer.ErrUnknownFormat) {
		return usagef("%v", err)
	}
	return err
}
