package harness

import (
	"github.com/trackdb/trackdb/bench/systems"
)

// Job is one (workload, system, repetition): what a child process runs.
type Job struct {
	Workload string `json:"workload"`
	System   string `json:"system"`
	Rep      int    `json:"rep"`
	Config   Config `json:"config"`
	// Dir is the job's scratch directory; it is removed afterwards.
	Dir string `json:"dir"`
}

// Sample is one measured value of a figure.
type Sample struct {
	Figure systems.Figure `json:"figure"`
	Value  float64        `json:"value"`
	// Check identifies what the measured operation returned (a digest of
	// the points, the IDs found); systems that agree have equal checks.
	Check string `json:"check,omitempty"`
}

// JobResult is what a job measured.
type JobResult struct {
	Workload string                    `json:"workload"`
	System   string                    `json:"system"`
	Rep      int                       `json:"rep"`
	Settings []string                  `json:"settings"`
	Samples  []Sample                  `json:"samples"`
	Missing  map[systems.Figure]string `json:"missing,omitempty"`
	Methods  map[systems.Figure]string `json:"methods,omitempty"`
	Notes    []string                  `json:"notes,omitempty"`
	Err      string                    `json:"error,omitempty"`
}

func (r *JobResult) add(fig systems.Figure, v float64, check string) {
	r.Samples = append(r.Samples, Sample{Figure: fig, Value: v, Check: check})
}

func (r *JobResult) method(fig systems.Figure, m string) {
	if r.Methods == nil {
		r.Methods = map[systems.Figure]string{}
	}
	r.Methods[fig] = m
}

func (r *JobResult) missing(fig systems.Figure, why string) {
	if r.Missing == nil {
		r.Missing = map[systems.Figure]string{}
	}
	r.Missing[fig] = why
}
