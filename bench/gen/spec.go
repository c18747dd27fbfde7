package gen

import "fmt"

// Spec sizes a workload. The zero value of a field is invalid unless its
// comment says otherwise.
type Spec struct {
	// Name is the workload's name: training, sweep or long.
	Name string
	// Runs is the number of runs.
	Runs int
	// Metrics is the number of metrics every run logs at every step.
	Metrics int
	// Steps is the number of steps every run logs.
	Steps int64
	// Concurrent is how many runs log at the same time, interleaved step by
	// step; the next group starts when a group ends. 0 means all runs.
	Concurrent int
	// Batch is how many calls a system may group into one commit: 1 for a
	// training loop (one commit per logged step), more for a bulk import.
	// 0 means 1.
	Batch int
	// Params is the number of typed params of each run, at most 20.
	Params int
	// Tags is the number of tags of each run, at most 5.
	Tags int
	// Seed makes the data; the same Spec makes the same data.
	Seed uint64
}

// Points returns the number of points the workload logs.
func (s Spec) Points() int64 { return int64(s.Runs) * int64(s.Metrics) * s.Steps }

// Calls returns the number of logged calls (one per run per step).
func (s Spec) Calls() int64 { return int64(s.Runs) * s.Steps }

// batch returns Batch with its default.
func (s Spec) batch() int { return max(s.Batch, 1) }

// concurrent returns Concurrent with its default.
func (s Spec) concurrent() int {
	if s.Concurrent <= 0 || s.Concurrent > s.Runs {
		return s.Runs
	}
	return s.Concurrent
}

// Validate reports what is wrong with s, if anything.
func (s Spec) Validate() error {
	switch {
	case s.Name == "":
		return fmt.Errorf("gen: workload without a name")
	case s.Runs < 1 || s.Metrics < 1 || s.Steps < 1:
		return fmt.Errorf("gen: %s: runs, metrics and steps must be positive (%d, %d, %d)", s.Name, s.Runs, s.Metrics, s.Steps)
	case s.Params < 0 || s.Params > len(paramGens):
		return fmt.Errorf("gen: %s: params %d outside [0, %d]", s.Name, s.Params, len(paramGens))
	case s.Tags < 0 || s.Tags > len(tagGens):
		return fmt.Errorf("gen: %s: tags %d outside [0, %d]", s.Name, s.Tags, len(tagGens))
	}
	return nil
}

// String describes the size, as "100 runs × 20 metrics × 5000 steps".
func (s Spec) String() string {
	out := fmt.Sprintf("%d runs × %d metrics × %d steps", s.Runs, s.Metrics, s.Steps)
	if c := s.concurrent(); c < s.Runs {
		out += fmt.Sprintf(", %d at a time", c)
	}
	if b := s.batch(); b > 1 {
		out += fmt.Sprintf(", %d calls per commit", b)
	}
	return out
}
