package mlflow

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// RunDir is one run found in a FileStore.
type RunDir struct {
	Dir        string
	Meta       Meta
	Experiment string // the experiment's name
}

// Walk finds the runs under path: an mlruns root, an experiment directory
// or a run directory. Directories whose meta.yaml does not parse are
// passed to bad and skipped.
func Walk(path string, bad func(error) error) ([]RunDir, error) {
	m, err := ReadMeta(filepath.Join(path, "meta.yaml"))
	switch {
	case err == nil && m.IsRun():
		exp, _ := ReadMeta(filepath.Join(filepath.Dir(path), "meta.yaml"))
		return []RunDir{{Dir: path, Meta: m, Experiment: experimentName(exp, m.ExperimentID)}}, nil
	case err == nil && m.ExperimentID != "":
		return walkExperiment(path, m, bad)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: %w", filepath.Join(path, "meta.yaml"), err)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var out []RunDir
	found := false
	for _, e := range entries {
		if !e.IsDir() || e.Name()[0] == '.' {
			continue // .trash holds deleted experiments
		}
		dir := filepath.Join(path, e.Name())
		m, err := ReadMeta(filepath.Join(dir, "meta.yaml"))
		if errors.Is(err, fs.ErrNotExist) || (err == nil && (m.IsRun() || m.ExperimentID == "")) {
			continue // models/, a stray mlruns, anything not an experiment
		}
		if err != nil {
			if err := bad(fmt.Errorf("%s: %w", filepath.Join(dir, "meta.yaml"), err)); err != nil {
				return nil, err
			}
			continue
		}
		found = true
		runs, err := walkExperiment(dir, m, bad)
		if err != nil {
			return nil, err
		}
		out = append(out, runs...)
	}
	if !found {
		return nil, fmt.Errorf("%w: %s has no experiment", ErrNotMLflow, path)
	}
	return out, nil
}

func experimentName(exp Meta, id string) string {
	if exp.Name != "" {
		return exp.Name
	}
	return id
}

func walkExperiment(dir string, exp Meta, bad func(error) error) ([]RunDir, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	name := experimentName(exp, exp.ExperimentID)
	var out []RunDir
	for _, e := range entries {
		if !e.IsDir() || e.Name()[0] == '.' {
			continue
		}
		rd := filepath.Join(dir, e.Name())
		m, err := ReadMeta(filepath.Join(rd, "meta.yaml"))
		if errors.Is(err, fs.ErrNotExist) || (err == nil && !m.IsRun()) {
			continue // an experiment's tags/ or datasets/, a stray mlruns
		}
		if err != nil {
			if err := bad(fmt.Errorf("%s: %w", filepath.Join(rd, "meta.yaml"), err)); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, RunDir{Dir: rd, Meta: m, Experiment: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out, nil
}

// files returns the regular files under dir/sub with their paths relative
// to dir/sub in slash form: the keys of params, tags and metrics.
func files(dir, sub string) (keys, paths []string, err error) {
	root := filepath.Join(dir, sub)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		keys = append(keys, filepath.ToSlash(rel))
		paths = append(paths, p)
		return nil
	})
	return keys, paths, err
}
