package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/trackdb/trackdb/engine"
)

func newDemoCommand() *command {
	return &command{
		name:    "demo",
		summary: "simulate a hyperparameter sweep and show the best runs",
		doc: `
Demo simulates a hyperparameter sweep through the engine's public API: 32
CIFAR-10-like runs (optimizer × learning rate × batch size × seed), each
logged by its own goroutine as a trainer would, about 3.8 million points
in all. Losses decay with noise, accuracies saturate at a plateau that
depends on the hyperparameters, learning rates follow cosine or step
schedules, and two runs diverge to NaN and are marked failed.

It prints the ingest rate, closes and reopens the store (replaying the
WAL), and shows the best runs by final validation accuracy.

Without --dir the demo creates a fresh directory and prints its name. With
--dir it needs a new or empty directory, or an empty store.`,
		hidden: []string{"scale"},
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := fs.String("dir", "", "store `directory` (default: a new temporary directory)")
			top := fs.Int("top", 5, "show the best `N` runs")
			scale := fs.Float64("scale", 1, "fraction of the default training length, for tests")
			return func(e *env, operands []string) error {
				switch {
				case len(operands) > 0:
					return usagef("unexpected operand %q", operands[0])
				case *top < 1:
					return usagef("--top %d: want at least 1", *top)
				case !(*scale > 0 && *scale <= 10):
					return usagef("--scale %g: want a number in (0, 10]", *scale)
				}
				steps := max(int(math.Round(demoSteps**scale)), 2*demoEvery)
				return runDemo(e, *dir, *top, steps)
			}
		},
	}
}

func runDemo(e *env, dir string, top, steps int) error {
	fresh := dir == ""
	if fresh {
		var err error
		if dir, err = os.MkdirTemp("", "trackdb-demo-"); err != nil {
			return err
		}
	}
	opts := storeOptions(e.stderr)
	db, err := openStore(dir, opts)
	if err != nil {
		if fresh {
			os.Remove(dir)
		}
		return err
	}
	if runs, err := db.Runs(); err != nil || len(runs) > 0 {
		db.Close()
		if err != nil {
			return err
		}
		return fmt.Errorf("%s already holds %d runs; the demo needs a new or empty directory", dir, len(runs))
	}

	out := e.stdout
	// Date the sweep so that it has just finished: runs start about 37 s
	// apart and take at most about 120 ms a step, validation included.
	trials := sweep(steps, time.Now().UnixMilli()-int64(steps)*120-32*37_000)
	fmt.Fprintf(out, "trackdb demo: a simulated hyperparameter sweep of %d runs, trained concurrently\n\n", len(trials))
	fmt.Fprintf(out, "  store      %s\n", dir)
	fmt.Fprintf(out, "  grid       optimizer %s × lr %s × batch %s × seed %s\n",
		list(demoOptimizer), list(demoLRs), list(demoBatches), list(demoSeeds))
	fmt.Fprintf(out, "  metrics    loss, acc, lr every step for %s steps; val loss, acc every %d steps\n", count(int64(steps)), demoEvery)

	for i, t := range trials {
		_, err := db.CreateRun(engine.RunSpec{
			ID: t.id, Experiment: "cifar10-sweep", Name: t.name, StartTime: t.startMs,
			Params: t.params(), Tags: map[string]string{"host": fmt.Sprintf("gpu-%d", i%8), "sweep": "demo"},
		})
		if err != nil {
			db.Close()
			return err
		}
	}

	points, elapsed, err := trainAll(db, trials, steps, out)
	if err != nil {
		db.Close()
		return err
	}
	fmt.Fprintf(out, "  ingested   %s points in %s by %d goroutines: %s points/s\n",
		count(points), dur(elapsed), len(trials), rate(points, elapsed))

	start := time.Now()
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Fprintf(out, "  closed     in %s\n", dur(time.Since(start)))
	start = time.Now()
	if db, err = openStore(dir, opts); err != nil {
		return err
	}
	rs := db.Replayed()
	fmt.Fprintf(out, "  reopened   in %s: replayed %s WAL records (%s points) in %s\n",
		dur(time.Since(start)), count(rs.Records), count(rs.Points), dur(rs.Duration))
	if size, err := dirSize(dir); err == nil && points > 0 {
		fmt.Fprintf(out, "  on disk    %.1f MiB, %.2f bytes/point\n", float64(size)/(1<<20), float64(size)/float64(points))
	}

	best, err := report(out, db, top)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nExplore the store:\n\n  trackdb runs --dir %s\n  trackdb dump --dir %s --run %s --metric acc\n",
		shellQuote(dir), shellQuote(dir), best)
	return nil
}

