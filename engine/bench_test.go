package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// curveTable returns float32-derived values shaped like training curves, so
// the benchmarks compress as real data would.
func curveTable(metric, n int) []float64 {
	rng := rand.New(rand.NewPCG(uint64(metric), 7))
	out := make([]float64, n)
	for i := range out {
		x := float64(i) / float64(n)
		base := 2.5*math.Exp(-4*x) + 0.1
		if metric%2 == 1 {
			base = 1 - base/3
		}
		out[i] = float64(float32(base * (1 + 0.05*rng.NormFloat64())))
	}
	return out
}

const benchMetrics = 20

var benchNames = func() []string {
	names := make([]string, benchMetrics)
	for i := range names {
		names[i] = fmt.Sprintf("metric_%02d", i)
	}
	return names
}()

// BenchmarkLog is the training-loop path: one Log call per run per step
// carrying 20 metrics, runs interleaved, WAL on with the default interval
// sync, on the real filesystem.
func BenchmarkLog(b *testing.B) {
	for _, runs := range []int{1, 100} {
		b.Run(fmt.Sprintf("runs=%d", runs), func(b *testing.B) {
			db, err := Open(b.TempDir(), nil)
			require.NoError(b, err)
			defer db.Close()
			ids := make([]string, runs)
			for i := range ids {
				ids[i], err = db.CreateRun(RunSpec{ID: fmt.Sprintf("run-%d", i)})
				require.NoError(b, err)
			}
			table := make([][]float64, benchMetrics)
			for m := range table {
				table[m] = curveTable(m, 4096)
			}
			m := make(map[string]float64, benchMetrics)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				run := i % runs
				step := int64(i / runs)
				for k, name := range benchNames {
					m[name] = table[k][(int(step)+run)&4095]
				}
				if err := db.Log(ids[run], step, 1_700_000_000_000+step*250+int64(i%7), m, nil); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(i*benchMetrics)/b.Elapsed().Seconds(), "points/s")
			if size, err := db.wal.Size(); err == nil {
				b.ReportMetric(float64(size)/float64(i*benchMetrics), "walB/point")
			}
		})
	}
}

// BenchmarkAppend is the importers' path: batches of 10,000 samples,
// series after series, through refs.
func BenchmarkAppend(b *testing.B) {
	db, err := Open(b.TempDir(), nil)
	require.NoError(b, err)
	defer db.Close()
	const runs = 50
	var refs []SeriesRef
	for r := range runs {
		id, err := db.CreateRun(RunSpec{ID: fmt.Sprintf("run-%d", r)})
		require.NoError(b, err)
		for _, name := range benchNames {
			ref, err := db.Series(id, name, nil)
			require.NoError(b, err)
			refs = append(refs, ref)
		}
	}
	table := curveTable(1, 4096)
	const batch = 10000
	samples := make([]Sample, batch)
	steps := make([]int64, len(refs))
	b.ReportAllocs()
	points := 0
	si := 0
	for b.Loop() {
		// 500 consecutive points of one series, then the next series.
		for i := range samples {
			if i%500 == 0 {
				si = (si + 1) % len(refs)
			}
			st := steps[si]
			steps[si]++
			samples[i] = Sample{Ref: refs[si], Step: st, Time: 1_700_000_000_000 + st*250, Value: table[st&4095]}
		}
		if err := db.Append(samples); err != nil {
			b.Fatal(err)
		}
		points += batch
	}
	b.ReportMetric(float64(points)/b.Elapsed().Seconds(), "points/s")
}

// BenchmarkReplay measures Open on a store whose WAL holds 2 M points
// logged as training loops log them (100 runs x 20 metrics x 1000 steps).
func BenchmarkReplay(b *testing.B) {
	dir := b.TempDir()
	db, err := Open(dir, nil)
	require.NoError(b, err)
	const runs, steps = 100, 1000
	table := curveTable(3, 4096)
	m := make(map[string]float64, benchMetrics)
	for r := range runs {
		_, err := db.CreateRun(RunSpec{ID: fmt.Sprintf("run-%d", r)})
		require.NoError(b, err)
	}
	for s := range int64(steps) {
		for r := range runs {
			for k, name := range benchNames {
				m[name] = table[(int(s)+k+r)&4095]
			}
			require.NoError(b, db.Log(fmt.Sprintf("run-%d", r), s, 1_700_000_000_000+s*250, m, nil))
		}
	}
	require.NoError(b, db.Close())
	b.ReportAllocs()
	var points int64
	var replay time.Duration
	for b.Loop() {
		db, err := Open(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		points += db.Replayed().Points
		replay += db.Replayed().Duration
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	// points/s counts the whole Open and Close, fsyncs of the directory
	// and the new segment included, which this VM's disk makes noisy;
	// replay-points/s counts the replay alone.
	b.ReportMetric(float64(points)/b.Elapsed().Seconds(), "points/s")
	b.ReportMetric(float64(points)/replay.Seconds(), "replay-points/s")
}

// BenchmarkHeadMemory reports the head's memory per series beyond chunk
// bytes: 1,000 runs x 20 series with 10 points each.
func BenchmarkHeadMemory(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		db, err := Open(b.TempDir(), &Options{Sync: SyncNever})
		require.NoError(b, err)
		m := make(map[string]float64, benchMetrics)
		const runs = 1000
		for r := range runs {
			id, err := db.CreateRun(RunSpec{ID: fmt.Sprintf("run-%d", r)})
			require.NoError(b, err)
			for s := range int64(10) {
				for _, name := range benchNames {
					m[name] = float64(s)
				}
				require.NoError(b, db.Log(id, s, s, m, nil))
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		db.mu.RLock()
		chunkBytes := 0
		series := 0
		for _, s := range db.mu.head.series {
			if s != nil {
				chunkBytes += s.chunkBytes()
				series++
			}
		}
		db.mu.RUnlock()
		heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		b.ReportMetric(float64(heap-int64(chunkBytes))/float64(series), "B/series")
		b.ReportMetric(float64(chunkBytes)/float64(series), "chunkB/series")
		require.NoError(b, db.Close())
	}
}
