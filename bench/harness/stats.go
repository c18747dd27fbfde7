package harness

import "slices"

// Stat is the summary of a figure's repetitions.
type Stat struct {
	Median, Min, Max float64
	Reps             int
}

// summarize returns the median, min and max of vs; the median of an even
// count is the mean of the middle two.
func summarize(vs []float64) Stat {
	if len(vs) == 0 {
		return Stat{}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return Stat{Median: med, Min: s[0], Max: s[n-1], Reps: n}
}
