package index

import "github.com/RoaringBitmap/roaring/v2"

// layer is one level of a [View]: the head or a block. Each answers for
// the (run, field) states it holds; the View decides which layer owns
// each state. Returned bitmaps may be shared with the layer and must not be
// changed; nil is the empty set.
type layer interface {
	// runs returns the live runs the layer holds.
	runs() *roaring.Bitmap
	// dead returns the runs the layer deleted (tombstones).
	dead() *roaring.Bitmap
	// touched returns the runs whose state of f the layer holds: a value,
	// or (attributes, params, tags) a recorded deletion.
	touched(f Field) (*roaring.Bitmap, error)
	// has returns the runs with a value of f in the layer.
	has(f Field) (*roaring.Bitmap, error)
	// domain returns the runs whose value of f lies in d (numbers: not NaN).
	domain(f Field, d domain) (*roaring.Bitmap, error)
	// matchText returns the runs whose value's canonical text matches t.
	matchText(f Field, t *textTest) (*roaring.Bitmap, error)
	// matchNum returns the runs whose numeric value of f matches t.
	matchNum(f Field, t *numTest) (*roaring.Bitmap, error)
	// matchBool returns the runs whose value of f is the bool b.
	matchBool(f Field, b bool) (*roaring.Bitmap, error)
	// values calls fn with the value of f of every run of set that has one
	// in the layer, in increasing ordinal order.
	values(f Field, set *roaring.Bitmap, fn func(ord uint32, v Value)) error
}

// lister is the part of a layer that compaction reads: everything it
// holds, field by field.
type lister interface {
	// fieldList returns the layer's attributes, params and tags, and its
	// series as FieldMetric fields with Stat 0.
	fieldList() ([]Field, error)
	// summaries calls fn with each run's summary of the series f, in
	// increasing ordinal order.
	summaries(f Field, fn func(ord uint32, s Summary)) error
}
