package systems

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/bench/gen"
)

// ingest opens name in a temp dir and logs all of w.
func ingest(t *testing.T, name string, w *gen.Workload) System {
	t.Helper()
	s, err := New(name)
	require.NoError(t, err)
	require.NoError(t, s.Open(t.TempDir(), w))
	require.NoError(t, s.CreateRuns())
	batch := make([]gen.Call, 0, max(w.Batch, 1))
	require.NoError(t, w.Calls(func(c *gen.Call) error {
		cc := *c
		cc.Values = append([]float64(nil), c.Values...)
		batch = append(batch, cc)
		if len(batch) < cap(batch) {
			return nil
		}
		err := s.Log(batch)
		batch = batch[:0]
		return err
	}))
	if len(batch) > 0 {
		require.NoError(t, s.Log(batch))
	}
	require.NoError(t, s.Flush())
	return s
}

func smallSweep(t *testing.T) *gen.Workload {
	w, err := gen.New(gen.Spec{Name: "sweep", Runs: 40, Metrics: 5, Steps: 120, Concurrent: 10, Params: 20, Tags: 5, Seed: 3})
	require.NoError(t, err)
	return w
}

// TestSystemsAgree logs the same workload into every system and checks
// that each reads back the same points and finds the same runs.
func TestSystemsAgree(t *testing.T) {
	w := smallSweep(t)
	q := SearchQuery{ParamKey: "optimizer", ParamValue: "adam", TagKey: "dataset", TagValue: "cifar10", Metric: "acc", Above: 0.3}
	var want []Digest
	var wantSearch, wantTop []string
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			s := ingest(t, name, w)
			defer func() { require.NoError(t, s.Close()) }()
			var got []Digest
			for run := range w.Runs {
				for m := range w.Metrics {
					d, err := s.Read(run, m)
					require.NoError(t, err)
					require.EqualValues(t, w.Steps, d.Points, "run %d metric %d", run, m)
					got = append(got, d)
				}
			}
			if want == nil {
				want = got
			} else {
				require.Equal(t, want, got, "points read back differ from trackdb's")
			}
			if sr, ok := s.(Searcher); ok {
				ids, err := sr.Search(q)
				require.NoError(t, err)
				top, err := sr.TopK("acc", 10)
				require.NoError(t, err)
				require.Len(t, top, 10)
				if wantSearch == nil {
					wantSearch, wantTop = ids, top
					require.NotEmpty(t, ids, "the query should match some runs")
				} else {
					require.Equal(t, wantSearch, ids)
					require.Equal(t, wantTop, top)
				}
			} else {
				require.NotEmpty(t, s.Missing(FigSearch))
			}
			_, isSearcher := s.(Searcher)
			require.True(t, isSearcher, "every system searches now")
			if c, ok := s.(Compactor); ok {
				n, _, err := c.Compact()
				require.NoError(t, err)
				require.Positive(t, n)
				d, err := s.Read(0, 0)
				require.NoError(t, err)
				require.Equal(t, want[0], d, "read after compaction")
			} else {
				require.NotEmpty(t, s.Missing(FigDiskCompact))
			}
		})
	}
}

// TestTrackdbXORBytes checks the raw chunk size is plausible.
func TestTrackdbXORBytes(t *testing.T) {
	w := smallSweep(t)
	s := ingest(t, "trackdb", w).(*Trackdb)
	defer s.Close()
	n, method, err := s.XORBytes()
	require.NoError(t, err)
	require.NotEmpty(t, method)
	perPoint := float64(n) / float64(w.Points())
	require.Greater(t, perPoint, 0.5)
	require.Less(t, perPoint, 9.0)
}

func TestDownsampleAgrees(t *testing.T) {
	w, err := gen.New(gen.Spec{Name: "long", Runs: 1, Metrics: 1, Steps: 20000, Batch: 1000, Seed: 5})
	require.NoError(t, err)
	q := DownsampleQuery{Run: 0, Metric: 0, FromStep: 5000, ToStep: 19999, Buckets: 100}
	var want *DownsampleResult
	for _, name := range []string{"sqlite", "pebble", "trackdb"} {
		s := ingest(t, name, w)
		res, err := s.(Downsampler).Downsample(q)
		require.NoError(t, err)
		require.NoError(t, s.Close())
		require.Equal(t, q.Buckets, res.Filled(), name)
		if name == "trackdb" {
			// Its minmax returns the extremes themselves, from buckets of
			// equal count between the first and last point: bucket edges
			// shift by a point or two, the spikes are the same.
			require.EqualValues(t, 2*q.Buckets+2, res.Points)
			require.Equal(t, extremes(*want), extremes(res))
			continue
		}
		require.EqualValues(t, 15000, res.Points, name)
		if want == nil {
			want = &res
		} else {
			require.Equal(t, *want, res, name)
		}
	}
}

// extremes returns the smallest and largest value of a downsample.
func extremes(r DownsampleResult) [2]float64 {
	out := [2]float64{r.Min[0], r.Max[0]}
	for i := range r.Min {
		out[0] = min(out[0], r.Min[i])
		out[1] = max(out[1], r.Max[i])
	}
	return out
}
