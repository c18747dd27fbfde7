package gen

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func spec() Spec {
	return Spec{Name: "t", Runs: 30, Metrics: 7, Steps: 400, Concurrent: 10, Params: 20, Tags: 5, Seed: 9}
}

// collect returns every call of w, values copied.
func collect(t *testing.T, w *Workload) []Call {
	var out []Call
	require.NoError(t, w.Calls(func(c *Call) error {
		cc := *c
		cc.Values = append([]float64(nil), c.Values...)
		out = append(out, cc)
		return nil
	}))
	return out
}

func TestDeterministic(t *testing.T) {
	a, err := New(spec())
	require.NoError(t, err)
	b, err := New(spec())
	require.NoError(t, err)
	require.Equal(t, a.Runs, b.Runs)
	ca, cb := collect(t, a), collect(t, b)
	require.Len(t, ca, int(spec().Calls()))
	for i := range ca {
		require.Equal(t, ca[i].Run, cb[i].Run)
		require.Equal(t, ca[i].Time, cb[i].Time)
		for m := range ca[i].Values {
			require.Equal(t, math.Float64bits(ca[i].Values[m]), math.Float64bits(cb[i].Values[m]))
		}
	}
	other := spec()
	other.Seed++
	c, err := New(other)
	require.NoError(t, err)
	require.NotEqual(t, a.Runs[0].ID, c.Runs[0].ID)
}

func TestOrderAndClocks(t *testing.T) {
	w, err := New(spec())
	require.NoError(t, err)
	calls := collect(t, w)
	// Groups of 10 runs, step-major inside a group, runs in turn.
	require.Equal(t, 0, calls[0].Run)
	require.Equal(t, 1, calls[1].Run)
	require.Equal(t, int64(1), calls[10].Step)
	require.Equal(t, 10, calls[10*400].Run)
	last := map[int]int64{}
	for _, c := range calls {
		if prev, ok := last[c.Run]; ok {
			require.Greater(t, c.Time, prev, "run %d step %d", c.Run, c.Step)
		} else {
			require.Equal(t, w.Runs[c.Run].Start, c.Time)
		}
		last[c.Run] = c.Time
	}
	// A later group starts after every run of the earlier one ended.
	require.Greater(t, w.Runs[10].Start, last[9])
}

func TestValues(t *testing.T) {
	w, err := New(spec())
	require.NoError(t, err)
	nans := map[int]int{}
	for _, c := range collect(t, w) {
		for m, v := range c.Values {
			kind := MetricKind(m)
			if v != v {
				require.Equal(t, Loss, kind, "only losses diverge to NaN")
				require.NotEqual(t, int64(-1), w.Runs[c.Run].Diverge)
				nans[c.Run]++
				continue
			}
			if kind == Accuracy {
				require.GreaterOrEqual(t, v, 0.0)
				require.LessOrEqual(t, v, 1.0)
				require.Equal(t, v, math.Round(v*10000)/10000, "accuracy is k/10000")
			} else {
				require.Equal(t, v, float64(float32(v)), "%s is float32-widened", w.Metrics[m])
			}
		}
	}
	for run, n := range nans {
		// Two loss metrics (loss, loss_2) × divergeNaN steps.
		require.Equal(t, 2*divergeNaN, n, "run %d", run)
	}
	require.NotEmpty(t, nans, "some run should diverge at this size")
}

func TestCurvesHaveShape(t *testing.T) {
	w, err := New(Spec{Name: "t", Runs: 1, Metrics: 3, Steps: 2000, Seed: 1})
	require.NoError(t, err)
	var first, last []float64
	require.NoError(t, w.Calls(func(c *Call) error {
		if c.Step < 50 {
			first = append(first, c.Values...)
		}
		if c.Step >= 1950 {
			last = append(last, c.Values...)
		}
		return nil
	}))
	mean := func(vs []float64, m int) float64 {
		s, n := 0.0, 0
		for i := m; i < len(vs); i += 3 {
			if vs[i] == vs[i] {
				s += vs[i]
				n++
			}
		}
		return s / float64(n)
	}
	require.Less(t, mean(last, 0), mean(first, 0), "loss decays")
	require.Greater(t, mean(last, 1), mean(first, 1), "accuracy rises")
	require.Less(t, mean(last, 2), mean(first, 2), "learning rate is scheduled down")
}

func TestParamsTyped(t *testing.T) {
	w, err := New(spec())
	require.NoError(t, err)
	r := w.Runs[0]
	require.Len(t, r.Params, 20)
	require.Len(t, r.Tags, 5)
	kinds := map[string]bool{}
	for _, v := range r.Params {
		switch v.(type) {
		case string:
			kinds["string"] = true
		case int64:
			kinds["int64"] = true
		case float64:
			kinds["float64"] = true
		case bool:
			kinds["bool"] = true
		}
	}
	require.Len(t, kinds, 4)
	require.Equal(t, "True", FormatParam(true))
	require.Equal(t, "1.0", FormatParam(1.0))
	require.Equal(t, "0.001", FormatParam(0.001))
	require.Equal(t, "64", FormatParam(int64(64)))
}

func TestValidate(t *testing.T) {
	require.Error(t, Spec{Name: "x"}.Validate())
	require.Error(t, Spec{Runs: 1, Metrics: 1, Steps: 1}.Validate())
	require.Error(t, Spec{Name: "x", Runs: 1, Metrics: 1, Steps: 1, Params: 21}.Validate())
	require.NoError(t, spec().Validate())
	require.Equal(t, "30 runs × 7 metrics × 400 steps, 10 at a time", spec().String())
}
