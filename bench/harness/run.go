package harness

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/trackdb/trackdb/bench/gen"
	"github.com/trackdb/trackdb/bench/systems"
)

// Run runs the benchmark cfg describes and writes its reports: the table
// to cfg.Out and, where set, the JSON, RESULTS.md and the chart. A job
// that fails is reported as such (Results.Failures) and the rest go on.
func Run(cfg Config) (*Results, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logw := cfg.Log
	if logw == nil {
		logw = io.Discard
	}
	scratch := cfg.ScratchDir
	if scratch == "" {
		d, err := os.MkdirTemp("", "trackdb-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		scratch = d
	}
	if cfg.ProfileDir != "" {
		if err := os.MkdirAll(cfg.ProfileDir, 0o755); err != nil {
			return nil, err
		}
	}
	r := &Results{
		Config: cfg, Machine: thisMachine(), Start: time.Now(),
		Settings: map[string][]string{}, GenRate: map[string]float64{},
		cells: map[cellKey]*cell{}, methods: map[cellKey]string{},
	}
	for _, wl := range cfg.Workloads {
		spec, _ := cfg.spec(wl)
		rate, err := generatorRate(spec)
		if err != nil {
			return nil, err
		}
		r.GenRate[wl] = rate
		fmt.Fprintf(logw, "== %s: %s (%d points)\n", wl, spec, spec.Points())
		overBudget := map[string]bool{}
		for rep := 1; rep <= cfg.Reps; rep++ {
			n := len(cfg.Systems)
			for i := range n {
				// Rotate the order each repetition, so no system always
				// runs first (or right after the slowest).
				name := cfg.Systems[(i+rep-1)%n]
				if overBudget[name] {
					continue
				}
				job := Job{Workload: wl, System: name, Rep: rep, Config: cfg,
					Dir: filepath.Join(scratch, fmt.Sprintf("%s-%s-%d", wl, name, rep))}
				job.Config.Out, job.Config.Log = nil, nil
				start := time.Now()
				res, err := spawn(job)
				if err == nil && res.Err != "" {
					err = fmt.Errorf("%s/%s rep %d: %s", wl, name, rep, res.Err)
				}
				if err != nil {
					r.Failures++
					r.Notes = append(r.Notes, "FAILED: "+err.Error())
					r.failed(wl, name, err)
					fmt.Fprintf(logw, "   rep %d %-10s FAILED: %v\n", rep, name, err)
					continue
				}
				r.collect(res)
				took := time.Since(start)
				fmt.Fprintf(logw, "   rep %d %-10s %6.1fs\n", rep, name, took.Seconds())
				if cfg.RepBudget > 0 && took > cfg.RepBudget && rep < cfg.Reps {
					overBudget[name] = true
					r.Notes = append(r.Notes, fmt.Sprintf("%s/%s: one repetition took %s, over the %s budget (-budget): %d of %d repetitions run", wl, name, took.Round(time.Second), cfg.RepBudget, rep, cfg.Reps))
				}
			}
		}
	}
	r.Elapsed = time.Since(r.Start)
	r.compareChecks()
	return r, r.write()
}

// generatorRate times the workload's data generation alone.
func generatorRate(spec gen.Spec) (float64, error) {
	w, err := gen.New(spec)
	if err != nil {
		return 0, err
	}
	var sink float64
	start := time.Now()
	err = w.Calls(func(c *gen.Call) error { sink += c.Values[0]; return nil })
	_ = sink
	return float64(spec.Points()) / time.Since(start).Seconds(), err
}

// failed marks the figures of a failed job that have no value yet.
func (r *Results) failed(wl, system string, err error) {
	for _, def := range figures[wl] {
		if c := r.cell(cellKey{wl, system, def.ID}); len(c.Values) == 0 {
			c.Missing = "FAILED: " + err.Error()
		}
	}
}

func (r *Results) collect(res *JobResult) {
	if _, ok := r.Settings[res.System]; !ok {
		r.Settings[res.System] = res.Settings
	}
	for _, s := range res.Samples {
		c := r.cell(cellKey{res.Workload, res.System, s.Figure})
		c.Values = append(c.Values, s.Value)
		c.Checks = append(c.Checks, s.Check)
	}
	for fig, why := range res.Missing {
		r.cell(cellKey{res.Workload, res.System, fig}).Missing = why
	}
	for fig, m := range res.Methods {
		r.methods[cellKey{res.Workload, res.System, fig}] = m
	}
	for _, n := range res.Notes {
		note := fmt.Sprintf("%s/%s rep %d: %s", res.Workload, res.System, res.Rep, n)
		r.Notes = append(r.Notes, note)
	}
}

// compareChecks notes every figure whose systems returned different
// results (different points read, different runs found).
func (r *Results) compareChecks() {
	type group struct {
		wl  string
		fig systems.Figure
	}
	checks := map[group]map[string]string{}
	for k, c := range r.cells {
		for _, ch := range c.Checks {
			if ch == "" {
				continue
			}
			g := group{k.Workload, k.Figure}
			if checks[g] == nil {
				checks[g] = map[string]string{}
			}
			if prev, ok := checks[g][k.System]; ok && prev != ch {
				r.Notes = append(r.Notes, fmt.Sprintf("MISMATCH %s/%s: %s returned %q in one repetition and %q in another", k.Workload, k.Figure, k.System, prev, ch))
			}
			checks[g][k.System] = ch
		}
	}
	var keys []group
	for g := range checks {
		keys = append(keys, g)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].wl+string(keys[i].fig) < keys[j].wl+string(keys[j].fig) })
	for _, g := range keys {
		bySys := checks[g]
		distinct := map[string]bool{}
		var parts []string
		for _, s := range r.Config.Systems {
			if ch, ok := bySys[s]; ok {
				distinct[ch] = true
				parts = append(parts, s+"="+ch)
			}
		}
		if len(distinct) > 1 {
			r.Notes = append(r.Notes, fmt.Sprintf("MISMATCH %s/%s: systems returned different results: %s", g.wl, g.fig, strings.Join(parts, "; ")))
		} else if len(parts) > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%s/%s: every system returned the same result (%s)", g.wl, g.fig, strings.SplitN(parts[0], "=", 2)[1]))
		}
	}
}

// write writes every report cfg asks for.
func (r *Results) write() error {
	if r.Config.Out != nil {
		if err := r.WriteTable(r.Config.Out); err != nil {
			return err
		}
	}
	if p := r.Config.JSONPath; p != "" {
		if err := writeFile(p, r.WriteJSON); err != nil {
			return err
		}
	}
	if p := r.Config.ChartPath; p != "" {
		if err := writeFile(p, r.WriteChart); err != nil {
			return err
		}
	}
	if p := r.Config.MarkdownPath; p != "" {
		if err := writeFile(p, r.WriteMarkdown); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
