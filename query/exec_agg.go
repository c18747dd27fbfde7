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
	var buf []Point
	for _, g := range groups {
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
				read := false
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
					if !read {
						read = true
						if buf, err = x.read(s, w, buf[:0]); err != nil {
							return nil, err
						}
						acc.add(buf)
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
				acc.finish()
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

// stepAcc accumulates one series across the runs of a group, aligned on
// step.
type stepAcc struct {
	metric  string
	context map[string]string
	runs    int
	// per run, its points (one per step: the last logged at that step)
	pts  [][]Point
	done bool
	// the result: per distinct step, in order
	steps      []int64
	n, c       []int // points at the step, and non-NaN ones
	mean, m2   []float64
	minV, maxV []float64
}

// add takes one run's points, in step order, keeping the last point of
// each step.
func (a *stepAcc) add(pts []Point) {
	if len(pts) == 0 {
		return
	}
	own := make([]Point, 0, len(pts))
	for i, p := range pts {
		if i+1 < len(pts) && pts[i+1].Step == p.Step {
			continue
		}
		own = append(own, p)
	}
	a.pts = append(a.pts, own)
	a.runs++
}

// finish computes the statistics: a dense array over the step span when
// the steps are dense enough, else over the sorted distinct steps.
func (a *stepAcc) finish() {
	if a.done {
		return
	}
	a.done = true
	total := 0
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, pts := range a.pts {
		total += len(pts)
		lo, hi = min(lo, pts[0].Step), max(hi, pts[len(pts)-1].Step)
	}
	if total == 0 {
		return
	}
	var slot func(run, i int) int
	if span := uint64(hi - lo); span < uint64(2*total+1024) {
		a.steps = make([]int64, span+1)
		for i := range a.steps {
			a.steps[i] = lo + int64(i)
		}
		slot = func(run, i int) int { return int(a.pts[run][i].Step - lo) }
	} else {
		all := make([]int64, 0, total)
		for _, pts := range a.pts {
			for _, p := range pts {
				all = append(all, p.Step)
			}
		}
		slices.Sort(all)
		a.steps = slices.Compact(all)
		slot = func(run, i int) int {
			j, _ := slices.BinarySearch(a.steps, a.pts[run][i].Step)
			return j
		}
	}
	k := len(a.steps)
	a.n, a.c = make([]int, k), make([]int, k)
	a.mean, a.m2 = make([]float64, k), make([]float64, k)
	a.minV, a.maxV = make([]float64, k), make([]float64, k)
	for run, pts := range a.pts {
		for i, p := range pts {
			j := slot(run, i)
			a.n[j]++
			v := p.Value
			if math.IsNaN(v) {
				continue
			}
			// Welford's update.
			a.c[j]++
			if a.c[j] == 1 {
				a.minV[j], a.maxV[j] = v, v
			} else {
				a.minV[j], a.maxV[j] = min(a.minV[j], v), max(a.maxV[j], v)
			}
			d := v - a.mean[j]
			a.mean[j] += d / float64(a.c[j])
			a.m2[j] += d * (v - a.mean[j])
		}
	}
	a.pts = nil
}

// curve returns statistic agg at each step some run has a point at. The
// statistics skip NaN values; a step where every value is NaN has NaN
// statistics and a count of 0. std is the population standard deviation
// (numpy's default, ddof=0).
func (a *stepAcc) curve(agg string) []Point {
	out := make([]Point, 0, len(a.steps))
	for j, s := range a.steps {
		if a.n[j] == 0 {
			continue
		}
		v := math.NaN()
		switch agg {
		case "count":
			v = float64(a.c[j])
		case "mean":
			if a.c[j] > 0 {
				v = a.mean[j]
			}
		case "std":
			if a.c[j] > 0 {
				v = math.Sqrt(a.m2[j] / float64(a.c[j]))
			}
		case "min":
			if a.c[j] > 0 {
				v = a.minV[j]
			}
		case "max":
			if a.c[j] > 0 {
				v = a.maxV[j]
			}
		}
		out = append(out, Point{Step: s, Value: v})
	}
	return out
}
