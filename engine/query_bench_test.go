package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// BenchmarkQuerySearch: among 10,000 runs, the best 10 by last(val/acc)
// with params.lr < 0.01 and tags.model = 'resnet', end to end (parse,
// plan, index, sort, run snapshots).
func BenchmarkQuerySearch(b *testing.B) {
	db := openMem(b, vfs.NewMem(), nil)
	rng := rand.New(rand.NewPCG(1, 2))
	lrs := []float64{0.1, 0.03, 0.01, 0.003, 0.001, 0.0003}
	models := []string{"resnet", "vgg", "vit", "mlp"}
	for i := range 10000 {
		id := fmt.Sprintf("run-%05d", i)
		_, err := db.CreateRun(RunSpec{ID: id, Experiment: "cifar", StartTime: 1,
			Params: map[string]any{"lr": lrs[rng.IntN(len(lrs))], "seed": int64(i % 5), "opt": "adam"},
			Tags:   map[string]string{"model": models[rng.IntN(len(models))]}})
		require.NoError(b, err)
		for s := range 3 {
			require.NoError(b, db.Log(id, int64(s), 1, map[string]float64{"val/acc": rng.Float64(), "loss": rng.Float64()}, nil))
		}
	}
	const text = `runs where params.lr < 0.01 and tags.model = 'resnet' order by last(val/acc) desc limit 10`
	res, err := db.Query(context.Background(), text)
	require.NoError(b, err)
	require.Len(b, res.Runs, 10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Query(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	}
}

// trainingCurve returns a noisy decaying loss with a spike, as float32
// values widened.
func trainingCurve(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		v := 2*math.Exp(-float64(i)/float64(n)*5) + 0.05*rng.NormFloat64()
		if rng.IntN(10000) == 0 {
			v *= 10
		}
		out[i] = float64(float32(v))
	}
	return out
}

// BenchmarkQueryDownsample: one series of 1,000,000 points downsampled to
// 1,000 (min/max buckets and LTTB), end to end: the chunks are decoded
// too.
func BenchmarkQueryDownsample(b *testing.B) {
	db := openMem(b, vfs.NewMem(), nil)
	rng := rand.New(rand.NewPCG(3, 4))
	_, err := db.CreateRun(RunSpec{ID: "big", StartTime: 1})
	require.NoError(b, err)
	vals := trainingCurve(rng, 1_000_000)
	batch := make([]Sample, 0, 10000)
	ref := SeriesRef(0)
	for i, v := range vals {
		if ref == 0 {
			require.NoError(b, db.Log("big", 0, 1, map[string]float64{"loss": v}, nil))
			s, err := db.LookupSeries("big", "loss", nil)
			require.NoError(b, err)
			ref = s.Ref
			continue
		}
		batch = append(batch, Sample{Ref: ref, Step: int64(i), Time: int64(1000 + i), Value: v})
		if len(batch) == cap(batch) {
			require.NoError(b, db.Append(batch))
			batch = batch[:0]
		}
	}
	require.NoError(b, db.Append(batch))
	// The floor: decoding the series' chunks, nothing kept.
	b.Run("method=read-only", func(b *testing.B) {
		for b.Loop() {
			it, err := db.Points(ref, MinStep, MaxStep)
			require.NoError(b, err)
			n := 0
			for it.Next() {
				n++
			}
			require.NoError(b, it.Close())
			require.Equal(b, 1_000_000, n)
		}
	})
	for _, method := range []string{"minmax", "lttb"} {
		b.Run("method="+method, func(b *testing.B) {
			text := `series loss where run_id = 'big' downsample 1000 ` + method
			res, err := db.Query(context.Background(), text)
			require.NoError(b, err)
			require.Len(b, res.Curves, 1)
			require.LessOrEqual(b, len(res.Curves[0].Points), 1000)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.Query(context.Background(), text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkQueryGroup: 100 runs in 10 groups by params.lr, 10,000 steps of
// loss each, mean and std per step, end to end.
func BenchmarkQueryGroup(b *testing.B) {
	db := openMem(b, vfs.NewMem(), nil)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 100 {
		id := fmt.Sprintf("g%03d", i)
		_, err := db.CreateRun(RunSpec{ID: id, StartTime: 1, Params: map[string]any{"lr": float64(i%10) / 100, "seed": int64(i / 10)}})
		require.NoError(b, err)
		require.NoError(b, db.Log(id, 0, 1, map[string]float64{"loss": 2}, nil))
		s, err := db.LookupSeries(id, "loss", nil)
		require.NoError(b, err)
		vals := trainingCurve(rng, 10000)
		batch := make([]Sample, 0, len(vals))
		for step := 1; step < len(vals); step++ {
			batch = append(batch, Sample{Ref: s.Ref, Step: int64(step), Time: int64(1000 + step), Value: vals[step]})
		}
		require.NoError(b, db.Append(batch))
	}
	const text = `series mean(loss), std(loss) group by params.lr`
	res, err := db.Query(context.Background(), text)
	require.NoError(b, err)
	require.Len(b, res.Curves, 20)
	require.Len(b, res.Curves[0].Points, 10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Query(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	}
}
