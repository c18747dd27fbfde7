package systems

import (
	"context"
	"math"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// SearchMethod implements Searcher.
func (s *Prometheus) SearchMethod() string {
	return "label matchers on run_info (param_*, tag_*) pick the runs; a set matcher on run selects their metric series; the last value is read from each series' last chunk (ChunkQuerier); top-10 reads the last chunk of every run's series and sorts"
}

// Search implements Searcher.
func (s *Prometheus) Search(q SearchQuery) ([]string, error) {
	ctx := context.Background()
	qr, err := s.db.Querier(math.MinInt64, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	defer qr.Close()
	set := qr.Select(ctx, false, nil,
		labels.MustNewMatcher(labels.MatchEqual, "__name__", "run_info"),
		labels.MustNewMatcher(labels.MatchEqual, labelName("param_", q.ParamKey), q.ParamValue),
		labels.MustNewMatcher(labels.MatchEqual, labelName("tag_", q.TagKey), q.TagValue))
	var ids []string
	for set.Next() {
		ids = append(ids, set.At().Labels().Get("run"))
	}
	if err := set.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	last, err := s.lastValues(q.Metric, labels.MustNewMatcher(labels.MatchRegexp, "run", regexpAlternation(ids)))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range last {
		if r.v > q.Above {
			out = append(out, r.id)
		}
	}
	return sortedIDs(out), nil
}

// TopK implements Searcher.
func (s *Prometheus) TopK(metric string, k int) ([]string, error) {
	last, err := s.lastValues(metric)
	if err != nil {
		return nil, err
	}
	return topK(last, k), nil
}

// lastValues returns the last value of metric for every run matching ms.
func (s *Prometheus) lastValues(metric string, ms ...*labels.Matcher) ([]ranked, error) {
	cq, err := s.db.ChunkQuerier(math.MinInt64, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	defer cq.Close()
	ms = append(ms, labels.MustNewMatcher(labels.MatchEqual, "__name__", metric))
	set := cq.Select(context.Background(), false, nil, ms...)
	var out []ranked
	var cit chunkenc.Iterator
	for set.Next() {
		series := set.At()
		it := series.Iterator(nil)
		var last chunkenc.Chunk
		for it.Next() {
			last = it.At().Chunk
		}
		if err := it.Err(); err != nil {
			return nil, err
		}
		if last == nil {
			continue
		}
		cit = last.Iterator(cit)
		v := math.NaN()
		for cit.Next() != chunkenc.ValNone {
			_, v = cit.At()
		}
		out = append(out, ranked{id: series.Labels().Get("run"), v: v})
	}
	return out, set.Err()
}

// regexpAlternation matches any of ids exactly; Prometheus turns such a
// regexp into a set lookup on its postings.
func regexpAlternation(ids []string) string {
	n := 0
	for _, id := range ids {
		n += len(id) + 1
	}
	b := make([]byte, 0, n)
	for i, id := range ids {
		if i > 0 {
			b = append(b, '|')
		}
		b = append(b, id...) // run IDs are hex: nothing to quote
	}
	return string(b)
}

// DownsampleMethod implements Downsampler.
func (s *Prometheus) DownsampleMethod() string {
	return "Select over the wall-time range the steps span, per-bucket min/max by time folded in the harness (what min_over_time/max_over_time over a query_range step computes)"
}

// Downsample implements Downsampler. Prometheus' axis is time, so buckets
// split the time range.
func (s *Prometheus) Downsample(q DownsampleQuery) (DownsampleResult, error) {
	qr, err := s.db.Querier(q.FromTime, q.ToTime)
	if err != nil {
		return DownsampleResult{}, err
	}
	defer qr.Close()
	hints := &storage.SelectHints{Start: q.FromTime, End: q.ToTime}
	ms := []*labels.Matcher{
		labels.MustNewMatcher(labels.MatchEqual, "__name__", s.w.Metrics[q.Metric]),
		labels.MustNewMatcher(labels.MatchEqual, "run", s.w.Runs[q.Run].ID),
	}
	set := qr.Select(context.Background(), false, hints, ms...)
	b := newBucketer(q.FromTime, q.ToTime, q.Buckets)
	for set.Next() {
		it := set.At().Iterator(nil)
		if it.Seek(q.FromTime) == chunkenc.ValNone {
			continue
		}
		for {
			t, v := it.At()
			if t > q.ToTime {
				break
			}
			b.add(t, v)
			if it.Next() == chunkenc.ValNone {
				break
			}
		}
		if err := it.Err(); err != nil {
			return DownsampleResult{}, err
		}
	}
	return b.res, set.Err()
}
