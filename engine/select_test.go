package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/index"
	"github.com/trackdb/trackdb/internal/vfs"
)

// bruteSearch answers the test's predicates by scanning every run.
func bruteSearch(t *testing.T, db *DB, match func(RunInfo, map[string]Summary) bool) []string {
	t.Helper()
	runs, err := db.Runs()
	require.NoError(t, err)
	var out []string
	for _, r := range runs {
		series, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		sums := map[string]Summary{}
		for _, s := range series {
			sums[s.Metric+"|"+s.Context.key()] = s.Summary
		}
		if match(r, sums) {
			out = append(out, r.ID)
		}
	}
	sort.Strings(out)
	return out
}

func searchIDs(t *testing.T, db *DB, p index.Predicate) []string {
	t.Helper()
	ids, err := db.SearchRuns(p, nil, 0, 0)
	require.NoError(t, err)
	sort.Strings(ids)
	if len(ids) == 0 {
		return nil
	}
	return ids
}

// TestSearchMatchesScan checks run searches through the index against a
// scan of every run, across tag changes, deletes, appends, compactions
// and reopens.
func TestSearchMatchesScan(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	fs := vfs.NewMem()
	opts := &Options{FlushPoints: -1, ChunkSamples: 16}
	db := openMem(t, fs, opts)
	var ids []string
	for i := range 40 {
		id := fmt.Sprintf("run-%02d", i)
		ids = append(ids, id)
		_, err := db.CreateRun(RunSpec{ID: id, Experiment: fmt.Sprintf("exp-%d", i%3),
			Params: map[string]any{"lr": []float64{0.1, 0.01, 0.001}[i%3], "layers": 10 * (i % 5), "opt": []string{"adam", "sgd"}[i%2]},
			Tags:   map[string]string{"host": fmt.Sprintf("gpu-%d", i%4)}})
		require.NoError(t, err)
	}
	check := func(round int) {
		lr := []float64{0.001, 0.01, 0.05, 1}[rng.IntN(4)]
		host := fmt.Sprintf("gpu-%d", rng.IntN(4))
		exp := fmt.Sprintf("exp-%d", rng.IntN(3))
		got := searchIDs(t, db, index.And{
			index.Cond{Field: index.Param("lr"), Op: index.OpLt, Value: index.Float(lr)},
			index.Cond{Field: index.Tag("host"), Op: index.OpEq, Value: index.String(host)},
			index.Cond{Field: index.Attr(index.AttrExperiment), Op: index.OpEq, Value: index.String(exp)},
		})
		want := bruteSearch(t, db, func(r RunInfo, _ map[string]Summary) bool {
			return r.Params["lr"].Float < lr && r.Tags["host"] == host && r.Experiment == exp
		})
		require.Equal(t, want, got, "round %d: lr < %v and host = %s and experiment = %s", round, lr, host, exp)

		y := rng.Float64()
		got = searchIDs(t, db, index.Cond{Field: index.Metric("acc", "", index.StatLast), Op: index.OpGt, Value: index.Float(y)})
		want = bruteSearch(t, db, func(_ RunInfo, s map[string]Summary) bool {
			sum, ok := s["acc|"]
			return ok && sum.Count > 0 && sum.Last > y
		})
		require.Equal(t, want, got, "round %d: last(acc) > %v", round, y)

		re := regexp.MustCompile("^gpu-[01]$")
		got = searchIDs(t, db, index.Cond{Field: index.Tag("host"), Op: index.OpRegex, Pattern: re.String()})
		want = bruteSearch(t, db, func(r RunInfo, _ map[string]Summary) bool {
			v, ok := r.Tags["host"]
			return ok && re.MatchString(v)
		})
		require.Equal(t, want, got, "round %d: host regex", round)

		got = searchIDs(t, db, index.Cond{Field: index.Param("lr"), Op: index.OpEq, Value: index.String("0.01")})
		want = bruteSearch(t, db, func(r RunInfo, _ map[string]Summary) bool { return r.Params["lr"].String() == "0.01" })
		require.Equal(t, want, got, "round %d: MLflow text form", round)

		top, err := db.SearchRuns(nil, []index.SortKey{{Field: index.Metric("acc", "", index.StatLast), Desc: true}}, 0, 5)
		require.NoError(t, err)
		var all []string
		lasts := map[string]float64{}
		for _, id := range bruteSearch(t, db, func(RunInfo, map[string]Summary) bool { return true }) {
			s, err := db.LookupSeries(id, "acc", nil)
			if err == nil && s.Summary.Count > 0 && !math.IsNaN(s.Summary.Last) {
				all = append(all, id)
				lasts[id] = s.Summary.Last
			}
		}
		sort.SliceStable(all, func(i, j int) bool { return lasts[all[i]] > lasts[all[j]] })
		if len(all) > 5 {
			all = all[:5]
		}
		for i := range all {
			require.Equal(t, lasts[all[i]], lasts[top[i]], "round %d: top %d", round, i)
		}
	}
	step := int64(0)
	for round := range 30 {
		for range 3 {
			live := bruteSearch(t, db, func(RunInfo, map[string]Summary) bool { return true })
			id := live[rng.IntN(len(live))]
			switch rng.IntN(6) {
			case 0:
				require.NoError(t, db.SetTags(id, map[string]string{"host": fmt.Sprintf("gpu-%d", rng.IntN(4))}))
			case 1:
				require.NoError(t, db.DeleteTags(id, "host"))
			case 2:
				if len(live) > 10 {
					require.NoError(t, db.DeleteRun(id))
				}
			default:
				for _, r := range live {
					require.NoError(t, db.Log(r, step, step, map[string]float64{"acc": float64(float32(rng.Float64())), "loss": rng.Float64()}, nil))
				}
				step++
			}
		}
		switch rng.IntN(5) {
		case 0:
			require.NoError(t, db.Compact())
		case 1:
			require.NoError(t, db.compactAuto())
		case 2:
			require.NoError(t, db.Close())
			db = openMem(t, fs, opts)
		}
		check(round)
	}
	require.True(t, slices.IsSorted(ids))
}

// The engine's context keys (with their one-label fast path) must equal the
// index's, and param text is Python's str(), which MLflow filters compare.
func TestIndexConventionsMatchEngine(t *testing.T) {
	for _, ctx := range []Context{nil, {"subset": "val"}, {"b": "2", "a": "1"}} {
		require.Equal(t, ctx.key(), index.ContextKey(ctx))
	}
	for v, want := range map[Value]string{FloatValue(0.01): "0.01", FloatValue(1): "1.0", FloatValue(1e-5): "1e-05",
		FloatValue(1e16): "1e+16", FloatValue(math.Inf(-1)): "-inf", IntValue(-3): "-3", BoolValue(true): "True", StringValue("x"): "x"} {
		require.Equal(t, want, v.String(), "%#v", v)
	}
	require.Equal(t, "nan", FloatValue(math.NaN()).String())
}
