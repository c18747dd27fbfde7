package gen

import "fmt"

// runTraits are the hidden facts of a run that both its params and its
// curves depend on.
type runTraits struct {
	lr        float64
	scheduler int // 0 cosine, 1 step
	optimizer string
	dataset   string
}

// Optimizers, datasets and schedulers the runs draw from; Search
// predicates name them.
var (
	Optimizers = []string{"adam", "adamw", "sgd"}
	Datasets   = []string{"cifar10", "cifar100", "imagenet", "mnist"}
	Schedulers = []string{"cosine", "step"}
	models     = []string{"resnet18", "resnet50", "vit-b16", "convnext-t"}
)

func newTraits(rng *splitmix) runTraits {
	lrs := []float64{0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001}
	return runTraits{
		lr:        lrs[rng.next()%uint64(len(lrs))],
		scheduler: int(rng.next() % uint64(len(Schedulers))),
		optimizer: Optimizers[rng.next()%uint64(len(Optimizers))],
		dataset:   Datasets[rng.next()%uint64(len(Datasets))],
	}
}

// paramGens make the params of a run, in order; a workload with N params
// uses the first N. Types cover string, int64, float64 and bool, and one
// name is dotted as a flattened nested config would be.
var paramGens = []struct {
	name string
	make func(t runTraits, rng *splitmix) any
}{
	{"lr", func(t runTraits, _ *splitmix) any { return t.lr }},
	{"optimizer", func(t runTraits, _ *splitmix) any { return t.optimizer }},
	{"scheduler", func(t runTraits, _ *splitmix) any { return Schedulers[t.scheduler] }},
	{"batch_size", func(_ runTraits, r *splitmix) any { return int64(16) << (r.next() % 6) }},
	{"model", func(_ runTraits, r *splitmix) any { return models[r.next()%uint64(len(models))] }},
	{"seed", func(_ runTraits, r *splitmix) any { return int64(r.next() % 10000) }},
	{"weight_decay", func(_ runTraits, r *splitmix) any { return decimal(r.between(0, 0.1)) }},
	{"momentum", func(_ runTraits, r *splitmix) any { return []float64{0.8, 0.9, 0.95, 0.99}[r.next()%4] }},
	{"dropout", func(_ runTraits, r *splitmix) any { return decimal(r.between(0, 0.5)) }},
	{"use_amp", func(_ runTraits, r *splitmix) any { return r.next()%2 == 0 }},
	{"epochs", func(_ runTraits, r *splitmix) any { return int64(10 + r.next()%190) }},
	{"warmup_steps", func(_ runTraits, r *splitmix) any { return int64(r.next()%20) * 100 }},
	{"label_smoothing", func(_ runTraits, r *splitmix) any { return []float64{0, 0.05, 0.1}[r.next()%3] }},
	{"num_layers", func(_ runTraits, r *splitmix) any { return int64(2 + r.next()%46) }},
	{"hidden_size", func(_ runTraits, r *splitmix) any { return int64(128) << (r.next() % 4) }},
	{"grad_clip", func(_ runTraits, r *splitmix) any { return []float64{0.5, 1, 5}[r.next()%3] }},
	{"augment", func(_ runTraits, r *splitmix) any { return r.next()%3 != 0 }},
	{"data.fraction", func(_ runTraits, r *splitmix) any { return []float64{0.1, 0.25, 0.5, 1}[r.next()%4] }},
	{"optimizer_beta1", func(_ runTraits, r *splitmix) any { return []float64{0.85, 0.9, 0.95}[r.next()%3] }},
	{"optimizer_beta2", func(_ runTraits, r *splitmix) any { return []float64{0.98, 0.99, 0.999}[r.next()%3] }},
}

// tagGens make the tags of a run, in order.
var tagGens = []struct {
	name string
	make func(t runTraits, rng *splitmix) string
}{
	{"dataset", func(t runTraits, _ *splitmix) string { return t.dataset }},
	{"git_commit", func(_ runTraits, r *splitmix) string { return fmt.Sprintf("%07x", r.next()&0xfffffff) }},
	{"user", func(_ runTraits, r *splitmix) string { return []string{"ana", "bo", "chen", "dara"}[r.next()%4] }},
	{"host", func(_ runTraits, r *splitmix) string { return fmt.Sprintf("gpu-node-%02d", r.next()%32) }},
	{"stage", func(_ runTraits, r *splitmix) string { return []string{"dev", "tuning", "final"}[r.next()%3] }},
}

// FormatParam renders a param value as MLflow stores it (a string, Python's
// str() of the value): True/False for bools, repr of floats.
func FormatParam(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "True"
		}
		return "False"
	case float64:
		s := fmt.Sprintf("%v", x)
		for _, c := range s {
			if c == '.' || c == 'e' || c == 'n' || c == 'I' {
				return s
			}
		}
		return s + ".0"
	default:
		return fmt.Sprint(x)
	}
}
