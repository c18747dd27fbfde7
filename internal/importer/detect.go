package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/trackdb/trackdb/internal/importer/mlflow"
	"github.com/trackdb/trackdb/internal/importer/tfevents"
)

// Formats are the names --from takes, in the order Detect tries them.
var Formats = []string{"tfevents", "mlflow", "sacred", "jsonl", "csv"}

// Detect tells the format of path:
//
//	a file named *tfevents*                    tfevents
//	a file *.jsonl, *.ndjson, *.json           jsonl
//	a file *.csv                               csv
//	another file starting with "{"             jsonl
//	a directory with meta.yaml, or whose
//	sub-folders have one with experiment_id    mlflow (a run, an experiment, an mlruns root)
//	a directory with run.json, or whose
//	sub-folders have one                       sacred (a run, an observer directory)
//	a directory with event files below it      tfevents (a logdir)
func Detect(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return detectFile(path)
	}
	if exists(filepath.Join(path, "meta.yaml")) {
		return "mlflow", nil
	}
	if exists(filepath.Join(path, "run.json")) {
		return "sacred", nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := filepath.Join(path, e.Name())
		if m, err := mlflow.ReadMeta(filepath.Join(sub, "meta.yaml")); err == nil && m.ExperimentID != "" && !m.IsRun() {
			return "mlflow", nil
		}
		if exists(filepath.Join(sub, "run.json")) {
			return "sacred", nil
		}
	}
	found := errors.New("found")
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && tfevents.IsEventFile(d.Name()) {
			return found
		}
		return err
	})
	if err == found {
		return "tfevents", nil
	}
	if err != nil {
		return "", err
	}
	return "", fmt.Errorf("%w: %s holds no event files, meta.yaml or run.json (use --from)", ErrUnknownFormat, path)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func detectFile(path string) (string, error) {
	name := filepath.Base(path)
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case tfevents.IsEventFile(name):
		return "tfevents", nil
	case ext == ".jsonl" || ext == ".ndjson" || ext == ".json":
		return "jsonl", nil
	case ext == ".csv":
		return "csv", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		c, err := r.ReadByte()
		if err != nil {
			break
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if c == '{' {
			return "jsonl", nil
		}
		break
	}
	return "", fmt.Errorf("%w: cannot tell the format of %s (use --from)", ErrUnknownFormat, path)
}
