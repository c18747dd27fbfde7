package sink

import (
	"errors"
	"fmt"

	"github.com/trackdb/trackdb/engine"
)

// batchSize is how many samples the sink buffers before one engine.Append.
const batchSize = 32 << 10

// Stats counts what an import did.
type Stats struct {
	// RunsCreated are runs new to the store.
	RunsCreated int
	// RunsUpdated are runs already in the store whose source changed.
	RunsUpdated int
	// RunsUnchanged are runs whose source had not changed: nothing written.
	RunsUnchanged int
	// Points are points appended.
	Points int64
	// Duplicates are points of a changed source that were already stored.
	Duplicates int64
	// Skipped are source records, events, values or lines not imported
	// (non-scalar summaries, bad records, deleted runs).
	Skipped int64
	// Warnings are the problems passed to Warn.
	Warnings int
}

// Sink writes imported runs into a store. It is not safe for concurrent
// use.
type Sink struct {
	db     *engine.DB
	strict bool
	warn   func(error)
	buf    []engine.Sample
	stats  Stats
}

// New returns a sink writing to db. warn, if not nil, receives every
// warning; with strict, the first warning also stops the import.
func New(db *engine.DB, strict bool, warn func(error)) *Sink {
	return &Sink{db: db, strict: strict, warn: warn, buf: make([]engine.Sample, 0, batchSize)}
}

// DB returns the store the sink writes to.
func (s *Sink) DB() *engine.DB { return s.db }

// Stats returns the counts so far.
func (s *Sink) Stats() Stats { return s.stats }

// Warn records a problem that loses part of a source. It returns nil, so
// the importer goes on, except in strict mode, where it returns the
// problem wrapped in ErrStrict.
func (s *Sink) Warn(err error) error {
	s.stats.Warnings++
	if s.warn != nil {
		s.warn(err)
	}
	if s.strict {
		return fmt.Errorf("%w: %w", ErrStrict, err)
	}
	return nil
}

// Skip counts n source items that are not imported on purpose (such as
// histogram summaries) and are not problems.
func (s *Sink) Skip(n int) { s.stats.Skipped += int64(n) }

// Flush appends the buffered points.
func (s *Sink) Flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	err := s.db.Append(s.buf)
	s.buf = s.buf[:0]
	return err
}

// Source identifies what a run is imported from.
type Source struct {
	// Format is the importer's name, such as "tfevents".
	Format string
	// Path is the absolute path of the run's source (a directory or file).
	Path string
	// Digest is Fingerprint of the files the run is read from.
	Digest string
}

// Begin starts importing a run. A run not in the store is created from
// spec, with the source tag. A run already imported from an unchanged
// source is returned with Unchanged true and ignores everything after. A
// run whose source changed is updated from spec (a param that conflicts
// with the stored one is a warning, not an error) and its points are
// deduplicated against the stored ones.
func (s *Sink) Begin(src Source, spec engine.RunSpec) (*Run, error) {
	r := &Run{sink: s, id: spec.ID, src: src, series: map[string]*series{}}
	info, err := s.db.Run(spec.ID)
	switch {
	case errors.Is(err, engine.ErrRunNotFound):
		spec.Tags = withTag(spec.Tags, TagSource, src.Format+":"+src.Path)
		if _, err := s.db.CreateRun(spec); err != nil {
			return nil, err
		}
		s.stats.RunsCreated++
		return r, nil
	case err != nil:
		return nil, err
	}
	if info.Tags[TagDigest] == src.Digest && src.Digest != "" {
		r.unchanged = true
		s.stats.RunsUnchanged++
		return r, nil
	}
	r.dedupe = true
	s.stats.RunsUpdated++
	u := engine.RunUpdate{Params: spec.Params, Tags: withTag(spec.Tags, TagSource, src.Format+":"+src.Path), Datasets: spec.Datasets}
	if spec.Experiment != "" {
		u.Experiment = &spec.Experiment
	}
	if spec.Name != "" {
		u.Name = &spec.Name
	}
	if spec.Status.Valid() {
		u.Status = &spec.Status
		u.EndTime = &spec.EndTime
	}
	if spec.StartTime != 0 {
		u.StartTime = &spec.StartTime
	}
	if err := r.Update(u); err != nil {
		return nil, err
	}
	return r, nil
}

func withTag(tags map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(tags)+1)
	for tk, tv := range tags {
		out[tk] = tv
	}
	out[k] = v
	return out
}
