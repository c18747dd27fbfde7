package harness

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/trackdb/trackdb/bench/gen"
	"github.com/trackdb/trackdb/bench/systems"
)

// Config says what to benchmark and where to report it. Build one with
// DefaultConfig or QuickConfig and change what differs.
type Config struct {
	// Workloads to run, a subset of Workloads; default all.
	Workloads []string
	// Systems to run, a subset of systems.Names; default all.
	Systems []string
	// Training, Sweep and Long size the three workloads.
	Training, Sweep, Long gen.Spec
	// Reps is how many times each (workload, system) runs; figures are
	// the median of the repetitions. Default 3.
	Reps int
	// RepBudget, if positive, skips the remaining repetitions of a
	// (workload, system) once one of its repetitions took longer: slow
	// peers then report fewer repetitions, and the reports say how many.
	RepBudget time.Duration
	// ReadRuns is how many runs of training have every series read back;
	// default 10.
	ReadRuns int
	// Query is the sweep's three-predicate search.
	Query systems.SearchQuery
	// TopMetric is the metric whose last value orders the top-10.
	TopMetric string
	// DownsamplePoints is the history length the downsample reads (the
	// latest points of the long series), reduced to DownsampleBuckets.
	DownsamplePoints  int64
	DownsampleBuckets int
	// ScratchDir holds the stores while they run; default a new
	// directory under os.TempDir(), removed afterwards.
	ScratchDir string
	// InProcess runs every system in this process instead of a child:
	// for tests; peak RSS is then the harness's, not one system's.
	InProcess bool
	// JSONPath, if set, receives the results as a JSON array.
	JSONPath string
	// MarkdownPath and ChartPath, if set, receive RESULTS.md and the SVG
	// chart of the ratios.
	MarkdownPath, ChartPath string
	// ChartLink is how the markdown refers to the chart; default the
	// chart's file name.
	ChartLink string
	// ProfileDir, if set, receives CPU profiles of trackdb's ingest and
	// read phases (first repetition); RESULTS.md lists their top entries
	// where trackdb misses a target.
	ProfileDir string
	// Command is the exact command line, for RESULTS.md.
	Command string
	// Note is printed with the results (e.g. that the machine is shared).
	Note string
	// Out receives the table; Log receives progress. Nil means discard.
	Out, Log io.Writer `json:"-"`
}

// DefaultConfig returns the full-size benchmark: training 100 runs × 20
// metrics × 5,000 steps; sweep 10,000 runs × 5 metrics × 20 steps, 100
// at a time, 20 params and 5 tags each (the search figures depend on the
// runs, not on their length: raise Sweep.Steps for a heavier store);
// long one series of 10M points.
func DefaultConfig() Config {
	return Config{
		Workloads: slices.Clone(Workloads),
		Systems:   slices.Clone(systems.Names),
		Training:  gen.Spec{Name: Training, Runs: 100, Metrics: 20, Steps: 5000, Params: 10, Tags: 5, Seed: 1},
		Sweep:     gen.Spec{Name: Sweep, Runs: 10000, Metrics: 5, Steps: 20, Concurrent: 100, Params: 20, Tags: 5, Seed: 2},
		Long:      gen.Spec{Name: Long, Runs: 1, Metrics: 1, Steps: 10_000_000, Batch: 1000, Seed: 3},
		Reps:      3,
		ReadRuns:  10,
		Query: systems.SearchQuery{
			ParamKey: "optimizer", ParamValue: "adam",
			TagKey: "dataset", TagValue: "cifar10",
			Metric: "acc", Above: 0.8,
		},
		TopMetric:         "acc",
		DownsamplePoints:  1_000_000,
		DownsampleBuckets: 1000,
	}
}

// QuickConfig returns a small run of every workload that finishes in
// well under two minutes.
func QuickConfig() Config {
	c := DefaultConfig()
	c.Training.Runs, c.Training.Steps = 10, 500
	c.Sweep.Runs, c.Sweep.Concurrent = 500, 50
	c.Long.Steps = 200_000
	c.DownsamplePoints = 100_000
	return c
}

// Scale multiplies the workloads' sizes by f: training and sweep runs,
// and the long series' length (the downsample window follows it).
func (c *Config) Scale(f float64) {
	scale := func(n int) int { return max(1, int(math.Round(float64(n)*f))) }
	c.Training.Runs = scale(c.Training.Runs)
	c.Sweep.Runs = scale(c.Sweep.Runs)
	c.Sweep.Concurrent = min(c.Sweep.Concurrent, c.Sweep.Runs)
	c.Long.Steps = max(1000, int64(math.Round(float64(c.Long.Steps)*f)))
	c.DownsamplePoints = min(c.DownsamplePoints, c.Long.Steps)
	c.ReadRuns = min(c.ReadRuns, c.Training.Runs)
}

// spec returns the spec of a workload.
func (c *Config) spec(workload string) (gen.Spec, error) {
	switch workload {
	case Training:
		return c.Training, nil
	case Sweep:
		return c.Sweep, nil
	case Long:
		return c.Long, nil
	}
	return gen.Spec{}, fmt.Errorf("harness: unknown workload %q (have %v)", workload, Workloads)
}

// Validate reports what is wrong with c.
func (c *Config) Validate() error {
	if c.Reps < 1 {
		return fmt.Errorf("harness: reps %d, need at least 1", c.Reps)
	}
	if len(c.Workloads) == 0 || len(c.Systems) == 0 {
		return fmt.Errorf("harness: nothing to run (workloads %v, systems %v)", c.Workloads, c.Systems)
	}
	for _, w := range c.Workloads {
		s, err := c.spec(w)
		if err != nil {
			return err
		}
		if err := s.Validate(); err != nil {
			return err
		}
	}
	for _, s := range c.Systems {
		if _, err := systems.New(s); err != nil {
			return err
		}
	}
	if c.ReadRuns < 1 || c.DownsampleBuckets < 1 || c.DownsamplePoints < 1 {
		return fmt.Errorf("harness: read runs, downsample points and buckets must be positive")
	}
	return nil
}
