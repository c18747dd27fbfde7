package harness

import (
	"time"

	"github.com/trackdb/trackdb/bench/systems"
)

// Results holds everything a benchmark run measured.
type Results struct {
	Config  Config
	Machine Machine
	Start   time.Time
	Elapsed time.Duration
	// Settings are each system's configuration, as it printed them.
	Settings map[string][]string
	// GenRate is the data generator's own speed per workload (points/s):
	// every ingest figure includes generating the data.
	GenRate map[string]float64
	// Notes are observations worth reading next to the numbers:
	// disagreements between systems, recovered point counts, failures.
	Notes []string
	// Failures counts jobs that failed.
	Failures int

	cells   map[cellKey]*cell
	methods map[cellKey]string
}

type cellKey struct {
	Workload, System string
	Figure           systems.Figure
}

// cell is one (workload, system, figure): its values over the
// repetitions, or why it is missing.
type cell struct {
	Values  []float64
	Checks  []string
	Missing string
}

func (r *Results) cell(k cellKey) *cell {
	c := r.cells[k]
	if c == nil {
		c = &cell{}
		r.cells[k] = c
	}
	return c
}

// Figure returns the summary of a figure, or the reason it is missing.
// ok is false when the figure does not apply to the system.
func (r *Results) Figure(workload, system string, fig systems.Figure) (st Stat, missing string, ok bool) {
	def, has := figureOf(workload, fig)
	if !has || (def.Only != "" && def.Only != system) {
		return Stat{}, "", false
	}
	c := r.cells[cellKey{workload, system, fig}]
	switch {
	case c == nil:
		return Stat{}, "not measured", true
	case len(c.Values) == 0:
		if c.Missing == "" {
			return Stat{}, "not measured", true
		}
		return Stat{}, c.Missing, true
	}
	return summarize(c.Values), "", true
}

// Method returns how a system measured a figure, if it said.
func (r *Results) Method(workload, system string, fig systems.Figure) string {
	return r.methods[cellKey{workload, system, fig}]
}

// Ratio returns trackdb's median over peer's, or false when either is
// missing.
func (r *Results) Ratio(workload, peer string, fig systems.Figure) (float64, bool) {
	a, ma, oka := r.Figure(workload, "trackdb", fig)
	b, mb, okb := r.Figure(workload, peer, fig)
	if !oka || !okb || ma != "" || mb != "" || b.Median == 0 {
		return 0, false
	}
	return a.Median / b.Median, true
}

// peers returns the configured systems other than trackdb.
func (r *Results) peers() []string {
	var out []string
	for _, s := range r.Config.Systems {
		if s != "trackdb" {
			out = append(out, s)
		}
	}
	return out
}

func (r *Results) hasSystem(name string) bool {
	for _, s := range r.Config.Systems {
		if s == name {
			return true
		}
	}
	return false
}

// RatioStat returns trackdb ÷ peer: the ratio of the medians, and the
// widest range the repetitions allow (trackdb's min over the peer's max,
// trackdb's max over the peer's min).
func (r *Results) RatioStat(workload, peer string, fig systems.Figure) (Stat, bool) {
	a, ma, oka := r.Figure(workload, "trackdb", fig)
	b, mb, okb := r.Figure(workload, peer, fig)
	if !oka || !okb || ma != "" || mb != "" || b.Median == 0 || b.Min == 0 || b.Max == 0 {
		return Stat{}, false
	}
	return Stat{Median: a.Median / b.Median, Min: a.Min / b.Max, Max: a.Max / b.Min, Reps: min(a.Reps, b.Reps)}, true
}
