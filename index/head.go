package index

import (
	"fmt"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// Head is the mutable index of the engine's head: the runs created or
// changed since the last block, with their attributes, params, tags and
// metric summaries. The engine calls its write methods as runs change and
// reads it through a [View].
//
// A Head is safe for concurrent use: writes take an exclusive lock, reads
// (through a View) a shared one; the sorted views that reads build lazily
// have their own locks.
type Head struct {
	mu struct {
		sync.RWMutex
		live     *roaring.Bitmap // runs this layer holds, not deleted
		dead     *roaring.Bitmap // deleted runs (tombstones)
		fields   map[fieldKey]*headField
		seriesID map[seriesKey]SeriesID
		series   []*headSeries
	}
}

// NewHead returns an empty head.
func NewHead() *Head {
	h := &Head{}
	h.mu.live = roaring.New()
	h.mu.dead = roaring.New()
	h.mu.fields = make(map[fieldKey]*headField)
	h.mu.seriesID = make(map[seriesKey]SeriesID)
	return h
}

// AddRun makes ord a live run of this head. Set, Delete and SetSummary add
// their run too, so AddRun is needed only for a run with nothing else
// indexed yet. It returns ErrDeletedRun for a deleted run.
func (h *Head) AddRun(ord uint32) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.addRunLocked(ord)
}

func (h *Head) addRunLocked(ord uint32) error {
	if h.mu.dead.Contains(ord) {
		return fmt.Errorf("%w: ordinal %d", ErrDeletedRun, ord)
	}
	h.mu.live.Add(ord)
	return nil
}

// DeleteRun deletes ord: it drops everything the head holds for it and
// records a tombstone, which hides the run in every older layer of a View
// too. Deleting twice is a no-op. It visits every field and series of the
// head, so it costs time in proportion to them, not to the run's values.
func (h *Head) DeleteRun(ord uint32) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.mu.dead.Contains(ord) {
		return
	}
	h.mu.dead.Add(ord)
	h.mu.live.Remove(ord)
	for _, f := range h.mu.fields {
		f.forget(ord)
	}
	for _, s := range h.mu.series {
		s.remove(ord)
	}
}

// Set makes v the value of field f for run ord: an attribute, a param or a
// tag. A different earlier value is replaced; enforcing that params are set
// once is the engine's business.
func (h *Head) Set(ord uint32, f Field, v Value) error {
	if err := checkField(f); err != nil {
		return err
	}
	if !v.Kind.Valid() {
		return fmt.Errorf("%w: %s: kind %d", ErrInvalidValue, f, v.Kind)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.addRunLocked(ord); err != nil {
		return err
	}
	k := fieldKey{f.Kind, f.Key}
	hf := h.mu.fields[k]
	if hf == nil {
		hf = newHeadField()
		h.mu.fields[k] = hf
	}
	hf.set(ord, v)
	return nil
}

// Delete removes field f from run ord (a deleted tag, a cleared end time).
// The deletion is recorded, so that a value an older layer of a View holds
// for the run is hidden too.
func (h *Head) Delete(ord uint32, f Field) error {
	if err := checkField(f); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.addRunLocked(ord); err != nil {
		return err
	}
	k := fieldKey{f.Kind, f.Key}
	hf := h.mu.fields[k]
	if hf == nil {
		hf = newHeadField()
		h.mu.fields[k] = hf
	}
	hf.clear(ord)
	return nil
}

// Series returns the handle of the series with the given metric name and
// context key ([ContextKey]), creating it on first use.
func (h *Head) Series(metric, ctx string) SeriesID {
	k := seriesKey{metric, ctx}
	h.mu.RLock()
	id, ok := h.mu.seriesID[k]
	h.mu.RUnlock()
	if ok {
		return id
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if id, ok := h.mu.seriesID[k]; ok {
		return id
	}
	id = SeriesID(len(h.mu.series))
	h.mu.series = append(h.mu.series, &headSeries{key: k, has: roaring.New()})
	h.mu.seriesID[k] = id
	return id
}

// SetSummary records the summary of series id for run ord, replacing the
// previous one: the engine calls it after every append that changes the
// series. It costs O(1) amortized: sorted views are rebuilt when read,
// not here.
func (h *Head) SetSummary(ord uint32, id SeriesID, s Summary) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if int(id) >= len(h.mu.series) {
		return fmt.Errorf("%w: series %d", ErrInvalidField, id)
	}
	if err := h.addRunLocked(ord); err != nil {
		return err
	}
	h.mu.series[id].set(ord, s)
	return nil
}

// Len returns the number of live runs the head holds.
func (h *Head) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return int(h.mu.live.GetCardinality())
}

func checkField(f Field) error {
	switch f.Kind {
	case FieldAttr, FieldParam, FieldTag:
		return nil
	case FieldMetric:
		return fmt.Errorf("%w: %s: metric summaries are set with SetSummary", ErrInvalidField, f)
	}
	return fmt.Errorf("%w: kind %d", ErrInvalidField, f.Kind)
}
