package engine

import (
	"context"
	"errors"

	"github.com/trackdb/trackdb/index"
	"github.com/trackdb/trackdb/query"
)

// Query parses, plans and runs a query (see docs/query.md) against the
// store: a run search, curves, or aggregates across runs. Cancelling ctx
// stops it between runs and every few thousand points.
func (db *DB) Query(ctx context.Context, text string) (*query.Result, error) {
	return query.Exec(ctx, db.QuerySource(), text, nil)
}

// PreparedQuery is a parsed and planned query bound to a store, to run
// many times (a dashboard refreshing). It is safe for concurrent use.
type PreparedQuery struct {
	db *DB
	p  *query.Prepared
}

// Prepare parses and plans a query for repeated runs with Exec.
func (db *DB) Prepare(text string) (*PreparedQuery, error) {
	p, err := query.Prepare(text)
	if err != nil {
		return nil, err
	}
	return &PreparedQuery{db: db, p: p}, nil
}

// Exec runs the prepared query against the store as it is now.
func (q *PreparedQuery) Exec(ctx context.Context) (*query.Result, error) {
	return q.p.Exec(ctx, q.db.QuerySource(), nil)
}

// QuerySource returns the store as the query package reads it.
func (db *DB) QuerySource() query.Source { return querySource{db: db} }

// querySource implements query.Source over a DB.
type querySource struct{ db *DB }

// Selector returns the store's run selector, taken now.
func (s querySource) Selector() (query.Selector, error) {
	sel, err := s.db.RunSelector()
	if err != nil {
		return nil, err
	}
	return sel, nil
}

// Run returns a snapshot of a run in the query package's terms.
func (s querySource) Run(id string) (query.Run, error) {
	info, err := s.db.Run(id)
	if err != nil {
		return query.Run{}, err
	}
	r := query.Run{
		ID: info.ID, Experiment: info.Experiment, Name: info.Name, Status: info.Status.String(),
		StartTime: info.StartTime, EndTime: info.EndTime,
		Params: make(map[string]index.Value, len(info.Params)), Tags: info.Tags,
		Datasets: runDatasets(&info),
	}
	for k, v := range info.Params {
		r.Params[k] = index.Value{Kind: index.Kind(v.Type), Str: v.Str, Int: v.Int, Float: v.Float, Bool: v.Bool}
	}
	return r, nil
}

// runDatasets returns a run's input datasets for datasets.* filters.
func runDatasets(info *RunInfo) []query.Dataset {
	out := make([]query.Dataset, len(info.Datasets))
	for i, d := range info.Datasets {
		out[i] = query.Dataset{Name: d.Name, Digest: d.Digest, Context: d.Context}
	}
	return out
}

// Series lists a run's series with their summaries.
func (s querySource) Series(runID string) ([]query.SeriesInfo, error) {
	series, err := s.db.SeriesOf(runID)
	if err != nil {
		return nil, err
	}
	out := make([]query.SeriesInfo, len(series))
	for i, x := range series {
		out[i] = query.SeriesInfo{
			Ref: uint64(x.Ref), Metric: x.Metric, Context: x.Context,
			Count: x.Summary.Count, FirstStep: x.Summary.FirstStep, LastStep: x.Summary.LastStep,
			Last: x.Summary.Last, Min: x.Summary.Min, Max: x.Summary.Max,
		}
	}
	return out, nil
}

// Points returns an iterator over a series' points in a step range.
func (s querySource) Points(ref uint64, minStep, maxStep int64) (query.PointIterator, error) {
	it, err := s.db.Points(SeriesRef(ref), minStep, maxStep)
	if errors.Is(err, ErrSeriesNotFound) {
		// The run was deleted after the query listed its series: as if
		// the query had not seen it.
		return noPoints{}, nil
	}
	if err != nil {
		return nil, err
	}
	return queryPoints{it}, nil
}

// NextBatch implements query.BatchIterator.
func (q queryPoints) NextBatch(dst []query.Point) int {
	it := q.PointIterator
	n := 0
	for n < len(dst) && it.Next() {
		p := it.At()
		dst[n] = query.Point{Step: p.Step, Time: p.Time, Value: p.Value}
		n++
	}
	return n
}

// noPoints is the empty iterator.
type noPoints struct{}

func (noPoints) Next() bool      { return false }
func (noPoints) At() query.Point { return query.Point{} }
func (noPoints) Err() error      { return nil }
func (noPoints) Close() error    { return nil }

// queryPoints adapts a PointIterator to query.PointIterator.
type queryPoints struct{ *PointIterator }

// At returns the current point.
func (q queryPoints) At() query.Point {
	p := q.PointIterator.At()
	return query.Point{Step: p.Step, Time: p.Time, Value: p.Value}
}
