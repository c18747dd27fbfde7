package systems

import (
	"context"
	"fmt"
	"strings"

	"github.com/trackdb/trackdb/bench/gen"
)

// metricRef names a metric in the workload's context in trackdb's query
// language: acc{subset="train"}.
func metricRef(metric string) string {
	var b strings.Builder
	b.WriteString(metric)
	b.WriteByte('{')
	first := true
	for k, v := range gen.Context {
		if !first {
			b.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&b, "%s=%q", k, v)
	}
	b.WriteByte('}')
	return b.String()
}

// SearchMethod implements Searcher.
func (s *Trackdb) SearchMethod() string {
	return "db.Query with the query language: runs where params.K = 'v' and tags.K = 'v' and metrics.M{ctx} > x (run index, metric summaries); top-10: runs order by last(M{ctx}) desc, run_id limit 10"
}

// Search implements Searcher.
func (s *Trackdb) Search(q SearchQuery) ([]string, error) {
	text := fmt.Sprintf("runs where params.%s = '%s' and tags.%s = '%s' and metrics.%s > %v",
		q.ParamKey, q.ParamValue, q.TagKey, q.TagValue, metricRef(q.Metric), q.Above)
	res, err := s.db.Query(context.Background(), text)
	if err != nil {
		return nil, err
	}
	if len(res.Runs) != res.Total {
		return nil, fmt.Errorf("trackdb: search returned %d of %d runs", len(res.Runs), res.Total)
	}
	ids := make([]string, len(res.Runs))
	for i, r := range res.Runs {
		ids[i] = r.ID
	}
	return sortedIDs(ids), nil
}

// TopK implements Searcher.
func (s *Trackdb) TopK(metric string, k int) ([]string, error) {
	res, err := s.db.Query(context.Background(), fmt.Sprintf("runs order by last(%s) desc, run_id limit %d", metricRef(metric), k))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Runs))
	for i, r := range res.Runs {
		ids[i] = r.ID
	}
	return ids, nil
}

// DownsampleMethod implements Downsampler.
func (s *Trackdb) DownsampleMethod() string {
	return "db.Query: series M{ctx} where run_id = '…' steps A..B downsample 2N+2 minmax — N equal-count buckets, each keeping its min and max, plus the first and last point"
}

// Downsample implements Downsampler. trackdb's minmax cuts the range
// into buckets of equal point count (the others here cut equal step or
// time widths): with no gaps in the steps the buckets are the same.
func (s *Trackdb) Downsample(q DownsampleQuery) (DownsampleResult, error) {
	text := fmt.Sprintf("series %s where run_id = '%s' steps %d..%d downsample %d minmax",
		metricRef(s.w.Metrics[q.Metric]), s.w.Runs[q.Run].ID, q.FromStep, q.ToStep, 2*q.Buckets+2)
	res, err := s.db.Query(context.Background(), text)
	if err != nil {
		return DownsampleResult{}, err
	}
	if len(res.Curves) != 1 {
		return DownsampleResult{}, fmt.Errorf("trackdb: downsample returned %d curves", len(res.Curves))
	}
	b := newBucketer(q.FromStep, q.ToStep, q.Buckets)
	for _, p := range res.Curves[0].Points {
		b.add(p.Step, p.Value) // Points counts the points returned
	}
	return b.res, nil
}
