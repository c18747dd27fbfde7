package engine

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"
)

// CreateRun creates a run and returns its ID. With spec.ID empty an ID is
// generated. Params and tags given here are stored in the same WAL record
// as the run, so a crash never leaves a run without them.
func (db *DB) CreateRun(spec RunSpec) (string, error) {
	rec := &runCreateRec{
		id: spec.ID, experiment: spec.Experiment, name: spec.Name,
		status: spec.Status, start: spec.StartTime, end: spec.EndTime,
	}
	if rec.id != "" {
		if err := ValidateRunID(rec.id); err != nil {
			return "", err
		}
	}
	if err := validateAttribute("experiment", rec.experiment); err != nil {
		return "", err
	}
	if err := validateAttribute("name", rec.name); err != nil {
		return "", err
	}
	if rec.status == 0 {
		rec.status = StatusRunning
	}
	if !rec.status.Valid() {
		return "", fmt.Errorf("%w: %d", ErrInvalidStatus, rec.status)
	}
	now := time.Now().UnixMilli()
	if rec.start == 0 {
		rec.start = now
	}
	if rec.status.Terminal() && rec.end == 0 {
		rec.end = now
	}
	var err error
	if rec.params, err = FlattenParams(spec.Params); err != nil {
		return "", err
	}
	if len(rec.params) > MaxParamsPerRun {
		return "", fmt.Errorf("%w: %d params, at most %d", ErrLimit, len(rec.params), MaxParamsPerRun)
	}
	if rec.tags, err = sortedTags(spec.Tags); err != nil {
		return "", err
	}
	if rec.datasets, err = newDatasets(nil, spec.Datasets); err != nil {
		return "", err
	}
	if len(rec.datasets) > MaxDatasetsPerRun {
		return "", fmt.Errorf("%w: %d datasets, at most %d", ErrLimit, len(rec.datasets), MaxDatasetsPerRun)
	}
	if len(rec.tags) > MaxTagsPerRun {
		return "", fmt.Errorf("%w: %d tags, at most %d", ErrLimit, len(rec.tags), MaxTagsPerRun)
	}

	db.mu.Lock()
	seq, err := db.createRunLocked(rec)
	db.mu.Unlock()
	if err != nil {
		return "", err
	}
	return rec.id, db.wal.Commit(seq)
}

func (db *DB) createRunLocked(rec *runCreateRec) (uint64, error) {
	if db.mu.closed {
		return 0, ErrClosed
	}
	h := db.mu.head
	if rec.id == "" {
		for rec.id == "" || h.byID[rec.id] != nil {
			rec.id = newRunID()
		}
	} else if h.byID[rec.id] != nil {
		return 0, fmt.Errorf("%w: %q", ErrRunExists, rec.id)
	}
	rec.ref = uint32(len(h.runs))
	encodeRunCreate(&db.mu.enc, rec)
	seq, err := db.wal.Write(recRunCreate, db.mu.enc.B)
	if err != nil {
		return 0, fmt.Errorf("create run %q: %w", rec.id, err)
	}
	h.applyRunCreate(rec)
	return seq, nil
}

func newRunID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

