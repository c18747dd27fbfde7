package sacred

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
)

// Format is the importer's name.
const Format = "sacred"

// Walk returns the run folders under path: path itself when it holds a
// run.json, else its sub-folders that do, in name order (numerically for
// Sacred's numeric IDs).
func Walk(path string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(path, "run.json")); err == nil {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || e.Name()[0] == '_' || e.Name()[0] == '.' {
			continue
		}
		if _, err := os.Stat(filepath.Join(path, e.Name(), "run.json")); err == nil {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no run.json in %s or its folders", ErrNotSacred, path)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := filepath.Base(out[i]), filepath.Base(out[j])
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	return out, nil
}

// Import imports the runs under path (an observer directory or one run
// folder).
func Import(s *sink.Sink, path string, progress func(int64)) error {
	dirs, err := Walk(path)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if err := importRun(s, d, progress); err != nil {
			return err
		}
	}
	return nil
}

func readOptional(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

func importRun(s *sink.Sink, dir string, progress func(int64)) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	id := filepath.Base(dir)
	runPath, configPath, metricsPath := filepath.Join(dir, "run.json"), filepath.Join(dir, "config.json"), filepath.Join(dir, "metrics.json")
	var files []string
	var size int64
	for _, p := range []string{runPath, configPath, metricsPath} {
		if fi, err := os.Stat(p); err == nil {
			files = append(files, p)
			size += fi.Size()
		}
	}
	if progress != nil {
		defer progress(size)
	}
	digest, err := sink.Fingerprint(files)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(runPath)
	if err != nil {
		return err
	}
	rj, err := ParseRun(b)
	if err != nil {
		s.Skip(1)
		return s.Warn(sink.InFile(runPath, err))
	}
	spec, err := runSpec(s, &rj, id, runPath)
	if err != nil {
		return err
	}
	spec.ID = sink.RunID(Format + ":" + dir)
	if b, err = readOptional(configPath); err != nil {
		return err
	} else if b != nil {
		params, err := ParseConfig(b)
		if err != nil {
			if werr := s.Warn(sink.InFile(configPath, err)); werr != nil {
				return werr
			}
		}
		if spec.Params, err = s.CleanParams(configPath, params); err != nil {
			return err
		}
	}
	r, err := s.Begin(sink.Source{Format: Format, Path: dir, Digest: digest}, spec)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if r.Unchanged() {
		return nil
	}
	if b, err = readOptional(metricsPath); err != nil {
		return err
	} else if b != nil {
		if err := importMetrics(s, r, b, metricsPath); err != nil {
			return err
		}
	}
	return r.Finish()
}

func runSpec(s *sink.Sink, rj *RunJSON, id, runPath string) (engine.RunSpec, error) {
	spec := engine.RunSpec{Experiment: rj.Experiment.Name, Name: id}
	st, ok := Status(rj.Status)
	if !ok {
		if err := s.Warn(sink.InFile(runPath, fmt.Errorf("unknown status %q, imported as running", rj.Status))); err != nil {
			return spec, err
		}
		st = engine.StatusRunning
	}
	spec.Status = st
	var err error
	if spec.StartTime, err = Time(rj.StartTime); err != nil {
		return spec, s.Warn(sink.InFile(runPath, err))
	}
	if st.Terminal() {
		end := rj.StopTime
		if end == "" {
			end = rj.Heartbeat
		}
		if spec.EndTime, err = Time(end); err != nil {
			return spec, s.Warn(sink.InFile(runPath, err))
		}
	}
	if len(rj.Result) > engine.MaxTagValueLen {
		s.Skip(1) // a result too long for a tag
	}
	spec.Tags, err = s.CleanTags(runPath, rj.tags(id))
	return spec, err
}

func importMetrics(s *sink.Sink, r *sink.Run, b []byte, path string) error {
	metrics, err := ParseMetrics(b)
	if err != nil {
		s.Skip(1)
		return s.Warn(sink.InFile(path, err))
	}
	names := make([]string, 0, len(metrics))
	for name := range metrics {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		m := metrics[name]
		err := m.Points(func(step, t int64, v float64) error {
			return r.Add(name, nil, step, t, v)
		}, func(err error) error {
			s.Skip(1)
			return s.Warn(sink.InFile(path, fmt.Errorf("metric %q: %w", name, err)))
		})
		if err != nil {
			return err
		}
	}
	return nil
}
