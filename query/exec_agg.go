package query

import (
	"math"
	"slices"
	"strings"

	"github.com/trackdb/trackdb/index"
)

// group is the runs sharing one value of the GROUP BY fields.
type group struct {
	values []index.Value
	ids    []string
}

// aggregate reads the items' series of every run, groups the runs by the
// GROUP BY fields and returns, per group, per series (metric and context)
// and per item, the statistic at each step.
func (x *executor) aggregate(q *SeriesQuery, ids []string, ms []matcher, w window) ([]Curve, error) {
	groups, err := x.groupRuns(q.GroupBy, ids)
	if err != nil {
		return nil, err
	}
	var out []Curve
	for _, g := range groups {
		// First the series each accumulator takes, from the runs' lists.
		accs := map[string]*stepAcc{}
		keysOf := make([][]string, len(ms)) // per item, its series keys in order
		for _, id := range g.ids {
			if err := x.ctx.Err(); err != nil {
				return nil, err
			}
			series, err := x.src.Series(id)
			if err != nil {
				continue // deleted since the selector was taken
			}
			for i := range series {
				s := &series[i]
				key := s.Metric + "\x01" + index.ContextKey(s.Context)
				for m := range ms {
					if !ms[m].match(s) {
						continue
					}
					acc := accs[key]
					if acc == nil {
						acc = &stepAcc{metric: s.Metric, context: s.Context}
						accs[key] = acc
					}
					if !slices.Contains(keysOf[m], key) {
						keysOf[m] = append(keysOf[m], key)
					}
					if n := len(acc.series); n == 0 || acc.series[n-1].Ref != s.Ref {
						acc.series = append(acc.series, *s)
					}
				}
			}
		}
		gv := make([]GroupValue, len(q.GroupBy))
		for i, f := range q.GroupBy {
			gv[i] = GroupValue{Field: f.String(), Value: g.values[i]}
		}
		for m, keys := range keysOf {
			for _, key := range keys {
				acc := accs[key]
				if !acc.done {
					if err := x.fill(acc, w); err != nil {
						return nil, err
					}
				}
				if acc.runs == 0 {
					continue // no points in the window
				}
				out = append(out, Curve{
					Metric: acc.metric, Context: acc.context, Agg: ms[m].item.Agg,
					Group: gv, Runs: acc.runs, Points: acc.curve(ms[m].item.Agg),
				})
			}
		}
	}
	return out, nil
}

