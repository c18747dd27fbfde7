package query

import "github.com/trackdb/trackdb/index"

// ResultKind says which part of a [Result] is filled.
type ResultKind uint8

// Result kinds.
const (
	KindRuns      ResultKind = iota + 1 // Result.Runs: a run search
	KindSeries                          // Result.Curves: one curve per run and series
	KindAggregate                       // Result.Curves: one curve per group, series and statistic
)

// String returns runs, series or aggregate.
func (k ResultKind) String() string {
	switch k {
	case KindRuns:
		return "runs"
	case KindSeries:
		return "series"
	case KindAggregate:
		return "aggregate"
	}
	return "ResultKind(?)"
}

// Result is the answer to a query. The caller owns it.
type Result struct {
	// Kind says whether Runs or Curves holds the answer.
	Kind ResultKind
	// Columns names the ORDER BY keys whose values each RunRow carries.
	Columns []string
	// Runs are the runs found, in order.
	Runs []RunRow
	// Total is the number of runs the filter matched, before OFFSET and
	// LIMIT.
	Total int
	// NextPageToken reads the next page (PAGE 'token'); empty on the last.
	NextPageToken string
	// Curves are the curves read or aggregated.
	Curves []Curve
	// X is the x axis of Curves: step, time or relative.
	X string
}

// RunRow is one run of a run search.
type RunRow struct {
	Run
	// Keys holds the run's value of each ORDER BY key; a zero Value (Kind
	// 0) where the run has none.
	Keys []index.Value
}

// Curve is one curve: the points of one series of one run, or one
// statistic of a metric across the runs of a group.
type Curve struct {
	// RunID is the run (series); empty for an aggregate.
	RunID string
	// Metric and Context name the series.
	Metric  string
	Context map[string]string
	// Agg is the statistic of an aggregate: mean, std, min, max or count.
	Agg string
	// Group holds the group's value of each GROUP BY field (an aggregate),
	// a zero Value where the runs have none.
	Group []GroupValue
	// Runs is the number of runs aggregated (an aggregate), 1 otherwise.
	Runs int
	// Start is the run's start time, the origin of the relative x axis.
	Start int64
	// Points are in step order.
	Points []Point
}

// GroupValue is one GROUP BY field and its value.
type GroupValue struct {
	Field string      // the field as written by Field.String
	Value index.Value // the group's value; Kind 0 when missing
}

// XOf returns the x coordinate of p on the axis x.
func (c *Curve) XOf(p Point, x string) int64 {
	switch x {
	case "time":
		return p.Time
	case "relative":
		return p.Time - c.Start
	}
	return p.Step
}
