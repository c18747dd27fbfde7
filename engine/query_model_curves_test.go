package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/query"
)

// TestQueryModelCurves compares curve reads (step windows, min/max
// downsampling) and aggregates (group by, per-step statistics aligned on
// step, repeated steps, NaN) with brute force over the logged points.
// A failure prints the seed; -query-seed replays it.
func TestQueryModelCurves(t *testing.T) {
	seed := *querySeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay: go test ./engine -run TestQueryModelCurves -query-seed %d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	db := openMem(t, vfs.NewMem(), nil)
	type run struct {
		id, opt string
		pts     []query.Point // in append order
	}
	var runs []run
	for i := range 12 {
		r := run{id: fmt.Sprintf("c%02d", i), opt: []string{"adam", "sgd", "lion"}[rng.IntN(3)]}
		_, err := db.CreateRun(RunSpec{ID: r.id, StartTime: 1, Params: map[string]any{"opt": r.opt}})
		require.NoError(t, err)
		for range rng.IntN(300) {
			p := query.Point{Step: int64(rng.IntN(200)), Time: 1, Value: float64(rng.IntN(100)) / 8}
			if rng.IntN(20) == 0 {
				p.Value = math.NaN()
			}
			require.NoError(t, db.Log(r.id, p.Step, p.Time, map[string]float64{"loss": p.Value}, nil))
			r.pts = append(r.pts, p)
		}
		runs = append(runs, r)
	}
	// ordered returns a run's points in [lo, hi] in step order, ties in
	// append order, as reads return them.
	ordered := func(r run, lo, hi int64) []query.Point {
		var out []query.Point
		for _, p := range r.pts {
			if p.Step >= lo && p.Step <= hi {
				out = append(out, p)
			}
		}
		slices.SortStableFunc(out, func(a, b query.Point) int { return int(a.Step - b.Step) })
		return out
	}
	for n := range 40 {
		lo := int64(rng.IntN(150))
		hi := lo + int64(rng.IntN(100))
		ds := 2 + rng.IntN(40)
		text := fmt.Sprintf("series loss{} order by run_id steps %d..%d downsample %d", lo, hi, ds)
		res, err := db.Query(context.Background(), text)
		require.NoError(t, err)
		var want []query.Curve
		for _, r := range runs {
			if pts := ordered(r, lo, hi); len(pts) > 0 {
				want = append(want, query.Curve{RunID: r.id, Points: query.MinMax(pts, ds)})
			}
		}
		require.Len(t, res.Curves, len(want), "seed %d query %d: %s", seed, n, text)
		for i := range want {
			require.Equal(t, want[i].RunID, res.Curves[i].RunID)
			requirePoints(t, want[i].Points, res.Curves[i].Points, "seed %d query %d: %s", seed, n, text)
		}

		text = fmt.Sprintf("series mean(loss), std(loss), min(loss), max(loss), count(loss) group by params.opt steps %d..%d", lo, hi)
		res, err = db.Query(context.Background(), text)
		require.NoError(t, err)
		got := res.Curves
		i := 0
		for _, opt := range []string{"adam", "lion", "sgd"} {
			// Per step, the last value of each run of the group.
			vals := map[int64][]float64{}
			nruns := 0
			for _, r := range runs {
				if r.opt != opt {
					continue
				}
				pts := ordered(r, lo, hi)
				if len(pts) > 0 {
					nruns++
				}
				for j, p := range pts {
					if j+1 < len(pts) && pts[j+1].Step == p.Step {
						continue
					}
					vals[p.Step] = append(vals[p.Step], p.Value)
				}
			}
			if nruns == 0 {
				continue
			}
			steps := make([]int64, 0, len(vals))
			for s := range vals {
				steps = append(steps, s)
			}
			slices.Sort(steps)
			for _, agg := range []string{"mean", "std", "min", "max", "count"} {
				require.Less(t, i, len(got), "seed %d query %d: %s", seed, n, text)
				c := got[i]
				i++
				require.Equal(t, agg, c.Agg)
				require.Equal(t, opt, c.Group[0].Value.Str)
				require.Equal(t, nruns, c.Runs)
				var want []query.Point
				for _, s := range steps {
					want = append(want, query.Point{Step: s, Value: stat(agg, vals[s])})
				}
				requirePoints(t, want, c.Points, "seed %d query %d: %s (%s %s)", seed, n, text, opt, agg)
			}
		}
		require.Equal(t, len(got), i, "seed %d query %d: %s", seed, n, text)
	}
}

// stat computes an aggregate the direct way, skipping NaN.
func stat(agg string, vs []float64) float64 {
	var xs []float64
	for _, v := range vs {
		if !math.IsNaN(v) {
			xs = append(xs, v)
		}
	}
	if agg == "count" {
		return float64(len(xs))
	}
	if len(xs) == 0 {
		return math.NaN()
	}
	switch agg {
	case "min":
		return slices.Min(xs)
	case "max":
		return slices.Max(xs)
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if agg == "mean" {
		return mean
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(xs)))
}

// requirePoints compares steps exactly and values to 1e-9 (NaN equals NaN).
func requirePoints(t *testing.T, want, got []query.Point, msg string, args ...any) {
	t.Helper()
	require.Equal(t, len(want), len(got), append([]any{msg + " (length)"}, args...)...)
	for i := range want {
		require.Equal(t, want[i].Step, got[i].Step, append([]any{msg + fmt.Sprintf(" (point %d)", i)}, args...)...)
		w, g := want[i].Value, got[i].Value
		if math.IsNaN(w) || math.IsNaN(g) {
			require.True(t, math.IsNaN(w) && math.IsNaN(g), append([]any{msg + fmt.Sprintf(" (point %d: %v vs %v)", i, w, g)}, args...)...)
			continue
		}
		require.InDelta(t, w, g, 1e-9, append([]any{msg + fmt.Sprintf(" (point %d)", i)}, args...)...)
	}
}
