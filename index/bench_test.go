package index

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// The benchmark workload: 100,000 runs in 20 experiments (sweeps create
// their runs together, so an experiment's ordinals are contiguous), each
// with the 6 attributes, 20 typed params (ints, floats, strings and bools;
// the learning rate is drawn log-uniformly, so every run has its own), 5
// tags and summaries of 10 metrics in the default context.

const benchRuns = 100_000

type benchParam struct {
	key  string
	vals func(r *rand.Rand, o uint32) Value
}

func choice(vs ...Value) func(*rand.Rand, uint32) Value {
	return func(r *rand.Rand, _ uint32) Value { return vs[r.IntN(len(vs))] }
}

var benchParams = []benchParam{
	{"lr", func(r *rand.Rand, _ uint32) Value { return Float(math.Pow(10, -5+4*r.Float64())) }},
	{"batch_size", choice(Int(16), Int(32), Int(64), Int(128), Int(256))},
	{"layers", choice(Int(18), Int(34), Int(50), Int(101), Int(152))},
	{"dropout", choice(Float(0), Float(0.1), Float(0.2), Float(0.3), Float(0.5))},
	{"seed", func(r *rand.Rand, _ uint32) Value { return Int(int64(r.IntN(100000))) }},
	{"optimizer", choice(String("adam"), String("sgd"), String("adamw"), String("rmsprop"))},
	{"weight_decay", choice(Float(0), Float(1e-4), Float(5e-4), Float(1e-3))},
	{"epochs", choice(Int(10), Int(50), Int(100), Int(200))},
	{"warmup_steps", choice(Int(0), Int(500), Int(1000))},
	{"momentum", choice(Float(0.9), Float(0.95), Float(0.99))},
	{"model", choice(String("resnet18"), String("resnet50"), String("vit-b16"), String("vit-l16"), String("convnext-t"))},
	{"dataset", choice(String("cifar10"), String("cifar100"), String("imagenet"))},
	{"augment", choice(Bool(true), Bool(false))},
	{"label_smoothing", choice(Float(0), Float(0.1))},
	{"grad_clip", choice(Float(0.5), Float(1), Float(5))},
	{"scheduler", choice(String("cosine"), String("step"), String("linear"))},
	{"hidden_dim", choice(Int(128), Int(256), Int(512), Int(1024))},
	{"heads", choice(Int(4), Int(8), Int(16))},
	{"beta2", choice(Float(0.98), Float(0.999))},
	{"amp", choice(Bool(true), Bool(false))},
}

var benchMetrics = []string{"loss", "acc", "val/loss", "val/acc", "lr", "grad_norm", "epoch", "throughput", "gpu_mem", "val/f1"}

