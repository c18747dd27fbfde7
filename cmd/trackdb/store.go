package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/trackdb/trackdb/engine"
)

// defaultDir is where the data commands look when neither --dir nor the
// TRACKDB_DIR environment variable is given.
const defaultDir = "trackdb-data"

// dirEnv names the environment variable that sets the default store.
const dirEnv = "TRACKDB_DIR"

// dirFlag declares the --dir flag every data command shares; its default
// is $TRACKDB_DIR, else ./trackdb-data.
func dirFlag(fs *flag.FlagSet) *string {
	def := defaultDir
	if d := os.Getenv(dirEnv); d != "" {
		def = d
	}
	return fs.String("dir", def, "store `directory`; $TRACKDB_DIR sets the default")
}

// storeOptions returns engine options whose recovery notices (a torn WAL
// tail cut off) go to the command's stderr rather than the process-wide
// default logger.
func storeOptions(stderr io.Writer) *engine.Options {
	o := engine.DefaultOptions()
	o.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	return o
}

// openStore opens the store in dir for a command that writes, creating it
// when dir is missing or empty, and turns the engine's refusals into
// messages that say what to do.
func openStore(dir string, opts *engine.Options) (*engine.DB, error) {
	db, err := engine.Open(dir, opts)
	switch {
	case errors.Is(err, engine.ErrNotStore):
		return nil, fmt.Errorf("%s is not a trackdb store: it holds other files, and trackdb never writes into such a directory; "+
			"give --dir a store, a new path or an empty directory", dir)
	case errors.Is(err, engine.ErrLocked):
		return nil, fmt.Errorf("%s is in use by another trackdb process (one writer per store)", dir)
	case err != nil:
		return nil, err
	}
	return db, nil
}

// openExisting opens a store that must already exist, for the commands
// that only read. engine.Open would create a store in a missing or empty
// directory, and a read command that quietly makes an empty store at a
// mistyped path hides the mistake; so those cases are errors here.
func openExisting(dir string, opts *engine.Options) (*engine.DB, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("no store at %s (use --dir to name one)", dir)
	case err != nil:
		return nil, err
	case len(entries) == 0:
		return nil, fmt.Errorf("%s is empty, not a trackdb store", dir)
	}
	return openStore(dir, opts)
}

// formatFlag declares --format for a command that prints results in one of
// choices, the first being the default. check, called after parsing,
// refuses any other value as a usage error.
func formatFlag(fs *flag.FlagSet, choices ...string) (format *string, check func() error) {
	list := strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
	format = fs.String("format", choices[0], "output `format`: "+list)
	return format, func() error {
		if !slices.Contains(choices, *format) {
			return usagef("--format %q: want %s", *format, list)
		}
		return nil
	}
}
