package harness

import (
	"fmt"
	"math"
	"strings"
)

// fmtValue renders a value with three significant digits and an SI suffix
// for large numbers: 5.21M, 812k, 2.31, 0.0412.
func fmtValue(v float64) string {
	a := math.Abs(v)
	switch {
	case v != v:
		return "NaN"
	case a >= 1e9:
		return sig(v/1e9) + "G"
	case a >= 1e6:
		return sig(v/1e6) + "M"
	case a >= 1e4:
		return sig(v/1e3) + "k"
	}
	return sig(v)
}

func sig(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3g", v), "0"), ".")
}

// fmtStat renders "median (min–max)", or the median alone for one rep.
func fmtStat(s Stat) string {
	if s.Reps <= 1 || s.Min == s.Max {
		return fmtValue(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", fmtValue(s.Median), fmtValue(s.Min), fmtValue(s.Max))
}

// fmtRatio renders a ratio: 3.2×, 250×, 0.41×.
func fmtRatio(r float64) string { return sig(r) + "×" }

// label returns a figure's row label, with sizes the config decides.
func (r *Results) label(workload string, def figureDef) string {
	if def.ID == "downsample" {
		return fmt.Sprintf("downsample %s points to %d buckets (at rest)", fmtValue(float64(r.Config.DownsamplePoints)), r.Config.DownsampleBuckets)
	}
	if def.ID == "read" && workload == Training {
		return fmt.Sprintf("read every series of %d runs", min(r.Config.ReadRuns, r.Config.Training.Runs))
	}
	return def.Label
}