func hex(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

// buildBenchHead fills a head with the workload.
func buildBenchHead(n int) *Head {
	r := rand.New(rand.NewPCG(1, 2))
	h := NewHead()
	var commits, hosts, users []string
	for i := range 2000 {
		commits = append(commits, hex(r, 40))
		if i < 500 {
			hosts = append(hosts, fmt.Sprintf("gpu-node-%03d.cluster.local", i))
		}
		if i < 50 {
			users = append(users, fmt.Sprintf("user%02d", i))
		}
	}
	series := make([]SeriesID, len(benchMetrics))
	for i, m := range benchMetrics {
		series[i] = h.Series(m, "")
	}
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	for o := uint32(0); o < uint32(n); o++ {
		must(h.Set(o, Attr(AttrRunID), String(hex(r, 32))))
		must(h.Set(o, Attr(AttrExperiment), String(fmt.Sprintf("exp-%02d", int(o)*20/n))))
		must(h.Set(o, Attr(AttrName), String(fmt.Sprintf("sweep-%d-trial-%d", int(o)/500, o%500))))
		status := "finished"
		switch x := r.IntN(20); {
		case x == 0:
			status = "running"
		case x < 3:
			status = "failed"
		case x < 4:
			status = "killed"
		}
		must(h.Set(o, Attr(AttrStatus), String(status)))
		start := 1_700_000_000_000 + int64(o)*60_000
		must(h.Set(o, Attr(AttrStartTime), Int(start)))
		if status != "running" {
			must(h.Set(o, Attr(AttrEndTime), Int(start+int64(r.IntN(86_400_000)))))
		}
		for _, p := range benchParams {
			must(h.Set(o, Param(p.key), p.vals(r, o)))
		}
		must(h.Set(o, Tag("user"), String(users[r.IntN(len(users))])))
		must(h.Set(o, Tag("git_commit"), String(commits[r.IntN(len(commits))])))
		must(h.Set(o, Tag("host"), String(hosts[r.IntN(len(hosts))])))
		must(h.Set(o, Tag("priority"), String([]string{"low", "medium", "high"}[r.IntN(3)])))
		must(h.Set(o, Tag("mlflow.source.name"), String([]string{"train.py", "sweep.py", "finetune.py"}[r.IntN(3)])))
		for i, id := range series {
			v := r.Float64()
			if benchMetrics[i] == "val/acc" && r.IntN(100) == 0 {
				v = math.NaN() // a diverged run
			}
			must(h.SetSummary(o, id, Summary{Count: int64(1000 + r.IntN(9000)), Last: v, Min: v / 2, Max: v + 0.5}))
		}
	}
	return h
}

var (
	benchOnce  sync.Once
	benchHead  *Head
	benchBlock *Block
	benchMem   float64 // heap bytes per run of the head
	benchBytes float64 // serialized bytes per run
)

func benchData(b *testing.B) (*Head, *Block) {
	benchOnce.Do(func() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		benchHead = buildBenchHead(benchRuns)
		runtime.GC()
		runtime.ReadMemStats(&after)
		benchMem = float64(after.HeapAlloc-before.HeapAlloc) / benchRuns
		data, err := benchHead.Marshal()
		if err != nil {
			panic(err)
		}
		benchBytes = float64(len(data)) / benchRuns
		if benchBlock, err = Load(data); err != nil {
			panic(err)
		}
		// Build the sorted views the benchmarks use and pay the GC debt of
		// building, so that the timed loops measure queries alone;
		// BenchmarkViewBuild measures the one-time cost.
		for _, v := range []*View{NewView(benchHead), NewView(nil, benchBlock)} {
			if _, err := v.Select(benchConjunction); err != nil {
				panic(err)
			}
		}
		runtime.GC()
	})
	return benchHead, benchBlock
}

// benchConjunction is the three-predicate search of the issue: a numeric
// range on a param, a tag equality and an experiment equality.
var benchConjunction = And{
	Cond{Field: Param("lr"), Op: OpLt, Value: Float(0.001)},
	Cond{Field: Tag("priority"), Op: OpEq, Value: String("high")},
	Cond{Field: Attr(AttrExperiment), Op: OpEq, Value: String("exp-07")},
}

// layers returns the head-only and block-only views, for sub-benchmarks.
func benchViews(b *testing.B) []struct {
	name string
	v    *View
} {
	h, blk := benchData(b)
	return []struct {
		name string
		v    *View
	}{{"head", NewView(h)}, {"block", NewView(nil, blk)}}
}

