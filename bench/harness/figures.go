package harness

import "github.com/trackdb/trackdb/bench/systems"

// figureDef describes one figure of a workload.
type figureDef struct {
	ID     systems.Figure
	Label  string // the table's row label
	Unit   string
	Higher bool   // a larger value is better
	Only   string // the only system it applies to; "" for all
}

// Workload names, in report order.
const (
	Training = "training"
	Sweep    = "sweep"
	Long     = "long"
)

// Workloads lists the workloads in report order.
var Workloads = []string{Training, Sweep, Long}

var figures = map[string][]figureDef{
	Training: {
		{ID: systems.FigIngest, Label: "ingest (one commit per logged call)", Unit: "points/s", Higher: true},
		{ID: systems.FigDiskWritten, Label: "disk as written, before compaction", Unit: "B/point"},
		{ID: systems.FigDiskCompact, Label: "at rest after compaction (data files)", Unit: "B/point"},
		{ID: systems.FigXOR, Label: "raw XOR chunks, same series", Unit: "B/point", Only: "trackdb"},
		{ID: systems.FigRead, Label: "read all points of a run's series", Unit: "points/s", Higher: true},
		{ID: systems.FigReopen, Label: "close + reopen", Unit: "ms"},
		{ID: systems.FigReplay, Label: "open after an unclean stop (WAL replay)", Unit: "ms"},
		{ID: systems.FigPeakRSS, Label: "peak RSS", Unit: "MiB"},
	},
	Sweep: {
		{ID: systems.FigCreateRuns, Label: "create runs (20 params, 5 tags)", Unit: "runs/s", Higher: true},
		{ID: systems.FigIngest, Label: "ingest (one commit per logged call)", Unit: "points/s", Higher: true},
		{ID: systems.FigSearch, Label: "search, three predicates", Unit: "ms"},
		{ID: systems.FigTopK, Label: "top-10 by last value", Unit: "ms"},
		{ID: systems.FigPeakRSS, Label: "peak RSS", Unit: "MiB"},
	},
	Long: {
		{ID: systems.FigIngest, Label: "bulk load (1,000 points per commit)", Unit: "points/s", Higher: true},
		{ID: systems.FigRead, Label: "read the whole history (at rest)", Unit: "points/s", Higher: true},
		{ID: systems.FigDownsample, Label: "downsample 1M points to 1,000 buckets", Unit: "ms"},
		{ID: systems.FigPeakRSS, Label: "peak RSS", Unit: "MiB"},
	},
}

// settleBeforeRead lists the workloads whose reads run on the store at
// rest: compacted (untimed) first, as a history written long ago is. A
// Prometheus head holding days of bulk-loaded samples reads in time
// quadratic in its chunks, which no Prometheus user would see.
var settleBeforeRead = map[string]bool{Long: true}

// figureOf returns the definition of fig in workload, if it has one.
func figureOf(workload string, fig systems.Figure) (figureDef, bool) {
	for _, f := range figures[workload] {
		if f.ID == fig {
			return f, true
		}
	}
	return figureDef{}, false
}
