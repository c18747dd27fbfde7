package query

import "github.com/trackdb/trackdb/index"

// Source is what the executor reads through; the engine implements it
// (engine.DB.QuerySource). The query package never imports the engine.
type Source interface {
	// Selector returns a run selector over a consistent view of the
	// store, taken now.
	Selector() (Selector, error)
	// Run returns a run's attributes, params, tags and datasets.
	Run(id string) (Run, error)
	// Series lists a run's series, sorted by metric name and then context.
	Series(runID string) ([]SeriesInfo, error)
	// Points returns the points of a series with minStep <= step <=
	// maxStep, in step order (ties in append order).
	Points(ref uint64, minStep, maxStep int64) (PointIterator, error)
}

// Selector finds runs: an [index.Selector] that also maps run ordinals to
// run IDs ("" for a run deleted since).
type Selector interface {
	index.Selector
	// RunIDs maps run ordinals to run IDs.
	RunIDs(ords []uint32) ([]string, error)
}

// PointIterator iterates over points: Next advances, At returns the
// current point, Err the error that stopped it, Close releases it.
type PointIterator interface {
	// Next advances to the next point and reports whether there is one.
	Next() bool
	// At returns the current point.
	At() Point
	// Err returns the error that ended the iteration, if any.
	Err() error
	// Close releases the iterator.
	Close() error
}

// BatchIterator is an optional interface of a [PointIterator] that saves
// the executor two calls through an interface per point: NextBatch fills
// dst with the next points, up to len(dst), and returns how many; 0 at the
// end, when Err says whether it ended early.
type BatchIterator interface {
	NextBatch(dst []Point) int
}

// Run is a snapshot of a run.
type Run struct {
	ID         string                 // run ID
	Experiment string                 // experiment
	Name       string                 // run name
	Status     string                 // running, finished, failed or killed
	StartTime  int64                  // Unix milliseconds
	EndTime    int64                  // Unix milliseconds; 0 while not ended
	Params     map[string]index.Value // typed params
	Tags       map[string]string      // tags
	Datasets   []Dataset              // input datasets
}

// Dataset is one input dataset of a run, as MLflow records it.
type Dataset struct {
	Name    string // dataset name
	Digest  string // content digest
	Context string // how the run used it, such as "training"
}

// SeriesInfo describes one series of a run.
type SeriesInfo struct {
	Ref       uint64            // the engine's series reference, for Points
	Metric    string            // metric name
	Context   map[string]string // context labels; empty for the default context
	Count     int64             // points stored
	FirstStep int64             // lowest step
	LastStep  int64             // highest step
	Last      float64           // value at the highest step
	Min       float64           // smallest non-NaN value
	Max       float64           // largest non-NaN value
}

// Point is one point of a curve: for an aggregate, Value is the
// statistic at Step and Time is 0.
type Point struct {
	Step  int64   // training step
	Time  int64   // wall time, Unix milliseconds
	Value float64 // value
}
