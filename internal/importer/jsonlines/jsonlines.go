// Package jsonlines imports trackdb's own JSON Lines interchange format
// (internal/jsonl; the format 'trackdb ingest' reads and 'trackdb export'
// writes) through the import sink, so that it gets the same idempotency
// as the other formats: the file is the source of every run it mentions.
//
// Lines apply as 'trackdb ingest' applies them: a run line creates its run
// or updates it (a status without end_time ends a run at the time of the
// import), a metrics line logs points and creates a run first seen there,
// starting at the line's time. A line that does not parse, or that the
// engine refuses, is a warning naming the file, line and column; the lines
// around it are imported. Datasets are stored with their run.
package jsonlines

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
	"github.com/trackdb/trackdb/internal/jsonl"
)

// Format is the importer's name.
const Format = "jsonl"

// Import imports one JSON Lines file.
func Import(s *sink.Sink, path string, progress func(int64)) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	digest, err := sink.Fingerprint([]string{abs})
	if err != nil {
		return err
	}
	f, err := os.Open(abs)
	if err != nil {
		return err
	}
	defer f.Close()
	im := &importer{s: s, src: sink.Source{Format: Format, Path: abs, Digest: digest}, path: path, runs: map[string]*sink.Run{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), jsonl.MaxLineLen+1)
	var p jsonl.Parser
	var l jsonl.Line
	var done int64
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		done += int64(len(line)) + 1
		if progress != nil && n%4096 == 0 {
			progress(done)
			done = 0
		}
		if len(line) == 0 {
			continue
		}
		if err := p.Parse(line, &l); err != nil {
			s.Skip(1)
			if err := s.Warn(sink.AtLine(path, n, err)); err != nil {
				return err
			}
			continue
		}
		if err := im.apply(&l); err != nil {
			if !refused(err) {
				return sink.AtLine(path, n, err)
			}
			s.Skip(1)
			if err := s.Warn(sink.AtLine(path, n, err)); err != nil {
				return err
			}
		}
	}
	if progress != nil {
		progress(done)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, id := range im.order {
		if err := im.runs[id].Finish(); err != nil {
			return err
		}
	}
	return nil
}

// refused reports whether the engine refused a line's content (as opposed
// to failing), which costs the line and not the import.
func refused(err error) bool {
	for _, e := range []error{engine.ErrInvalidRunID, engine.ErrInvalidAttribute, engine.ErrInvalidStatus,
		engine.ErrInvalidParam, engine.ErrParamConflict, engine.ErrInvalidTag, engine.ErrInvalidMetric,
		engine.ErrInvalidContext, engine.ErrLimit} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

type importer struct {
	s     *sink.Sink
	src   sink.Source
	path  string
	runs  map[string]*sink.Run
	order []string
}

func (im *importer) begin(spec engine.RunSpec) (*sink.Run, bool, error) {
	if r := im.runs[spec.ID]; r != nil {
		return r, false, nil
	}
	r, err := im.s.Begin(im.src, spec)
	if err != nil {
		return nil, false, err
	}
	im.runs[spec.ID] = r
	im.order = append(im.order, spec.ID)
	return r, true, nil
}

func (im *importer) apply(l *jsonl.Line) error {
	if l.Kind == jsonl.KindPoints {
		r, _, err := im.begin(engine.RunSpec{ID: l.Run, StartTime: l.Time})
		if err != nil {
			return err
		}
		for name, v := range l.Metrics {
			if err := r.Add(name, engine.Context(l.Context), l.Step, l.Time, v); err != nil {
				return err
			}
		}
		return nil
	}
	spec, u, err := RunChange(l)
	if err != nil {
		return err
	}
	r, created, err := im.begin(spec)
	if err != nil || created {
		return err
	}
	return r.Update(u)
}

func copyTags(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
