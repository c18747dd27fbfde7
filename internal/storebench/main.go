// Command storebench measures the engine on a large store in separate
// processes, so that open time and resident memory are those of a fresh
// process:
//
//	go run ./internal/storebench build -dir D [-runs 1000 -metrics 20 -steps 5000]
//	go run ./internal/storebench open -dir D
//
// build logs the training workload (one Log call per run per step with all
// metrics, runs interleaved), then compacts, and prints ingest and
// compaction throughput and bytes per point. open reopens the store and
// prints open time, resident memory after open, and the rate of reading
// every point of every series.
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/trackdb/trackdb/engine"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: storebench build|open -dir D [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "", "store directory")
	runs := fs.Int("runs", 1000, "runs")
	metrics := fs.Int("metrics", 20, "metrics per run")
	steps := fs.Int("steps", 5000, "steps per run")
	_ = fs.Parse(os.Args[2:])
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "storebench: -dir is required")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "build":
		err = build(*dir, *runs, *metrics, *steps)
	case "open":
		err = open(*dir)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "storebench:", err)
		os.Exit(1)
	}
}

// curve returns run r's metric m at step s: float32 values widened to
// float64, decaying noisy losses, rising accuracies, a stepped lr.
func curve(rng *rand.Rand, r, m, s, steps int) float64 {
	x := float64(s) / float64(steps)
	var v float64
	switch m % 4 {
	case 0: // loss
		v = (2.3*math.Exp(-3*x*(1+float64(r%7)/7)) + 0.05) * (1 + 0.08*rng.NormFloat64())
	case 1: // accuracy
		v = (0.95 - 0.85*math.Exp(-4*x)) * (1 + 0.01*rng.NormFloat64())
	case 2: // learning rate schedule
		v = 0.1 * math.Pow(0.1, math.Floor(x*3))
	default: // gradient norm
		v = math.Abs(1 + 0.5*rng.NormFloat64())
	}
	return float64(float32(v))
}

func build(dir string, runs, metrics, steps int) error {
	db, err := engine.Open(dir, nil)
	if err != nil {
		return err
	}
	ids := make([]string, runs)
	for r := range ids {
		ids[r], err = db.CreateRun(engine.RunSpec{ID: fmt.Sprintf("run-%05d", r), Experiment: "storebench",
			Params: map[string]any{"lr": 0.1 / float64(1+r%10), "seed": r}})
		if err != nil {
			return err
		}
	}
	names := make([]string, metrics)
	for m := range names {
		names[m] = fmt.Sprintf("metric_%02d", m)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	vals := make(map[string]float64, metrics)
	var maxStall time.Duration
	start := time.Now()
	t0 := int64(1_700_000_000_000)
	for s := range steps {
		for r := range runs {
			for m, n := range names {
				vals[n] = curve(rng, r, m, s, steps)
			}
			ts := t0 + int64(s)*1000 + int64(r)*3 + int64(s*7+r)%40
			callStart := time.Now()
			if err := db.Log(ids[r], int64(s), ts, vals, nil); err != nil {
				return err
			}
			if d := time.Since(callStart); d > maxStall {
				maxStall = d
			}
		}
	}
	ingest := time.Since(start)
	points := int64(runs) * int64(metrics) * int64(steps)
	before, err := db.Stats()
	if err != nil {
		return err
	}
	start = time.Now()
	if err := db.Compact(); err != nil {
		return err
	}
	compact := time.Since(start)
	st, err := db.Stats()
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Printf("points            %d (%d runs x %d metrics x %d steps)\n", points, runs, metrics, steps)
	fmt.Printf("ingest            %v, %.2f M points/s including value generation (Log, %d metrics a call, interval sync, background compaction on)\n",
		ingest.Round(time.Millisecond), float64(points)/ingest.Seconds()/1e6, metrics)
	fmt.Printf("longest Log call  %v (background flushes and merges ran meanwhile)\n", maxStall.Round(time.Microsecond))
	fmt.Printf("final compaction  %v for %d head points + merge of %d blocks: %.1f M points/s over the store\n",
		compact.Round(time.Millisecond), before.HeadPoints, len(before.Blocks), float64(points)/compact.Seconds()/1e6)
	fmt.Printf("on disk           %d bytes, %.3f bytes/point (%d block(s), WAL %d bytes)\n",
		st.DiskBytes(), st.BytesPerPoint(), len(st.Blocks), st.WALBytes)
	var chunkBytes int64
	for _, b := range st.Blocks {
		chunkBytes += b.ChunkBytes
	}
	fmt.Printf("chunks file       %.3f bytes/point\n", float64(chunkBytes)/float64(points))
	return nil
}

func open(dir string) error {
	start := time.Now()
	db, err := engine.Open(dir, nil)
	if err != nil {
		return err
	}
	openTime := time.Since(start)
	rss := residentKiB()
	runs, err := db.Runs()
	if err != nil {
		return err
	}
	start = time.Now()
	var points int64
	var sum float64
	for _, r := range runs {
		series, err := db.SeriesOf(r.ID)
		if err != nil {
			return err
		}
		for _, s := range series {
			it, err := db.Points(s.Ref, engine.MinStep, engine.MaxStep)
			if err != nil {
				return err
			}
			for it.Next() {
				sum += it.At().Value
				points++
			}
			if err := it.Err(); err != nil {
				return err
			}
			it.Close()
		}
	}
	read := time.Since(start)
	fmt.Printf("open              %v (replayed %d points)\n", openTime.Round(time.Microsecond), db.Replayed().Points)
	fmt.Printf("resident after open %.1f MiB\n", float64(rss)/1024)
	fmt.Printf("read all          %d points in %v: %.1f M points/s (checksum %.3g)\n", points, read.Round(time.Millisecond),
		float64(points)/read.Seconds()/1e6, sum)
	fmt.Printf("peak resident     %.1f MiB\n", float64(peakKiB())/1024)
	if err := db.Close(); err != nil {
		return err
	}
	rep, err := engine.Verify(dir, nil)
	if err != nil {
		return err
	}
	st := float64(points)
	fmt.Printf("bytes per point   XOR chunks (values+steps) %.3f, time refs %.3f, timelines (wall times) %.3f, framing+CRC %.3f\n",
		float64(rep.XORBytes)/st, float64(rep.RefBytes)/st, float64(rep.TimelineBytes)/st, float64(rep.FramingBytes)/st)
	fmt.Printf("verify            %d problems\n", len(rep.Problems))
	return nil
}

func statusKiB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, field+":")), "%d", &kb)
			return kb
		}
	}
	return -1
}

func residentKiB() int64 { return statusKiB("VmRSS") }
func peakKiB() int64     { return statusKiB("VmHWM") }
