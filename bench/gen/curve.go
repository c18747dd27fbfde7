package gen

import (
	"fmt"
	"math"
)

// Kind is the shape of a metric's curve.
type Kind int

// Metric kinds, cycled through when a workload has many metrics.
const (
	Loss       Kind = iota // noisy exponential decay, float32; NaN while a run diverges
	Accuracy               // rising, decimal k/10000
	LR                     // learning-rate schedule, float32
	GradNorm               // noisy, slowly decaying, float32
	Throughput             // samples per second, noisy around a constant, float32
	numKinds
)

var kindNames = [numKinds]string{"loss", "acc", "lr", "grad_norm", "samples_per_sec"}

// String returns the kind's base metric name.
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// MetricName returns the name of metric i of a workload: the kinds in turn,
// numbered from their second round: loss, acc, lr, grad_norm,
// samples_per_sec, loss_2, acc_2, ...
func MetricName(i int) string {
	k := Kind(i % int(numKinds))
	if round := i / int(numKinds); round > 0 {
		return fmt.Sprintf("%s_%d", k, round+1)
	}
	return k.String()
}

// MetricKind returns the kind of metric i.
func MetricKind(i int) Kind { return Kind(i % int(numKinds)) }

// Divergence: a diverging run's loss grows for divergeGrow steps, is NaN
// for divergeNaN steps, then the run resumes from a checkpoint.
const (
	divergeGrow = 10
	divergeNaN  = 3
)

// series is the generator state of one (run, metric) curve.
type series struct {
	kind  Kind
	rng   splitmix
	level float64 // start value (loss, grad norm), ceiling (accuracy), base (lr, throughput)
	floor float64 // loss floor
	decay float64 // current exp(-k·t)
	rate  float64 // per-step decay factor
	noise float64 // relative noise
	sched int     // lr schedule: 0 warmup+cosine, 1 step decay
}

func newSeries(kind Kind, rng splitmix, steps int64, baseLR float64, sched int) series {
	s := series{kind: kind, rng: rng, decay: 1, sched: sched}
	k := s.rng.between(3, 7) // curves settle within the run
	s.rate = math.Exp(-k / float64(max(steps, 1)))
	switch kind {
	case Loss:
		s.level, s.floor, s.noise = s.rng.between(1.5, 3.5), s.rng.between(0.02, 0.4), s.rng.between(0.02, 0.08)
	case Accuracy:
		s.level, s.noise = s.rng.between(0.6, 0.98), s.rng.between(0.005, 0.02)
	case LR:
		s.level = baseLR
	case GradNorm:
		s.level, s.noise = s.rng.between(2, 12), s.rng.between(0.1, 0.3)
	case Throughput:
		s.level, s.noise = s.rng.between(400, 4000), s.rng.between(0.01, 0.04)
	}
	return s
}

// value returns the point at step (the caller walks steps in order) of a
// run whose divergence, if any, starts at diverge (-1: never).
func (s *series) value(step, steps, diverge int64) float64 {
	d := s.decay
	s.decay *= s.rate
	switch s.kind {
	case Loss:
		v := (s.floor + s.level*d) * (1 + s.noise*s.rng.normal())
		if diverge >= 0 && step >= diverge && step < diverge+divergeGrow+divergeNaN {
			if i := step - diverge; i < divergeGrow {
				v *= math.Pow(1.8, float64(i+1))
			} else {
				return math.NaN()
			}
		}
		return f32(v)
	case Accuracy:
		v := s.level*(1-d) + s.noise*s.rng.normal()
		return decimal(min(max(v, 0), 1))
	case LR:
		return f32(s.level * lrShape(s.sched, step, steps))
	case GradNorm:
		return f32(s.level * (0.2 + d) * (1 + s.noise*s.rng.normal()))
	default: // Throughput
		return f32(s.level * (1 + s.noise*s.rng.normal()))
	}
}

// lrShape is the schedule's multiplier at step: linear warmup over the
// first 2% then cosine to zero, or step decay by 10× at 50% and 75%.
func lrShape(sched int, step, steps int64) float64 {
	x := float64(step) / float64(max(steps, 1))
	if sched == 1 {
		switch {
		case x < 0.5:
			return 1
		case x < 0.75:
			return 0.1
		default:
			return 0.01
		}
	}
	const warm = 0.02
	if x < warm {
		return (x + 1/float64(max(steps, 1))) / warm
	}
	return 0.5 * (1 + math.Cos(math.Pi*(x-warm)/(1-warm)))
}
