package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/trackdb/trackdb/engine"
)

// The demo's simulated sweep: a grid of CIFAR-10-like training runs whose
// curves look like the real thing, so that what the store holds (and what
// it costs) is what a tracker would see. Everything but the wall-clock
// dates is seeded: the same scale gives the same values.

// Sweep shape at scale 1: 32 runs × 40,000 steps × 3 metrics, plus 2 val
// metrics every demoEvery steps, less what the diverged runs never log:
// about 3.7 M points.
const (
	demoSteps    = 40000
	demoEvery    = 100 // steps between validation passes
	demoValSize  = 10000
	demoStepMsLo = 30 // wall time of a training step at batch 64, ms
)

var (
	demoLRs       = []float64{0.1, 0.03, 0.01, 0.003}
	demoBatches   = []int64{64, 256}
	demoOptimizer = []string{"sgd", "adam"}
	demoSeeds     = []int64{0, 1}
)

// trial is one run of the sweep and the hidden truths its curves follow.
type trial struct {
	index    int // position in the grid, the seed of its randomness
	id, name string
	lr       float64
	batch    int64
	opt      string
	seed     int64

	plateau float64 // val accuracy it converges to
	minLoss float64 // train loss it converges to
	valLoss float64 // val loss it converges to: above minLoss, it overfits
	tau     float64 // steps for the loss to fall by e
	diverge int     // step from which the loss blows up; -1 for never
	stepMs  float64 // mean wall time of a step
	startMs int64   // wall time of step 0
}

