// Package gen makes the benchmark workloads: seeded, deterministic data
// shaped like real training logs.
//
// # Shape
//
// A [Workload] is a set of runs, each with typed params and tags, and the
// metric names every run logs. [Workload.Calls] replays the logging in the
// order a fleet of training loops produces it: one [Call] per run per step
// carrying every metric, runs interleaved. Values are float32 results
// widened to float64 (what a PyTorch loop hands to a tracker), except the
// accuracy-like metrics, which are decimals k/10000 as Python computes them.
// Loss curves decay with noise, accuracies rise, learning rates follow a
// warmup-then-cosine or a step schedule, and a few runs diverge: their loss
// explodes and turns NaN for a few steps before they recover from a
// checkpoint. Wall time advances by a per-run period with jitter and a pause
// for evaluation every 1,000 steps.
//
// The same Spec always yields the same bytes, so every system in a
// benchmark stores exactly the same points.
package gen
