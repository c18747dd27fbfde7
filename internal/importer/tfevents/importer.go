package tfevents

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
)

// Format is the importer's name.
const Format = "tfevents"

// Import imports every run under logdir (a directory or one event file).
// Each run directory becomes a run named by its path relative to logdir,
// with logdir's base name as experiment; its ID is derived from its
// absolute path, so importing the same logdir again finds the same runs.
// TensorBoard records no run status: a run is finished at its last
// event's wall time and starts at its first.
func Import(s *sink.Sink, logdir string, progress func(int64)) error {
	runs, err := Walk(logdir)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(logdir)
	if err != nil {
		return err
	}
	experiment := filepath.Base(abs)
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		experiment = filepath.Base(filepath.Dir(filepath.Dir(abs)))
	}
	for _, rd := range runs {
		if err := importRun(s, experiment, rd, progress); err != nil {
			return err
		}
	}
	return nil
}

func importRun(s *sink.Sink, experiment string, rd RunDir, progress func(int64)) error {
	dir, err := filepath.Abs(rd.Dir)
	if err != nil {
		return err
	}
	paths := make([]string, len(rd.Files))
	for i, f := range rd.Files {
		paths[i] = f.Path
	}
	digest, err := sink.Fingerprint(paths)
	if err != nil {
		return err
	}
	spec := engine.RunSpec{ID: sink.RunID(Format + ":" + dir), Experiment: experiment, Name: rd.Name}
	r, err := s.Begin(sink.Source{Format: Format, Path: dir, Digest: digest}, spec)
	if err != nil {
		return fmt.Errorf("run %s: %w", rd.Dir, err)
	}
	st := &runState{first: 1<<63 - 1, last: -1 << 63, tags: map[string]map[string]*tagState{}}
	for _, f := range rd.Files {
		var done int64 // bytes of f reported to progress
		if !r.Unchanged() {
			report := func(off int64) {
				if progress != nil && off > done {
					progress(off - done)
					done = off
				}
			}
			if err := importFile(s, r, f, st, report); err != nil {
				return err
			}
		}
		if progress != nil && f.Size > done {
			progress(f.Size - done)
		}
	}
	if r.Unchanged() {
		return nil
	}
	if st.events > 0 {
		status := engine.StatusFinished
		if err := r.Update(engine.RunUpdate{StartTime: &st.first, EndTime: &st.last, Status: &status}); err != nil {
			return fmt.Errorf("run %s: %w", rd.Dir, err)
		}
	}
	return r.Finish()
}

// runState is what importing a run's files keeps between files.
type runState struct {
	events      int64
	first, last int64                           // wall time range, Unix ms
	tags        map[string]map[string]*tagState // per subset, per tag
}

// progressEvery is how many bytes of an event file go between progress
// reports.
const progressEvery = 1 << 20

// importFile imports one event file; report is called with the offset
// reached every progressEvery bytes.
func importFile(s *sink.Sink, r *sink.Run, f File, st *runState, report func(off int64)) error {
	fh, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer fh.Close()
	var ctx engine.Context
	if f.Subset != "" {
		ctx = engine.Context{"subset": f.Subset}
	}
	// The plugin of a tag is remembered per run directory, as TensorBoard
	// keeps it per run.
	tags := st.tags[f.Subset]
	if tags == nil {
		tags = map[string]*tagState{}
		st.tags[f.Subset] = tags
	}
	rr := NewRecordReader(bufio.NewReaderSize(fh, 256<<10), f.Size)
	var ev Event
	next := int64(progressEvery)
	for rr.Next() {
		if off := rr.Offset(); off >= next {
			report(off)
			next = off + progressEvery
		}
		if err := rr.Bad(); err != nil {
			s.Skip(1)
			if err := s.Warn(sink.AtOffset(f.Path, rr.Offset(), err)); err != nil {
				return err
			}
			continue
		}
		if err := Decode(rr.Record(), &ev); err != nil {
			s.Skip(1)
			if err := s.Warn(sink.AtOffset(f.Path, rr.Offset(), err)); err != nil {
				return err
			}
			continue
		}
		if err := importEvent(s, r, &ev, ctx, tags, st, f.Path, rr.Offset()); err != nil {
			return err
		}
	}
	if err := rr.Err(); err != nil {
		s.Skip(1)
		return s.Warn(sink.AtOffset(f.Path, rr.Offset(), err))
	}
	return nil
}

// tagState is what is known of a tag in one run directory: its name as a
// string (made once, not per point) and its plugin.
type tagState struct {
	name      string
	plugin    string
	hasPlugin bool
}

func importEvent(s *sink.Sink, r *sink.Run, ev *Event, ctx engine.Context, tags map[string]*tagState, st *runState, path string, off int64) error {
	t, err := WallTimeMillis(ev.WallTime)
	if err != nil {
		s.Skip(1)
		return s.Warn(sink.AtOffset(path, off, err))
	}
	st.events++
	st.first, st.last = min(st.first, t), max(st.last, t)
	if ev.Other {
		s.Skip(1)
	}
	for i := range ev.Values {
		v := &ev.Values[i]
		tag := tags[string(v.Tag)] // no allocation for the lookup
		if tag == nil {
			tag = &tagState{name: string(v.Tag)}
			tags[tag.name] = tag
		}
		if !tag.hasPlugin && v.HasMetadata {
			tag.plugin, tag.hasPlugin = string(v.Plugin), true
		}
		x, ok, err := Scalar(v, tag.plugin)
		if err != nil {
			s.Skip(1)
			if err := s.Warn(sink.AtOffset(path, off, fmt.Errorf("tag %q: %w", v.Tag, err))); err != nil {
				return err
			}
			continue
		}
		if !ok {
			s.Skip(1)
			continue
		}
		if err := r.Add(tag.name, ctx, ev.Step, t, x); err != nil {
			return err
		}
	}
	return nil
}
