package mlflow

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/trackdb/trackdb/engine"
	"go.yaml.in/yaml/v3"
)

// DatasetContextTag is the input tag that says how a run used a dataset
// ("training", "eval").
const DatasetContextTag = "mlflow.data.context"

// input is one run input, the parts of <run>/inputs/<id>/meta.yaml read.
type input struct {
	SourceType string            `yaml:"source_type"`
	SourceID   string            `yaml:"source_id"`
	Tags       map[string]string `yaml:"tags"`
}

// dataset is the part of <experiment>/datasets/<id>/meta.yaml read.
type dataset struct {
	Name   string `yaml:"name"`
	Digest string `yaml:"digest"`
}

// readInputs returns the datasets a run logged with log_input (MLflow
// 2.4+): each <run>/inputs/<id>/meta.yaml of source_type DATASET names a
// dataset <experiment>/datasets/<source_id>/meta.yaml. It also returns the
// files read, for the run's fingerprint. An input that cannot be resolved
// is passed to bad and left out.
func readInputs(runDir string, bad func(error) error) ([]engine.Dataset, []string, error) {
	root := filepath.Join(runDir, "inputs")
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	expDir := filepath.Dir(runDir)
	var out []engine.Dataset
	var files []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		d, read, err := readInput(filepath.Join(root, e.Name(), "meta.yaml"), expDir)
		files = append(files, read...)
		if err != nil {
			if err := bad(err); err != nil {
				return nil, nil, err
			}
			continue
		}
		if d != nil {
			out = append(out, *d)
		}
	}
	return out, files, nil
}

func readInput(path, expDir string) (*engine.Dataset, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	files := []string{path}
	var in input
	if err := yaml.Unmarshal(b, &in); err != nil {
		return nil, files, fmt.Errorf("%s: %w: %w", path, ErrMeta, err)
	}
	if in.SourceType != "DATASET" {
		return nil, files, nil // other input kinds (models) are not datasets
	}
	if in.SourceID == "" || filepath.Base(in.SourceID) != in.SourceID || in.SourceID == ".." || in.SourceID == "." {
		return nil, files, fmt.Errorf("%s: %w: source_id %q is not a dataset ID", path, ErrMeta, in.SourceID)
	}
	dpath := filepath.Join(expDir, "datasets", in.SourceID, "meta.yaml")
	b, err = os.ReadFile(dpath)
	if err != nil {
		return nil, files, fmt.Errorf("%s: dataset %s: %w", path, in.SourceID, err)
	}
	files = append(files, dpath)
	var ds dataset
	if err := yaml.Unmarshal(b, &ds); err != nil {
		return nil, files, fmt.Errorf("%s: %w: %w", dpath, ErrMeta, err)
	}
	d := &engine.Dataset{Name: ds.Name, Digest: ds.Digest, Context: in.Tags[DatasetContextTag]}
	if err := engine.ValidateDataset(*d); err != nil {
		return nil, files, fmt.Errorf("%s: %w", dpath, err)
	}
	return d, files, nil
}
