package engine

import (
	"errors"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/trackdb/trackdb/index"
)

// RunSelector answers run searches from the run index over the whole
// store — blocks, a flush in progress and the head — as of the moment
// DB.RunSelector was called. It implements index.Selector, the interface
// the query package plans against, and maps the run ordinals it returns to
// run IDs. Run ordinals are stable for the life of the store.
type RunSelector struct {
	db   *DB
	view *index.View
}

var _ index.Selector = (*RunSelector)(nil)

// RunSelector returns a selector over the store's run index. It is cheap;
// take one per query. Later writes to runs already in the head may show
// through (the head index is shared), later flushes do not.
func (db *DB) RunSelector() (*RunSelector, error) {
	db.mu.Lock()
	if db.mu.closed {
		db.mu.Unlock()
		return nil, ErrClosed
	}
	// Push the summaries appends changed since the last search.
	db.mu.head.syncSummaries()
	layers := make([]*index.Block, 0, len(db.mu.blocks))
	for _, b := range db.mu.blocks {
		layers = append(layers, b.postings)
	}
	var frozen *index.Head
	if f := db.mu.frozen; f != nil {
		frozen = f.ix
	}
	view := index.NewViewWithFrozen(db.mu.head.ix, frozen, layers...)
	db.mu.Unlock()
	return &RunSelector{db: db, view: view}, nil
}

// Select returns the ordinals of the live runs matching p (nil matches all).
func (s *RunSelector) Select(p index.Predicate) (*roaring.Bitmap, error) {
	b, err := s.view.Select(p)
	return b, indexErr(err)
}

// Sort orders runs by keys and returns the ordinals from offset, at most
// limit of them (limit < 0: all). NaN and missing values sort last.
func (s *RunSelector) Sort(runs *roaring.Bitmap, keys []index.SortKey, offset, limit int) ([]uint32, error) {
	ords, err := s.view.Sort(runs, keys, offset, limit)
	return ords, indexErr(err)
}

// indexErr makes damage the index finds in a block's postings an engine
// ErrCorrupt as well.
func indexErr(err error) error {
	if err != nil && errors.Is(err, index.ErrCorrupt) {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}

// RunIDs maps ordinals to run IDs; an ordinal of a run deleted since
// maps to "".
func (s *RunSelector) RunIDs(ords []uint32) ([]string, error) {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	if s.db.mu.closed {
		return nil, ErrClosed
	}
	out := make([]string, len(ords))
	for i, o := range ords {
		if int(o) < len(s.db.mu.head.runs) {
			if r := s.db.mu.head.runs[o]; r != nil && !r.deleted {
				out[i] = r.id
			}
		}
	}
	return out, nil
}

// SearchRuns is the one-call form: the IDs of the runs matching p, ordered
// by keys (run ordinal when none), from offset, at most limit (<= 0: all).
func (db *DB) SearchRuns(p index.Predicate, keys []index.SortKey, offset, limit int) ([]string, error) {
	sel, err := db.RunSelector()
	if err != nil {
		return nil, err
	}
	runs, err := sel.Select(p)
	if err != nil {
		return nil, fmt.Errorf("search runs: %w", err)
	}
	if limit <= 0 {
		limit = -1
	}
	ords, err := sel.Sort(runs, keys, offset, limit)
	if err != nil {
		return nil, fmt.Errorf("search runs: %w", err)
	}
	return sel.RunIDs(ords)
}
