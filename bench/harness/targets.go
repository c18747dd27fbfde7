package harness

import (
	"fmt"

	"github.com/trackdb/trackdb/bench/systems"
)

// target is one of issue 6's goals for trackdb on the training workload.
type target struct {
	Text   string
	Peer   string
	Figure systems.Figure
	// Want is the bound on trackdb ÷ peer: at least Want when AtLeast,
	// at most Want otherwise.
	Want    float64
	AtLeast bool
	// Phase names the CPU profile that explains a miss.
	Phase string
}

var targets = []target{
	{Text: "ingest ≥ 3× Prometheus TSDB", Peer: "prometheus", Figure: systems.FigIngest, Want: 3, AtLeast: true, Phase: "ingest"},
	{Text: "ingest ≥ 200× SQLite-MLflow", Peer: "sqlite", Figure: systems.FigIngest, Want: 200, AtLeast: true, Phase: "ingest"},
	{Text: "bytes per point after compaction ≤ 0.9× Prometheus blocks", Peer: "prometheus", Figure: systems.FigDiskCompact, Want: 0.9},
	{Text: "reads ≥ 2× Prometheus TSDB", Peer: "prometheus", Figure: systems.FigRead, Want: 2, AtLeast: true, Phase: "read"},
}

// verdict is a target's outcome.
type verdict struct {
	target
	Ratio    float64
	Measured bool
	Met      bool
	Why      string // when not measured
}

// verdicts judges the targets on the training results.
func (r *Results) verdicts() []verdict {
	var out []verdict
	for _, t := range targets {
		v := verdict{target: t}
		if !r.hasSystem("trackdb") || !r.hasSystem(t.Peer) {
			v.Why = "not run"
		} else if _, missing, _ := r.Figure(Training, "trackdb", t.Figure); missing != "" {
			v.Why = "trackdb: " + missing
		} else if _, missing, _ := r.Figure(Training, t.Peer, t.Figure); missing != "" {
			v.Why = t.Peer + ": " + missing
		} else if ratio, ok := r.Ratio(Training, t.Peer, t.Figure); ok {
			v.Measured, v.Ratio = true, ratio
			v.Met = (t.AtLeast && ratio >= t.Want) || (!t.AtLeast && ratio <= t.Want)
		} else {
			v.Why = "not measured"
		}
		out = append(out, v)
	}
	return out
}

// String renders the outcome for the report.
func (v verdict) String() string {
	switch {
	case !v.Measured:
		return "cannot be judged: " + v.Why
	case v.Met:
		return fmt.Sprintf("met (%s)", fmtRatio(v.Ratio))
	}
	return fmt.Sprintf("MISSED (%s)", fmtRatio(v.Ratio))
}