// sweep builds the grid. Adam at the largest learning rate and the small
// batch diverges: its loss overflows to Inf, then NaN, and the run fails.
func sweep(steps int, startMs int64) []*trial {
	var out []*trial
	for _, opt := range demoOptimizer {
		for _, lr := range demoLRs {
			for _, batch := range demoBatches {
				for _, seed := range demoSeeds {
					i := len(out)
					t := &trial{
						index: i,
						id:    fmt.Sprintf("run-%02d", i),
						name:  fmt.Sprintf("%s-lr%g-bs%d-s%d", opt, lr, batch, seed),
						lr:    lr, batch: batch, opt: opt, seed: seed,
						diverge: -1,
					}
					r := rand.New(rand.NewPCG(uint64(i), 42))
					// Each optimizer has a best learning rate; accuracy falls
					// off with the log-distance from it. Big batches generalize
					// a little worse.
					best := 0.03
					if opt == "adam" {
						best = 0.003
					}
					d := math.Log10(lr / best)
					t.plateau = 0.935 - 0.035*d*d - 0.008*float64(batch/256) + 0.004*r.NormFloat64()
					t.minLoss = 0.02 + 1.5*(0.95-t.plateau)
					t.valLoss = 0.18 + 3*(0.95-t.plateau)
					t.tau = float64(steps) * 0.12 * math.Sqrt(best/lr) * (1 + 0.1*r.Float64())
					if opt == "adam" && lr >= 0.1 && batch == 64 {
						t.diverge = int(float64(steps) * (0.3 + 0.1*r.Float64()))
					}
					t.stepMs = demoStepMsLo * math.Pow(float64(batch)/64, 0.7)
					t.startMs = startMs + int64(i)*37_000 + r.Int64N(5_000)
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// params returns the run's hyperparameters as a trainer would log them.
func (t *trial) params() map[string]any {
	sched := "step"
	if t.opt == "adam" {
		sched = "cosine"
	}
	return map[string]any{
		"lr": t.lr, "batch_size": t.batch, "optimizer": t.opt, "seed": t.seed,
		"model": "resnet18", "schedule": sched,
	}
}

// trainer produces a run's metrics step by step.
type trainer struct {
	t     *trial
	steps int
	r     *rand.Rand
	now   float64 // wall time, ms
	loss  float64 // last train loss, for the divergence

	train, val map[string]float64 // reused: Log does not keep the map
}

func newTrainer(t *trial, steps int) *trainer {
	return &trainer{
		t: t, steps: steps, r: rand.New(rand.NewPCG(uint64(t.index), 7)),
		now:   float64(t.startMs),
		train: make(map[string]float64, 3), val: make(map[string]float64, 2),
	}
}

// f32 widens through float32, since training metrics come out of float32
// tensors: the store must handle such values, and compresses them well.
func f32(x float64) float64 { return float64(float32(x)) }

// lr is the learning rate at step s: Adam warms up linearly over the first
// 2% of steps, then follows a cosine to zero; SGD steps down tenfold at
// half and three quarters of training.
func (tr *trainer) lr(s int) float64 {
	t, n := tr.t, float64(tr.steps)
	if t.opt == "adam" {
		warm := 0.02 * n
		if float64(s) < warm {
			return t.lr * float64(s+1) / warm
		}
		return t.lr * 0.5 * (1 + math.Cos(math.Pi*(float64(s)-warm)/(n-warm)))
	}
	switch {
	case float64(s) >= 0.75*n:
		return t.lr * 0.01
	case float64(s) >= 0.5*n:
		return t.lr * 0.1
	}
	return t.lr
}

// step computes the metrics of step s and advances the wall clock. It
// reports whether validation ran too.
func (tr *trainer) step(s int) (timeMs int64, validated bool) {
	t, r := tr.t, tr.r
	noise := math.Sqrt(64 / float64(t.batch)) // small batches are noisier
	progress := 1 - math.Exp(-float64(s)/t.tau)
	loss := t.minLoss + (math.Log(10)-t.minLoss)*math.Exp(-float64(s)/t.tau)
	loss *= math.Exp(0.06 * noise * r.NormFloat64())
	acc := 0.1 + (t.plateau+0.03-0.1)*progress + 0.015*noise*r.NormFloat64()
	if t.diverge >= 0 && s >= t.diverge {
		// Past the divergence the loss grows geometrically until float32
		// overflows to Inf; Inf - Inf in the next update makes it NaN.
		switch {
		case math.IsInf(tr.loss, 0) || math.IsNaN(tr.loss):
			loss = math.NaN()
		default:
			loss = max(tr.loss, 1) * 1.9
		}
		acc = 0.1 + 0.01*r.NormFloat64()
	}
	if loss > math.MaxFloat32 {
		loss = math.Inf(1) // what float32 arithmetic gives; Go leaves the conversion unspecified
	}
	tr.loss = f32(loss)
	tr.train["loss"] = tr.loss
	tr.train["acc"] = f32(min(max(acc, 0), 1))
	tr.train["lr"] = f32(tr.lr(s))

	tr.now += t.stepMs * (1 + 0.15*r.NormFloat64()*r.NormFloat64())
	timeMs = int64(tr.now)
	validated = (s+1)%demoEvery == 0 || s == tr.steps-1
	if validated {
		va := 0.1 + (t.plateau-0.1)*progress + 0.003*r.NormFloat64()
		vl := t.valLoss + (math.Log(10)-t.valLoss)*math.Exp(-float64(s)/t.tau) + 0.01*r.NormFloat64()
		if t.diverge >= 0 && s >= t.diverge {
			va, vl = 0.1+0.003*r.NormFloat64(), tr.loss*1.1 // Inf and NaN carry over
		}
		// Accuracy is correct/total computed in Python: a float64 k/10000,
		// not a float32.
		k := math.Round(min(max(va, 0), 1) * demoValSize)
		tr.val["acc"] = k / demoValSize
		tr.val["loss"] = f32(vl)
		tr.now += 2500 + 300*r.Float64() // the validation pass, timed after its step
	}
	return timeMs, validated
}

// valContext is the context of validation metrics: the same names as
// training, told apart by a context label, as Aim does.
var valContext = engine.Context{"subset": "val"}

// stopAfterNaN is how many steps a diverged run keeps logging NaN before
// its trainer gives up.
const stopAfterNaN = 20
