package main

import (
	"errors"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/jsonlines"
	"github.com/trackdb/trackdb/internal/jsonl"
)

// applier turns parsed lines into engine calls. It remembers which runs it
// has seen, so that a point line costs one map lookup and one db.Log.
type applier struct {
	db    *engine.DB
	known map[string]bool // run IDs known to exist in the store

	// Counts for the summary.
	created, updated, points, datasets int64
}

func newApplier(db *engine.DB) *applier {
	return &applier{db: db, known: map[string]bool{}}
}

// apply applies one parsed line.
func (a *applier) apply(l *jsonl.Line) error {
	if l.Kind == jsonl.KindPoints {
		return a.logPoints(l)
	}
	return a.applyRun(l)
}

// exists reports whether the run is in the store, asking the engine only
// the first time.
func (a *applier) exists(id string) (bool, error) {
	if a.known[id] {
		return true, nil
	}
	_, err := a.db.Run(id)
	switch {
	case err == nil:
		a.known[id] = true
		return true, nil
	case errors.Is(err, engine.ErrRunNotFound):
		return false, nil
	}
	return false, err
}

// logPoints logs a metrics line, creating its run first when the store has
// never heard of it.
func (a *applier) logPoints(l *jsonl.Line) error {
	ok, err := a.exists(l.Run)
	if err != nil {
		return err
	}
	if !ok {
		// Check the names before creating the run, so that a line the
		// engine will refuse does not leave an empty run behind.
		for name := range l.Metrics {
			if err := engine.ValidateMetricName(name); err != nil {
				return err
			}
		}
		if err := engine.ValidateContext(engine.Context(l.Context)); err != nil {
			return err
		}
		// A run first seen through its points started, as far as anyone
		// knows, at its first point, not at the moment of the import.
		if _, err := a.db.CreateRun(engine.RunSpec{ID: l.Run, StartTime: l.Time}); err != nil {
			return err
		}
		a.known[l.Run] = true
		a.created++
	}
	if err := a.db.Log(l.Run, l.Step, l.Time, l.Metrics, engine.Context(l.Context)); err != nil {
		return err
	}
	a.points += int64(len(l.Metrics))
	return nil
}

// applyRun creates the run of a run line, or updates it.
func (a *applier) applyRun(l *jsonl.Line) error {
	spec, u, err := jsonlines.RunChange(l)
	if err != nil {
		return err
	}
	a.datasets += int64(len(l.Datasets))
	ok, err := a.exists(l.Run)
	if err != nil {
		return err
	}
	if !ok {
		if _, err := a.db.CreateRun(spec); err != nil {
			return err
		}
		a.known[l.Run] = true
		a.created++
		return nil
	}
	// One UpdateRun per line: the engine stores all of it in one record
	// or, when any part is refused, none of it.
	if err := a.db.UpdateRun(l.Run, u); err != nil {
		return err // the engine's error names the run
	}
	a.updated++
	return nil
}
