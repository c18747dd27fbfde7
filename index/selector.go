package index

import "github.com/RoaringBitmap/roaring/v2"

// Selector finds runs by ordinal. The query package plans a run search
// into a [Predicate] and [SortKey]s and calls a Selector; the engine
// implements it, normally by handing out a [View] over its head and blocks,
// and maps the ordinals back to run IDs. [View] is the implementation in
// this package.
type Selector interface {
	// Select returns the live runs that p matches as a new bitmap the
	// caller owns. A nil p selects every live run. Errors are
	// ErrInvalidPredicate for a condition that cannot be evaluated and
	// *CorruptionError for damaged block bytes.
	Select(p Predicate) (*roaring.Bitmap, error)

	// Sort orders the live runs of runs by keys, skips offset of them and
	// returns at most limit (all when limit < 0). Ties are broken by
	// ordinal, so the order is total and pages are stable.
	Sort(runs *roaring.Bitmap, keys []SortKey, offset, limit int) ([]uint32, error)
}

// SortKey is one key of an ORDER BY. Numbers (ints and floats compared
// exactly) sort before strings (byte order), strings before bools (false
// before true); Desc reverses that. NaN and runs without the field sort
// last in both directions, NaN before missing, as MLflow orders them.
type SortKey struct {
	Field Field // the attribute, param, tag or metric statistic
	Desc  bool  // descending
}