// loopLatency runs fn in b.Loop and reports the median and 99th percentile
// of the iterations' times.
func loopLatency(b *testing.B, fn func()) {
	b.ReportAllocs()
	var times []time.Duration
	for b.Loop() {
		t0 := time.Now()
		fn()
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}

func BenchmarkConjunction(b *testing.B) {
	for _, x := range benchViews(b) {
		b.Run(x.name, func(b *testing.B) {
			var n uint64
			loopLatency(b, func() {
				r, err := x.v.Select(benchConjunction)
				if err != nil {
					b.Fatal(err)
				}
				n = r.GetCardinality()
			})
			b.ReportMetric(float64(n), "runs")
		})
	}
}

func BenchmarkTopK(b *testing.B) {
	keys := []SortKey{{Field: Metric("val/acc", "", StatLast), Desc: true}}
	for _, x := range benchViews(b) {
		matched, err := x.v.Select(benchConjunction)
		if err != nil {
			b.Fatal(err)
		}
		for _, among := range []struct {
			name string
			set  *roaring.Bitmap
		}{{"matched", matched}, {"all", x.v.Runs()}} {
			b.Run(fmt.Sprintf("%s/among=%s", x.name, among.name), func(b *testing.B) {
				loopLatency(b, func() {
					top, err := x.v.Sort(among.set, keys, 0, 10)
					if err != nil || len(top) != 10 {
						b.Fatal(err, len(top))
					}
				})
				b.ReportMetric(float64(among.set.GetCardinality()), "runs")
			})
		}
	}
}

func BenchmarkRegex(b *testing.B) {
	for _, x := range benchViews(b) {
		for _, q := range []struct {
			name string
			c    Cond
		}{
			{"tag=git_commit/anchored", Cond{Field: Tag("git_commit"), Op: OpRegex, Pattern: "^3f[0-9]"}},
			{"tag=git_commit/unanchored", Cond{Field: Tag("git_commit"), Op: OpRegex, Pattern: "ab+c"}},
			{"tag=host/unanchored", Cond{Field: Tag("host"), Op: OpRegex, Pattern: `node-0[0-4]\d\.`}},
			{"attr=name/unique", Cond{Field: Attr(AttrName), Op: OpRegex, Pattern: "trial-4[0-9]$"}},
			{"param=lr/like", Cond{Field: Param("lr"), Op: OpLike, Pattern: "0.000%"}},
		} {
			b.Run(x.name+"/"+q.name, func(b *testing.B) {
				var n uint64
				loopLatency(b, func() {
					r, err := x.v.Select(q.c)
					if err != nil {
						b.Fatal(err)
					}
					n = r.GetCardinality()
				})
				b.ReportMetric(float64(n), "runs")
			})
		}
	}
}

// BenchmarkMemory reports the head's heap bytes per run as built, and the
// serialized size per run. Building is not timed; the loop is a cheap
// lookup so that the metric is reported with the usual tooling.
func BenchmarkMemory(b *testing.B) {
	h, _ := benchData(b)
	v := NewView(h)
	for b.Loop() {
		_ = v.Runs()
	}
	b.ReportMetric(benchMem, "heap-B/run")
	b.ReportMetric(benchBytes, "block-B/run")
}

// BenchmarkMemoryAllViews builds every sorted view (a range query on every
// numeric param and every statistic of every metric) on a fresh head and
// reports the heap per run then: the worst case of lazily built state.
func BenchmarkMemoryAllViews(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		h := buildBenchHead(benchRuns)
		v := NewView(h)
		for _, p := range benchParams {
			if _, err := v.Select(Cond{Field: Param(p.key), Op: OpGt, Value: Int(0)}); err != nil {
				b.Fatal(err)
			}
			if _, err := v.Select(Cond{Field: Param(p.key), Op: OpGt, Value: String("m")}); err != nil {
				b.Fatal(err)
			}
		}
		for _, m := range benchMetrics {
			for st := StatLast; st <= StatCount; st++ {
				if _, err := v.Select(Cond{Field: Metric(m, "", st), Op: OpGt, Value: Int(0)}); err != nil {
					b.Fatal(err)
				}
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/benchRuns, "heap-B/run")
		runtime.KeepAlive(h)
	}
}

// BenchmarkSetSummary is the engine's per-append update of a running run's
// summary, before and after the series' sorted views exist.
func BenchmarkSetSummary(b *testing.B) {
	for _, views := range []bool{false, true} {
		b.Run(fmt.Sprintf("views=%v", views), func(b *testing.B) {
			h := NewHead()
			id := h.Series("loss", "")
			for o := range uint32(10_000) {
				if err := h.SetSummary(o, id, Summary{Count: 1, Last: float64(o)}); err != nil {
					b.Fatal(err)
				}
			}
			if views {
				if _, err := NewView(h).Select(Cond{Field: Metric("loss", "", StatLast), Op: OpGt, Value: Int(5)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				o := uint32(9_900 + i%100) // the running runs
				i++
				if err := h.SetSummary(o, id, Summary{Count: int64(i), Last: float64(i)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkViewBuild is the first range query on a param of the head:
// building its sorted view of 100,000 floats, which later queries reuse.
func BenchmarkViewBuild(b *testing.B) {
	h, _ := benchData(b)
	v := NewView(h)
	c := Cond{Field: Param("lr"), Op: OpLt, Value: Float(0.001)}
	col := h.mu.fields[fieldKey{FieldParam, "lr"}].floats
	b.ReportAllocs()
	for b.Loop() {
		h.mu.Lock()
		col.view.reset()
		h.mu.Unlock()
		if _, err := v.Select(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad is opening a block: the header and directories only.
func BenchmarkLoad(b *testing.B) {
	_, blk := benchData(b)
	b.SetBytes(int64(len(blk.data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(blk.data); err != nil {
			b.Fatal(err)
		}
	}
}