func sortedTags(tags map[string]string) ([][2]string, error) {
	out := make([][2]string, 0, len(tags))
	for k, v := range tags {
		if err := ValidateTag(k, v); err != nil {
			return nil, err
		}
		out = append(out, [2]string{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// UpdateRun changes a run's attributes, params and tags in one WAL record:
// either all of u is stored or, on any error, none of it. Nil fields stay as
// they are. Params already set to the same value are no-ops; a different
// value fails the call with ErrParamConflict. Tags in u.Tags are set, then
// u.DeleteTags removed.
func (db *DB) UpdateRun(runID string, u RunUpdate) error {
	if err := db.updateRun(runID, u); err != nil {
		return fmt.Errorf("run %q: %w", runID, err)
	}
	return nil
}

func (db *DB) updateRun(runID string, u RunUpdate) error {
	rec := &runUpdateRec{}
	if u.Experiment != nil {
		if err := validateAttribute("experiment", *u.Experiment); err != nil {
			return err
		}
		rec.mask |= updExperiment
		rec.experiment = *u.Experiment
	}
	if u.Name != nil {
		if err := validateAttribute("name", *u.Name); err != nil {
			return err
		}
		rec.mask |= updName
		rec.name = *u.Name
	}
	if u.Status != nil {
		if !u.Status.Valid() {
			return fmt.Errorf("%w: %d", ErrInvalidStatus, *u.Status)
		}
		rec.mask |= updStatus
		rec.status = *u.Status
	}
	if u.StartTime != nil {
		rec.mask |= updStart
		rec.start = *u.StartTime
	}
	if u.EndTime != nil {
		rec.mask |= updEnd
		rec.end = *u.EndTime
	}
	var err error
	if rec.params, err = FlattenParams(u.Params); err != nil {
		return err
	}
	if rec.tags, err = sortedTags(u.Tags); err != nil {
		return err
	}
	rec.delTags = u.DeleteTags
	for _, d := range u.Datasets {
		if err := ValidateDataset(d); err != nil {
			return err
		}
	}
	rec.datasets = u.Datasets
	if rec.mask == 0 && len(rec.params) == 0 && len(rec.tags) == 0 && len(rec.delTags) == 0 && len(rec.datasets) == 0 {
		return nil
	}
	db.mu.Lock()
	seq, wrote, err := db.updateRunLocked(runID, rec)
	db.mu.Unlock()
	if err != nil || !wrote {
		return err
	}
	return db.wal.Commit(seq)
}

// updateRunLocked checks params and limits against the run, then logs and
// applies the update. wrote is false when nothing was left to change.
func (db *DB) updateRunLocked(runID string, rec *runUpdateRec) (seq uint64, wrote bool, err error) {
	run, err := db.runLocked(runID)
	if err != nil {
		return 0, false, err
	}
	fresh := rec.params[:0:0]
	for _, p := range rec.params {
		old, ok := run.params[p.Key]
		if !ok {
			fresh = append(fresh, p)
			continue
		}
		if !old.Equal(p.Value) {
			return 0, false, fmt.Errorf("%w: param %q is %s %s, not %s %s", ErrParamConflict,
				p.Key, old.Type, old, p.Value.Type, p.Value)
		}
	}
	rec.params = fresh
	if len(run.params)+len(fresh) > MaxParamsPerRun {
		return 0, false, fmt.Errorf("%w: more than %d params", ErrLimit, MaxParamsPerRun)
	}
	added := 0
	for _, kv := range rec.tags {
		if _, ok := run.tags[kv[0]]; !ok {
			added++
		}
	}
	if len(run.tags)+added > MaxTagsPerRun {
		return 0, false, fmt.Errorf("%w: more than %d tags", ErrLimit, MaxTagsPerRun)
	}
	if len(rec.params) > 0 {
		rec.mask |= updParams
	}
	if len(rec.tags) > 0 || len(rec.delTags) > 0 {
		rec.mask |= updTags
	}
	if rec.datasets, err = newDatasets(run.datasets, rec.datasets); err != nil {
		return 0, false, err
	}
	if len(run.datasets)+len(rec.datasets) > MaxDatasetsPerRun {
		return 0, false, fmt.Errorf("%w: more than %d datasets", ErrLimit, MaxDatasetsPerRun)
	}
	if len(rec.datasets) > 0 {
		rec.mask |= updDatasets
	}
	if rec.mask == 0 {
		return 0, false, nil
	}
	rec.ref = run.ref
	encodeRunUpdate(&db.mu.enc, rec)
	if seq, err = db.wal.Write(recRunUpdate, db.mu.enc.B); err != nil {
		return 0, false, err
	}
	db.mu.head.applyRunUpdate(run, rec)
	return seq, true, nil
}

// SetStatus sets a run's status. A terminal status records endTime (Unix
// ms; 0 means now); running clears the end time.
func (db *DB) SetStatus(runID string, status Status, endTime int64) error {
	if !status.Valid() {
		return fmt.Errorf("%w: %d", ErrInvalidStatus, status)
	}
	if !status.Terminal() {
		endTime = 0
	} else if endTime == 0 {
		endTime = time.Now().UnixMilli()
	}
	return db.UpdateRun(runID, RunUpdate{Status: &status, EndTime: &endTime})
}

// runLocked finds a run; the caller holds db.mu.
func (db *DB) runLocked(runID string) (*runState, error) {
	if db.mu.closed {
		return nil, ErrClosed
	}
	run := db.mu.head.byID[runID]
	if run == nil {
		return nil, fmt.Errorf("%w: %q", ErrRunNotFound, runID)
	}
	return run, nil
}

// SetParams sets typed params; nested maps are flattened with dots. A param
// set again to the same value is a no-op; to a different value (another
// type counts) it fails the whole call with ErrParamConflict, storing none.
func (db *DB) SetParams(runID string, params map[string]any) error {
	return db.UpdateRun(runID, RunUpdate{Params: params})
}

// SetTags sets tags; the latest value of a key wins.
func (db *DB) SetTags(runID string, tags map[string]string) error {
	return db.UpdateRun(runID, RunUpdate{Tags: tags})
}

// DeleteTags removes tags; keys that are not set are ignored.
func (db *DB) DeleteTags(runID string, keys ...string) error {
	return db.UpdateRun(runID, RunUpdate{DeleteTags: keys})
}

// DeleteRun deletes a run: it disappears from every read at once, and its
// points and catalogue entry are dropped from disk by the next compaction.
// Its ID can be used again for a new run.
func (db *DB) DeleteRun(runID string) error {
	db.mu.Lock()
	seq, err := func() (uint64, error) {
		run, err := db.runLocked(runID)
		if err != nil {
			return 0, err
		}
		db.mu.enc.Reset()
		db.mu.enc.PutUvarint(uint64(run.ref))
		seq, err := db.wal.Write(recRunDelete, db.mu.enc.B)
		if err != nil {
			return 0, fmt.Errorf("delete run %q: %w", runID, err)
		}
		db.mu.head.applyRunDelete(run)
		return seq, nil
	}()
	db.mu.Unlock()
	if err != nil {
		return err
	}
	return db.wal.Commit(seq)
}

// applyRetention deletes runs that ended longer ago than
// Options.RetainFinished.
func (db *DB) applyRetention() error {
	if db.opts.RetainFinished <= 0 {
		return nil
	}
	cutoff := time.Now().Add(-db.opts.RetainFinished).UnixMilli()
	db.mu.RLock()
	var expired []string
	for _, r := range db.mu.head.runs {
		if r != nil && !r.deleted && r.status.Terminal() && r.end != 0 && r.end < cutoff {
			expired = append(expired, r.id)
		}
	}
	db.mu.RUnlock()
	for _, id := range expired {
		if err := db.DeleteRun(id); err != nil && !errors.Is(err, ErrRunNotFound) {
			return err
		}
	}
	return nil
}
