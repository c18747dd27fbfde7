package query

import (
	"fmt"
	"math"
	"regexp"
	"slices"

	"github.com/trackdb/trackdb/index"
)

// matcher selects the series of one SERIES item.
type matcher struct {
	item *SeriesItem
	re   *regexp.Regexp // LIKE and REGEXP items
}

func newMatchers(items []*SeriesItem) ([]matcher, error) {
	ms := make([]matcher, len(items))
	for i, it := range items {
		ms[i].item = it
		var err error
		switch it.Match {
		case MatchLike:
			ms[i].re, err = likeRegexp(it.Name, false)
		case MatchRegexp:
			ms[i].re, err = regexp.Compile(it.Name)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, it, err)
		}
	}
	return ms, nil
}

// match reports whether s is one of the item's series: its metric name
// matches, and its context holds every label of the item (the default
// context only, for empty braces).
func (m *matcher) match(s *SeriesInfo) bool {
	if m.re != nil {
		if !m.re.MatchString(s.Metric) {
			return false
		}
	} else if s.Metric != m.item.Name {
		return false
	}
	if m.item.HasContext && len(m.item.Context) == 0 {
		return len(s.Context) == 0
	}
	for _, l := range m.item.Context {
		if v, ok := s.Context[l.Name]; !ok || v != l.Value {
			return false
		}
	}
	return true
}

// window is the step and time range of a read.
type window struct {
	minStep, maxStep int64
	minTime, maxTime int64
}

func newWindow(q *SeriesQuery) window {
	w := window{minStep: math.MinInt64, maxStep: math.MaxInt64, minTime: math.MinInt64, maxTime: math.MaxInt64}
	if r := q.Steps; r != nil {
		if r.Lo != nil {
			w.minStep = r.Lo.Value.Int
		}
		if r.Hi != nil {
			w.maxStep = r.Hi.Value.Int
		}
	}
	if r := q.Time; r != nil {
		if r.Lo != nil {
			w.minTime = r.Lo.Value.Int
		}
		if r.Hi != nil {
			w.maxTime = r.Hi.Value.Int
		}
	}
	return w
}

// read returns the points of s inside w, appended to dst.
func (x *executor) read(s *SeriesInfo, w window, dst []Point) ([]Point, error) {
	timed := w.minTime != math.MinInt64 || w.maxTime != math.MaxInt64
	if !timed && s.Count > 0 && w.minStep <= s.FirstStep && w.maxStep >= s.LastStep {
		// The whole series: its count is the size to expect.
		dst = slices.Grow(dst, int(min(s.Count, 1<<24)))
	}
	err := x.scan(s, w, func(p Point) { dst = append(dst, p) })
	return dst, err
}

// scan calls fn with each point of s inside w, in step order, checking
// the context every few thousand points.
func (x *executor) scan(s *SeriesInfo, w window, fn func(Point)) error {
	if s.Count == 0 || s.LastStep < w.minStep || s.FirstStep > w.maxStep {
		return nil
	}
	it, err := x.src.Points(s.Ref, w.minStep, w.maxStep)
	if err != nil {
		return err
	}
	timed := w.minTime != math.MinInt64 || w.maxTime != math.MaxInt64
	if b, ok := it.(BatchIterator); ok {
		if x.batch == nil {
			x.batch = make([]Point, 1024)
		}
		for {
			if err := x.ctx.Err(); err != nil {
				it.Close()
				return err
			}
			n := b.NextBatch(x.batch)
			if n == 0 {
				break
			}
			for _, p := range x.batch[:n] {
				if timed && (p.Time < w.minTime || p.Time > w.maxTime) {
					continue
				}
				fn(p)
			}
		}
		err = it.Err()
		if cerr := it.Close(); err == nil {
			err = cerr
		}
		return err
	}
	n := 0
	for it.Next() {
		if n++; n&4095 == 0 {
			if err := x.ctx.Err(); err != nil {
				it.Close()
				return err
			}
		}
		p := it.At()
		if timed && (p.Time < w.minTime || p.Time > w.maxTime) {
			continue
		}
		fn(p)
	}
	err = it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	return err
}

// series answers a SeriesQuery.
func (x *executor) series(q *SeriesQuery, f *filter) (*Result, error) {
	ids, _, err := x.selectRuns(f, q.Order, intOf(q.Offset, 0), intOf(q.Limit, -1))
	if err != nil {
		return nil, err
	}
	ms, err := newMatchers(q.Items)
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: KindSeries, X: "step"}
	if q.X != nil {
		res.X = q.X.Axis
	}
	w := newWindow(q)
	if q.Items[0].Agg != "" {
		res.Kind = KindAggregate
		curves, err := x.aggregate(q, ids, ms, w)
		if err != nil {
			return nil, err
		}
		res.Curves = curves
		return res, x.finish(q, res)
	}
	for _, id := range ids {
		if err := x.ctx.Err(); err != nil {
			return nil, err
		}
		r, err := x.run(id)
		if err != nil {
			continue // deleted since the selector was taken
		}
		series, err := x.src.Series(id)
		if err != nil {
			continue
		}
		for i := range series {
			s := &series[i]
			if !anyMatch(ms, s) {
				continue
			}
			pts, err := x.readCurve(q, s, w)
			if err != nil {
				return nil, err
			}
			if len(pts) == 0 {
				continue
			}
			start := r.StartTime
			if start == 0 {
				start = pts[0].Time
			}
			res.Curves = append(res.Curves, Curve{RunID: id, Metric: s.Metric, Context: s.Context, Runs: 1, Start: start, Points: pts})
		}
	}
	return res, x.finish(q, res)
}

// readCurve reads the points of one curve. A whole series downsampled
// with min/max buckets and not smoothed streams through the buckets
// without being held; finish's MinMax then has nothing left to do.
func (x *executor) readCurve(q *SeriesQuery, s *SeriesInfo, w window) ([]Point, error) {
	whole := w.minTime == math.MinInt64 && w.maxTime == math.MaxInt64 && w.minStep <= s.FirstStep && w.maxStep >= s.LastStep
	if q.Sample == nil || q.Sample.Method != "minmax" || q.Smooth != nil || !whole || s.Count > math.MaxInt32 {
		return x.read(s, w, nil)
	}
	st := newMinMaxStream(int(s.Count), int(q.Sample.N))
	if err := x.scan(s, w, st.add); err != nil {
		return nil, err
	}
	if pts, ok := st.done(); ok {
		return pts, nil
	}
	return x.read(s, w, nil) // the count was not the summary's: read it all
}

func anyMatch(ms []matcher, s *SeriesInfo) bool {
	for i := range ms {
		if ms[i].match(s) {
			return true
		}
	}
	return false
}

// finish smooths and downsamples every curve, and counts the points
// against the limit.
func (x *executor) finish(q *SeriesQuery, res *Result) error {
	for i := range res.Curves {
		c := &res.Curves[i]
		if q.Smooth != nil {
			wt := q.Smooth.Value.Float
			if q.Smooth.Value.Kind == index.KindInt {
				wt = float64(q.Smooth.Value.Int)
			}
			EMA(c.Points, wt)
		}
		if q.Sample != nil {
			if q.Sample.Method == "lttb" {
				c.Points = LTTB(c.Points, int(q.Sample.N))
			} else {
				c.Points = MinMax(c.Points, int(q.Sample.N))
			}
		}
		if err := x.addPoints(len(c.Points)); err != nil {
			return err
		}
	}
	return nil
}
