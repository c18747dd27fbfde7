package jsonl

// Kind says what a line does.
type Kind uint8

// Line kinds.
const (
	// KindRun creates or updates a run: any line without "metrics" (or
	// "metric" and "value").
	KindRun Kind = iota + 1
	// KindPoints logs points: a line with "metrics", or with "metric" and
	// "value" as dump writes it.
	KindPoints
)

// String returns "run" or "points".
func (k Kind) String() string {
	switch k {
	case KindRun:
		return "run"
	case KindPoints:
		return "points"
	}
	return "invalid"
}

// Field is a set of optional fields, recording which keys a line carried.
// It is how an update tells "not given" from "given as the zero value".
type Field uint16

// Optional fields. "run" is always present; "metrics" decides the Kind.
const (
	FieldExperiment Field = 1 << iota // "experiment"
	FieldName                         // "name"
	FieldStatus                       // "status"
	FieldStartTime                    // "start_time"
	FieldEndTime                      // "end_time"
	FieldParams                       // "params"
	FieldTags                         // "tags"
	FieldDatasets                     // "datasets"
	FieldTime                         // "time"; when absent Line.Time holds Parser.Now
	FieldContext                      // "context"
)

// Dataset is one dataset a run used, as MLflow records a run's inputs.
type Dataset struct {
	// Name of the dataset; required.
	Name string
	// Digest identifies the dataset's content; optional.
	Digest string
	// Context says how the run used it, such as "training"; optional.
	Context string
}

// Line is one parsed line. Parse reuses a Line's maps and slices from call
// to call, so a caller that keeps any of them past the next Parse into the
// same Line must copy it.
type Line struct {
	// Kind says whether the line logs points or describes a run.
	Kind Kind
	// Fields holds the optional fields present on the line. A field given
	// as null counts as absent.
	Fields Field
	// Run is the run ID; never empty.
	Run string

	// Run lines.

	// Experiment and Name are the run's attributes.
	Experiment, Name string
	// Status is "running", "finished", "failed" or "killed", lower-cased
	// from whatever case the line used.
	Status string
	// StartTime and EndTime are Unix milliseconds.
	StartTime, EndTime int64
	// Params are typed: int64 for JSON integers, float64 for other numbers
	// (and the bare NaN/Infinity tokens), string, bool, and map[string]any
	// for nested objects, which the engine flattens with dots.
	Params map[string]any
	// Tags map keys to string values.
	Tags map[string]string
	// Datasets are the run's inputs, in line order.
	Datasets []Dataset

	// Points lines.

	// Step is the training step of every point on the line.
	Step int64
	// Time is the wall time of every point, Unix milliseconds: the line's
	// "time", or Parser.Now when the line has none.
	Time int64
	// Context holds the series' context labels; empty for the default
	// context.
	Context map[string]string
	// Metrics maps metric names to values, bit-exact as parsed.
	Metrics map[string]float64
}

// Has reports whether every field in f was present on the line.
func (l *Line) Has(f Field) bool { return l.Fields&f == f }

// reset empties l for the next line, keeping the memory of its maps.
// Params are the exception: they hold nested maps a caller may have kept,
// and run lines are too rare for the reuse to matter.
func (l *Line) reset() {
	tags, ctx, metrics, ds := l.Tags, l.Context, l.Metrics, l.Datasets
	clear(tags)
	clear(ctx)
	clear(metrics)
	*l = Line{Tags: tags, Context: ctx, Metrics: metrics, Datasets: ds[:0]}
}
