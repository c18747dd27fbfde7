package query

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func curve(n int, seed uint64) []Point {
	rng := rand.New(rand.NewPCG(seed, 7))
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{Step: int64(i), Time: int64(1000 + i), Value: math.Exp(-float64(i)/float64(n)) + 0.1*rng.NormFloat64()}
	}
	return pts
}

func TestMinMaxKeepsExtremesAndEnds(t *testing.T) {
	for _, n := range []int{10, 999, 1000, 1001, 12345} {
		pts := curve(n, uint64(n))
		pts[n/3].Value = 100 // a spike
		pts[n/2].Value = -100
		for _, m := range []int{2, 3, 4, 7, 100, 1000} {
			out := MinMax(pts, m)
			require.LessOrEqual(t, len(out), max(m, min(n, m)))
			require.Equal(t, pts[0], out[0])
			require.Equal(t, pts[n-1], out[len(out)-1])
			for i := 1; i < len(out); i++ {
				require.Less(t, out[i-1].Step, out[i].Step, "step order")
			}
			if m >= 4 && n > m {
				require.Contains(t, out, pts[n/3], "n=%d m=%d keeps the spike", n, m)
				require.Contains(t, out, pts[n/2], "n=%d m=%d keeps the dip", n, m)
			}
			require.Equal(t, out, MinMax(pts, m), "deterministic")
		}
	}
}

func TestMinMaxKeepsNaN(t *testing.T) {
	pts := curve(1000, 1)
	pts[500].Value = math.NaN()
	out := MinMax(pts, 10)
	found := false
	for _, p := range out {
		found = found || math.IsNaN(p.Value)
	}
	require.True(t, found, "a diverging loss stays visible")
}

func TestLTTB(t *testing.T) {
	for _, n := range []int{5, 1000, 4321} {
		pts := curve(n, uint64(n))
		pts[n/2].Value = 50
		for _, m := range []int{2, 3, 10, 500} {
			out := LTTB(pts, m)
			require.LessOrEqual(t, len(out), m)
			require.Equal(t, pts[0], out[0])
			require.Equal(t, pts[n-1], out[len(out)-1])
			for i := 1; i < len(out); i++ {
				require.Less(t, out[i-1].Step, out[i].Step)
			}
			if m >= 10 && n > m {
				require.Contains(t, out, pts[n/2], "keeps the spike")
			}
		}
	}
}

func TestEMA(t *testing.T) {
	pts := []Point{{Value: 4}, {Value: 3}, {Value: math.Inf(1)}, {Value: 9}, {Value: 2}}
	EMA(pts, 0.5)
	require.Equal(t, 4.0, pts[0].Value, "debiased: the first value is itself")
	require.InDelta(t, (0.5*2+0.5*3)/0.75, pts[1].Value, 1e-12)
	require.True(t, math.IsInf(pts[2].Value, 1), "non-finite values pass through")
	require.InDelta(t, (0.5*2.5+0.5*9)/0.875, pts[3].Value, 1e-12)

	flat := []Point{{Value: 1}, {Value: 1}, {Value: 1}}
	EMA(flat, 0.9)
	require.Equal(t, []Point{{Value: 1}, {Value: 1}, {Value: 1}}, flat)
}

// BenchmarkDownsample reduces a 1,000,000-point slice to 1,000 points,
// the downsampling alone (no decoding).
func BenchmarkDownsample(b *testing.B) {
	pts := curve(1_000_000, 1)
	for _, m := range []struct {
		name string
		f    func([]Point, int) []Point
	}{{"minmax", MinMax}, {"lttb", LTTB}} {
		b.Run("method="+m.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(m.f(pts, 1000)) > 1000 {
					b.Fatal("too many points")
				}
			}
		})
	}
}

func TestMinMaxStreamEqualsMinMax(t *testing.T) {
	for _, total := range []int{0, 1, 2, 3, 4, 5, 9, 10, 11, 100, 1001, 4097} {
		pts := curve(total, uint64(total)+3)
		if total > 7 {
			pts[total/2].Value = math.NaN()
		}
		for _, n := range []int{2, 3, 4, 5, 6, 10, 11, 100, 5000} {
			s := newMinMaxStream(total, n)
			for _, p := range pts {
				s.add(p)
			}
			got, ok := s.done()
			require.True(t, ok)
			want := MinMax(pts, n)
			require.Equal(t, len(want), len(got), "total=%d n=%d", total, n)
			for i := range want {
				require.Equal(t, want[i].Step, got[i].Step, "total=%d n=%d i=%d", total, n, i)
			}
		}
	}
	s := newMinMaxStream(10, 4)
	for _, p := range curve(9, 1) {
		s.add(p)
	}
	_, ok := s.done()
	require.False(t, ok, "a short count is reported")
}
