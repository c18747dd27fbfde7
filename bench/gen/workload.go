package gen

import "fmt"

// Epoch is the wall time of the first step of the first run, Unix ms.
const Epoch int64 = 1_700_000_000_000

// Context is the context labels of every point of the workloads, as Aim
// records a training subset; every system stores it.
var Context = map[string]string{"subset": "train"}

// Run is one run's metadata.
type Run struct {
	ID         string
	Experiment string
	Name       string
	Start      int64 // Unix ms, the wall time of its first step
	// Params are typed: string, int64, float64 or bool.
	Params map[string]any
	// ParamOrder lists Params' names in generation order.
	ParamOrder []string
	Tags       map[string]string
	// Diverge is the step at which the run's loss explodes; -1 for never.
	Diverge int64

	traits runTraits
	period int64 // mean ms per step
}

// Workload is a generated workload: its runs' metadata up front, its
// points on demand through Calls.
type Workload struct {
	Spec
	Runs    []Run
	Metrics []string
}

// New builds the workload of spec.
func New(spec Spec) (*Workload, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	w := &Workload{Spec: spec, Runs: make([]Run, spec.Runs), Metrics: make([]string, spec.Metrics)}
	for i := range w.Metrics {
		w.Metrics[i] = MetricName(i)
	}
	// A group of concurrent runs ends before the next starts: bound its
	// span by the longest period, jitter and evaluation pauses.
	span := spec.Steps*maxPeriod*5/4 + (spec.Steps/evalEvery+1)*maxPause + 60_000
	conc := spec.concurrent()
	for i := range w.Runs {
		rng := seedFor(spec.Seed, 1, uint64(i))
		r := &w.Runs[i]
		r.ID = fmt.Sprintf("%016x%016x", rng.next(), rng.next())
		r.Experiment = "bench-" + spec.Name
		r.Name = fmt.Sprintf("%s-%05d", spec.Name, i)
		r.traits = newTraits(&rng)
		// Runs logging together share a cadence (same model, same
		// hardware), so their clocks stay within jitter of each other.
		cadence := seedFor(spec.Seed, 4, uint64(i/conc))
		r.period = minPeriod + int64(cadence.next()%uint64(maxPeriod-minPeriod))
		r.Start = Epoch + int64(i/conc)*span + int64(rng.next()%5000)
		r.Diverge = -1
		if spec.Steps >= 100 && rng.float() < divergeShare {
			r.Diverge = spec.Steps/2 + int64(rng.next()%uint64(spec.Steps*2/5))
		}
		r.Params = make(map[string]any, spec.Params)
		for _, g := range paramGens[:spec.Params] {
			r.Params[g.name] = g.make(r.traits, &rng)
			r.ParamOrder = append(r.ParamOrder, g.name)
		}
		r.Tags = make(map[string]string, spec.Tags)
		for _, g := range tagGens[:spec.Tags] {
			r.Tags[g.name] = g.make(r.traits, &rng)
		}
	}
	return w, nil
}

// Wall-time model: a step takes its group's period (minPeriod..maxPeriod ms)
// ±25% jitter; every evalEvery steps an evaluation pauses up to maxPause.
const (
	minPeriod    = 100
	maxPeriod    = 400
	evalEvery    = 1000
	maxPause     = 15_000
	divergeShare = 0.08
)

// Call is one logged step of one run: all of the workload's metrics, in
// the order of Workload.Metrics. Values is reused between calls.
type Call struct {
	Run    int
	Step   int64
	Time   int64 // Unix ms
	Values []float64
}

// Calls replays the workload: runs in groups of Spec.Concurrent, and
// within a group step by step, every run of the group at each step. fn may
// not keep c or c.Values after it returns. An error from fn stops the
// replay and is returned.
func (w *Workload) Calls(fn func(c *Call) error) error {
	conc := w.concurrent()
	c := &Call{Values: make([]float64, w.Spec.Metrics)}
	for g := 0; g < len(w.Runs); g += conc {
		group := w.Runs[g:min(g+conc, len(w.Runs))]
		ser := make([][]series, len(group))
		clocks := make([]clock, len(group))
		for i := range group {
			r := &group[i]
			ser[i] = make([]series, w.Spec.Metrics)
			for m := range ser[i] {
				ser[i][m] = newSeries(MetricKind(m), seedFor(w.Seed, 2, uint64(g+i), uint64(m)), w.Steps, r.traits.lr, r.traits.scheduler)
			}
			clocks[i] = clock{t: r.Start, period: r.period, rng: seedFor(w.Seed, 3, uint64(g+i))}
		}
		for step := int64(0); step < w.Steps; step++ {
			for i := range group {
				c.Run, c.Step = g+i, step
				c.Time = clocks[i].tick(step)
				for m := range ser[i] {
					c.Values[m] = ser[i][m].value(step, w.Steps, group[i].Diverge)
				}
				if err := fn(c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// clock is a run's wall clock.
type clock struct {
	t      int64
	period int64
	rng    splitmix
}

// tick returns the wall time of step; times strictly increase.
func (c *clock) tick(step int64) int64 {
	if step == 0 {
		return c.t
	}
	c.t += c.period*3/4 + int64(c.rng.next()%uint64(c.period/2+1))
	if step%evalEvery == 0 {
		c.t += 5000 + int64(c.rng.next()%(maxPause-5000))
	}
	return c.t
}
