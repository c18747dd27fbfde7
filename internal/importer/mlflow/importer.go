package mlflow

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
)

// Format is the importer's name.
const Format = "mlflow"

// Import imports every run under path (an mlruns root, an experiment or a
// run directory). progress, if not nil, is called with the bytes of each
// file read.
func Import(s *sink.Sink, path string, progress func(int64)) error {
	runs, err := Walk(path, s.Warn)
	if err != nil {
		return err
	}
	for _, rd := range runs {
		if rd.Meta.LifecycleStage == "deleted" {
			s.Skip(1)
			continue
		}
		if err := importRun(s, rd, progress); err != nil {
			return err
		}
	}
	return nil
}

// runFiles are a run's files, by kind.
type runFiles struct {
	paramKeys, paramPaths   []string
	tagKeys, tagPaths       []string
	metricKeys, metricPaths []string
}

func listRun(dir string) (runFiles, error) {
	var f runFiles
	var err error
	if f.paramKeys, f.paramPaths, err = files(dir, "params"); err != nil {
		return f, err
	}
	if f.tagKeys, f.tagPaths, err = files(dir, "tags"); err != nil {
		return f, err
	}
	f.metricKeys, f.metricPaths, err = files(dir, "metrics")
	return f, err
}

func importRun(s *sink.Sink, rd RunDir, progress func(int64)) error {
	dir, err := filepath.Abs(rd.Dir)
	if err != nil {
		return err
	}
	metaPath := filepath.Join(dir, "meta.yaml")
	if err := engine.ValidateRunID(rd.Meta.RunID); err != nil {
		s.Skip(1)
		return s.Warn(sink.InFile(metaPath, err))
	}
	f, err := listRun(dir)
	if err != nil {
		return err
	}
	datasets, inputFiles, err := readInputs(dir, func(err error) error { return s.Warn(sink.InFile(dir, err)) })
	if err != nil {
		return err
	}
	all := append(append(append([]string{metaPath}, f.paramPaths...), f.tagPaths...), f.metricPaths...)
	digest, err := sink.Fingerprint(append(all, inputFiles...))
	if err != nil {
		return err
	}
	spec, err := runSpec(s, rd, f)
	if err != nil {
		return err
	}
	spec.Datasets = datasets
	r, err := s.Begin(sink.Source{Format: Format, Path: dir, Digest: digest}, spec)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	for i, p := range f.metricPaths {
		if !r.Unchanged() {
			if err := importMetric(s, r, f.metricKeys[i], p); err != nil {
				return err
			}
		}
		if progress != nil {
			if fi, err := os.Stat(p); err == nil {
				progress(fi.Size())
			}
		}
	}
	return r.Finish()
}

// runSpec reads a run's meta, params and tags into the spec that creates
// it.
func runSpec(s *sink.Sink, rd RunDir, f runFiles) (engine.RunSpec, error) {
	m := rd.Meta
	spec := engine.RunSpec{
		ID: m.RunID, Experiment: rd.Experiment, Name: m.RunName, Status: m.Status,
		StartTime: m.StartTime, EndTime: m.EndTime,
		Params: map[string]any{}, Tags: map[string]string{},
	}
	if !spec.Status.Terminal() {
		spec.EndTime = 0
	}
	for i, p := range f.tagPaths {
		b, err := os.ReadFile(p)
		if err != nil {
			return spec, err
		}
		spec.Tags[f.tagKeys[i]] = string(b)
	}
	if spec.Name == "" {
		spec.Name = spec.Tags["mlflow.runName"]
	}
	if spec.Name == "" {
		spec.Name = m.Name
	}
	for i, p := range f.paramPaths {
		b, err := os.ReadFile(p)
		if err != nil {
			return spec, err
		}
		key := f.paramKeys[i]
		v, keep := TypedParam(string(b))
		spec.Params[key] = v
		if keep {
			spec.Tags[ParamTextTag+key] = string(b)
		}
	}
	var err error
	where := filepath.Join(rd.Dir, "params")
	if spec.Params, err = s.CleanParams(where, spec.Params); err != nil {
		return spec, err
	}
	spec.Tags, err = s.CleanTags(filepath.Join(rd.Dir, "tags"), spec.Tags)
	return spec, err
}

func importMetric(s *sink.Sink, r *sink.Run, name, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return ParseMetrics(b, func(ts int64, v float64, step int64) error {
		return r.Add(name, nil, step, ts, v)
	}, func(err error) error {
		s.Skip(1)
		line := 0
		if le, ok := err.(*MetricLineError); ok {
			line, err = le.Line, le.Err
		}
		return s.Warn(sink.AtLine(path, line, err))
	})
}
