package engine

// RunSpec describes a run to create.
type RunSpec struct {
	// ID is the run's ID; empty means generate one (32 hex digits, as
	// MLflow's run IDs).
	ID string
	// Experiment groups runs; empty is allowed.
	Experiment string
	// Name is a human-readable run name; empty is allowed.
	Name string
	// Status defaults to StatusRunning.
	Status Status
	// StartTime is Unix milliseconds; 0 means now.
	StartTime int64
	// EndTime is Unix milliseconds; 0 means not ended. A terminal Status
	// with EndTime 0 takes the start time's clock: now.
	EndTime int64
	// Params are typed hyperparameters; nested maps are flattened with dots.
	Params map[string]any
	// Tags are mutable string labels.
	Tags map[string]string
	// Datasets are the run's inputs, as MLflow's log_input records them.
	Datasets []Dataset
}

// Dataset is one input of a run: a named dataset, the digest of its
// content, and how the run used it ("training", "eval"). A run holds a
// dataset once: the same name, digest and context again is a no-op.
type Dataset struct {
	Name    string // required
	Digest  string // optional
	Context string // optional
}

// RunUpdate changes a run; DB.UpdateRun stores all of it in one record or
// none of it. Nil and empty fields are left alone.
type RunUpdate struct {
	Experiment *string
	Name       *string
	Status     *Status
	StartTime  *int64 // Unix milliseconds
	EndTime    *int64 // Unix milliseconds; 0 clears it
	// Params are added; nested maps are flattened with dots. A param that
	// is already set must have the same value (ErrParamConflict).
	Params map[string]any
	// Tags are set; the latest value wins.
	Tags map[string]string
	// DeleteTags are removed after Tags are set; missing keys are ignored.
	DeleteTags []string
	// Datasets are added to the run's inputs; ones it holds already are
	// ignored.
	Datasets []Dataset
}

// RunInfo is a snapshot of a run. Its maps are copies the caller owns.
type RunInfo struct {
	ID         string
	Experiment string
	Name       string
	Status     Status
	StartTime  int64 // Unix milliseconds
	EndTime    int64 // Unix milliseconds; 0 while not ended
	Params     map[string]Value
	Tags       map[string]string
	Datasets   []Dataset // in the order they were added
}