// groupRuns splits runs by their values of fields, groups in value order.
func (x *executor) groupRuns(fields []*Field, ids []string) ([]*group, error) {
	byKey := map[string]*group{}
	var groups []*group
	for _, id := range ids {
		r, err := x.run(id)
		if err != nil {
			continue
		}
		vals := make([]index.Value, len(fields))
		var key strings.Builder
		for i, f := range fields {
			vals[i] = fieldValue(f, r, nil)
			key.WriteString(vals[i].GoString())
			key.WriteByte(0)
		}
		g := byKey[key.String()]
		if g == nil {
			g = &group{values: vals}
			byKey[key.String()] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, id)
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		for i := range a.values {
			if c := compareValues(a.values[i], b.values[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return groups, nil
}

// compareValues orders values as ORDER BY does: numbers, then strings,
// then bools, then missing.
func compareValues(a, b index.Value) int {
	rank := func(v index.Value) int {
		switch v.Kind {
		case index.KindInt, index.KindFloat:
			return 0
		case index.KindString:
			return 1
		case index.KindBool:
			return 2
		}
		return 3
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	switch a.Kind {
	case index.KindInt, index.KindFloat:
		fa, fb := num(a), num(b)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case index.KindString:
		return strings.Compare(a.Str, b.Str)
	case index.KindBool:
		if a.Bool == b.Bool {
			return 0
		}
		if !a.Bool {
			return -1
		}
		return 1
	}
	return 0
}

func num(v index.Value) float64 {
	if v.Kind == index.KindInt {
		return float64(v.Int)
	}
	return v.Float
}

// stepAcc accumulates one series (metric and context) across the runs of
// a group, aligned on step: per step, the number of points and of non-NaN
// values, their min, max, and sums of the values and of their squares
// shifted by the step's first value (which keeps the variance exact
// enough without a division per point). A run that logged a step twice
// contributes its last value.
type stepAcc struct {
	metric  string
	context map[string]string
	series  []SeriesInfo // the group's series, one per run
	runs    int          // runs with points in the window
	done    bool

	// Slot j is step lo+j when steps is nil (dense), else steps[j].
	lo    int64
	steps []int64
	slots []slot
}

// slot is one step's statistics.
type slot struct {
	n, c       int32   // points, non-NaN values
	shift      float64 // the first non-NaN value
	s1, s2     float64 // sums of (v - shift) and (v - shift)²
	minV, maxV float64
}

// fill reads the series into the statistics. When the summaries' step
// span is at most about twice the points (the usual case: runs logging
// the same steps), the slots are a dense array over the span and points
// stream straight into it; otherwise each run's points are read, and the
// slots are the sorted distinct steps.
func (x *executor) fill(a *stepAcc, w window) error {
	a.done = true
	lo, hi, total := int64(math.MaxInt64), int64(math.MinInt64), int64(0)
	for i := range a.series {
		s := &a.series[i]
		if s.Count == 0 || s.LastStep < w.minStep || s.FirstStep > w.maxStep {
			continue
		}
		lo, hi = min(lo, max(s.FirstStep, w.minStep)), max(hi, min(s.LastStep, w.maxStep))
		total += s.Count
	}
	if total == 0 {
		return nil
	}
	if span := uint64(hi - lo); span < uint64(2*total+1024) {
		a.lo = lo
		a.alloc(int(span + 1))
		// The summaries are a snapshot taken before the points are read:
		// points appended since may lie outside [lo, hi], so the read is
		// narrowed to it.
		dw := w
		dw.minStep, dw.maxStep = lo, hi
		for i := range a.series {
			had, err := x.scanLast(&a.series[i], dw, func(p Point) { a.add(int(p.Step-lo), p.Value) })
			if err != nil {
				return err
			}
			if had {
				a.runs++
			}
		}
		return nil
	}
	var runs [][]Point
	var all []int64
	for i := range a.series {
		var own []Point
		had, err := x.scanLast(&a.series[i], w, func(p Point) { own = append(own, p) })
		if err != nil {
			return err
		}
		if had {
			a.runs++
		}
		runs = append(runs, own)
		for _, p := range own {
			all = append(all, p.Step)
		}
	}
	slices.Sort(all)
	a.steps = slices.Compact(all)
	a.alloc(len(a.steps))
	for _, own := range runs {
		j := 0
		for _, p := range own {
			for a.steps[j] != p.Step {
				j++
			}
			a.add(j, p.Value)
		}
	}
	return nil
}

// scanLast scans s keeping the last point of each step, and reports
// whether s had a point in the window.
func (x *executor) scanLast(s *SeriesInfo, w window, fn func(Point)) (bool, error) {
	var prev Point
	have := false
	err := x.scan(s, w, func(p Point) {
		if have && p.Step != prev.Step {
			fn(prev)
		}
		prev, have = p, true
	})
	if err != nil {
		return false, err
	}
	if have {
		fn(prev)
	}
	return have, nil
}

func (a *stepAcc) alloc(k int) { a.slots = make([]slot, k) }

// add adds value v to slot j.
func (a *stepAcc) add(j int, v float64) {
	sl := &a.slots[j]
	sl.n++
	if v != v { // NaN
		return
	}
	if sl.c == 0 {
		sl.shift, sl.minV, sl.maxV = v, v, v
	} else {
		sl.minV, sl.maxV = min(sl.minV, v), max(sl.maxV, v)
	}
	sl.c++
	d := v - sl.shift
	sl.s1 += d
	sl.s2 += d * d
}

// curve returns statistic agg at each step some run has a point at. The
// statistics skip NaN values; a step where every value is NaN has NaN
// statistics and a count of 0. std is the population standard deviation
// (numpy's default, ddof=0).
func (a *stepAcc) curve(agg string) []Point {
	out := make([]Point, 0, len(a.slots))
	for j := range a.slots {
		sl := &a.slots[j]
		if sl.n == 0 {
			continue
		}
		step := a.lo + int64(j)
		if a.steps != nil {
			step = a.steps[j]
		}
		v := math.NaN()
		if c := float64(sl.c); c > 0 || agg == "count" {
			switch agg {
			case "count":
				v = c
			case "mean":
				v = sl.shift + sl.s1/c
			case "std":
				v = math.Sqrt(max(sl.s2-sl.s1*sl.s1/c, 0) / c)
			case "min":
				v = sl.minV
			case "max":
				v = sl.maxV
			}
		}
		out = append(out, Point{Step: step, Value: v})
	}
	return out
}
