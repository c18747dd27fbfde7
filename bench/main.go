// Command bench compares trackdb with Prometheus TSDB, SQLite with
// MLflow's schema and Pebble with an Aim-like layout on training-shaped
// workloads. See README.md; the work happens in package harness, and main
// only binds flags.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/trackdb/trackdb/bench/harness"
)

func main() {
	quick := flag.Bool("quick", false, "run every workload small (under two minutes)")
	scale := flag.Float64("scale", 1, "multiply the workloads' sizes (runs of training and sweep, length of long)")
	reps := flag.Int("reps", 0, "repetitions per system and workload (default 3)")
	workloads := flag.String("workloads", strings.Join(harness.Workloads, ","), "workloads to run")
	systemsFlag := flag.String("systems", "trackdb,prometheus,sqlite,pebble", "systems to run")
	steps := flag.Int64("steps", 0, "override the training workload's steps per run")
	runs := flag.Int("runs", 0, "override the training workload's runs")
	sweepSteps := flag.Int64("sweep-steps", 0, "override the sweep workload's steps per run")
	budget := flag.Duration("budget", 0, "skip further repetitions of a system once one took longer than this (0: never)")
	jsonPath := flag.String("json", "", "write the results as a JSON array to `FILE`")
	markdown := flag.Bool("markdown", false, "regenerate RESULTS.md and ratios.svg in this directory")
	chart := flag.String("chart", "", "write the SVG chart of the ratios to `FILE` (default ratios.svg with -markdown)")
	profile := flag.String("profile", "", "write CPU profiles of trackdb's ingest and read to `DIR`")
	scratch := flag.String("dir", "", "scratch directory for the stores (default a temporary one)")
	note := flag.String("note", "", "a note printed with the results")
	child := flag.Bool(harness.ChildFlag, false, "internal: run one job from stdin")
	flag.Parse()

	if *child {
		if err := harness.RunChild(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	cfg := harness.DefaultConfig()
	if *quick {
		cfg = harness.QuickConfig()
	}
	if *scale != 1 {
		cfg.Scale(*scale)
	}
	if *steps > 0 {
		cfg.Training.Steps = *steps
	}
	if *runs > 0 {
		cfg.Training.Runs = *runs
	}
	if *sweepSteps > 0 {
		cfg.Sweep.Steps = *sweepSteps
	}
	cfg.RepBudget = *budget
	if *reps > 0 {
		cfg.Reps = *reps
	}
	cfg.Workloads = strings.Split(*workloads, ",")
	cfg.Systems = strings.Split(*systemsFlag, ",")
	cfg.JSONPath, cfg.ChartPath, cfg.ProfileDir, cfg.ScratchDir, cfg.Note = *jsonPath, *chart, *profile, *scratch, *note
	if *markdown {
		cfg.MarkdownPath = "RESULTS.md"
		if cfg.ChartPath == "" {
			cfg.ChartPath = "ratios.svg"
		}
	}
	cfg.Command = "go run . " + strings.Join(os.Args[1:], " ")
	cfg.Out, cfg.Log = os.Stdout, os.Stderr
	res, err := harness.Run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if res.Failures > 0 {
		fmt.Fprintf(os.Stderr, "%d jobs failed\n", res.Failures)
		os.Exit(1)
	}
}