// trainAll logs every trial from its own goroutine, as concurrent trainers
// would, and returns the points logged and the time the logging took.
// Progress goes to out once a second.
func trainAll(db *engine.DB, trials []*trial, steps int, out io.Writer) (int64, time.Duration, error) {
	var logged atomic.Int64
	expected := int64(len(trials)) * int64(steps) * 3
	stop := make(chan struct{})
	var progress sync.WaitGroup
	progress.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				n := logged.Load()
				fmt.Fprintf(out, "  logging    %s points (%d%%)\n", count(n), min(99, 100*n/expected))
			}
		}
	})

	start := time.Now()
	errs := make([]error, len(trials))
	var wg sync.WaitGroup
	for i, t := range trials {
		wg.Go(func() { errs[i] = train(db, t, steps, &logged) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	progress.Wait()
	return logged.Load(), elapsed, errors.Join(errs...)
}

// train logs one trial: a db.Log per step with its training metrics, one
// more in the val context at each validation, and the final status.
func train(db *engine.DB, t *trial, steps int, logged *atomic.Int64) error {
	tr := newTrainer(t, steps)
	status, nanSteps := engine.StatusFinished, 0
	var end int64
	for s := range steps {
		ms, validated := tr.step(s)
		if err := db.Log(t.id, int64(s), ms, tr.train, nil); err != nil {
			return err
		}
		n := int64(len(tr.train))
		if validated {
			if err := db.Log(t.id, int64(s), ms, tr.val, valContext); err != nil {
				return err
			}
			n += int64(len(tr.val))
		}
		logged.Add(n)
		end = ms
		if math.IsNaN(tr.loss) {
			if nanSteps++; nanSteps == stopAfterNaN {
				status = engine.StatusFailed
				break
			}
		}
	}
	return db.SetStatus(t.id, status, end)
}

// outcome is one run's result as the report ranks it.
type outcome struct {
	run       engine.RunInfo
	acc, loss float64 // final val metrics
}

// report prints the best runs by final val accuracy, read from the series
// summaries (no points decoded), and the runs that failed. It returns the
// best run's ID for the closing hint.
func report(out io.Writer, db *engine.DB, top int) (string, error) {
	runs, err := db.Runs()
	if err != nil {
		return "", err
	}
	var res []outcome
	var failed []string
	for _, r := range runs {
		o := outcome{run: r, acc: math.NaN(), loss: math.NaN()}
		if s, err := db.LookupSeries(r.ID, "acc", valContext); err == nil {
			o.acc = s.Summary.Last
		}
		if s, err := db.LookupSeries(r.ID, "loss", valContext); err == nil {
			o.loss = s.Summary.Last
		}
		res = append(res, o)
		if r.Status == engine.StatusFailed {
			failed = append(failed, r.ID)
		}
	}
	if len(res) == 0 {
		return "", errors.New("the store holds no runs")
	}
	// Best first; a run without a final accuracy (NaN) ranks last.
	sort.SliceStable(res, func(i, j int) bool {
		a, b := res[i].acc, res[j].acc
		if math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		return a > b
	})
	keys := sweptParams(runs)
	n := min(top, len(res))
	fmt.Fprintf(out, "\nBest %d of %d runs by final val acc (context subset=val):\n\n", n, len(res))
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	header := []string{"RANK", "RUN"}
	for _, k := range keys {
		header = append(header, strings.ToUpper(k))
	}
	header = append(header, "VAL ACC", "VAL LOSS", "STATUS")
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for i, o := range res[:n] {
		row := []string{fmt.Sprint(i + 1), o.run.ID}
		for _, k := range keys {
			row = append(row, o.run.Params[k].String())
		}
		row = append(row, fmt.Sprintf("%.4f", o.acc), fmt.Sprintf("%.4f", o.loss), o.run.Status.String())
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return "", err
	}
	if len(failed) > 0 {
		fmt.Fprintf(out, "\n%d runs diverged (loss went to Inf, then NaN) and were marked failed: %s\n",
			len(failed), strings.Join(failed, ", "))
	}
	return res[0].run.ID, nil
}

// sweptParams returns the param keys whose value differs between runs:
// the hyperparameters the sweep varied, which are the table's columns.
func sweptParams(runs []engine.RunInfo) []string {
	var keys []string
	for _, k := range sortedKeys(runs[0].Params) {
		v := runs[0].Params[k]
		for _, r := range runs[1:] {
			if w, ok := r.Params[k]; !ok || !w.Equal(v) {
				keys = append(keys, k)
				break
			}
		}
	}
	return keys
}

func list[T any](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// dirSize sums the sizes of the files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n += info.Size()
		return nil
	})
	return n, err
}

// shellQuote quotes a path for the hint lines when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '-' || r == '_' || r == '.' || r == ':' ||
			('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
