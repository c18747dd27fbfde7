package query

import "math"

// MinMax downsamples pts to at most n points (n >= 2) that keep the
// spikes: the first and last point, and from each of (n-2)/2 buckets of
// equal point count between them the minimum and the maximum, in step
// order. A NaN counts as the bucket's maximum, so a diverging loss stays
// visible. It is deterministic and returns pts itself when it has at most
// n points; otherwise the result is a new slice.
func MinMax(pts []Point, n int) []Point {
	if len(pts) <= n || n < 2 {
		return pts
	}
	out := make([]Point, 0, n)
	out = append(out, pts[0])
	inner := pts[1 : len(pts)-1]
	buckets := (n - 2) / 2
	for b := range buckets {
		lo, hi := b*len(inner)/buckets, (b+1)*len(inner)/buckets
		if lo == hi {
			continue
		}
		imin, imax := lo, lo
		for i := lo + 1; i < hi; i++ {
			v := inner[i].Value
			if v < inner[imin].Value || math.IsNaN(inner[imin].Value) && !math.IsNaN(v) {
				imin = i
			}
			if !math.IsNaN(inner[imax].Value) && (v > inner[imax].Value || math.IsNaN(v)) {
				imax = i
			}
		}
		if imin > imax {
			imin, imax = imax, imin
		}
		out = append(out, inner[imin])
		if imax != imin {
			out = append(out, inner[imax])
		}
	}
	return append(out, pts[len(pts)-1])
}

// LTTB downsamples pts to at most n points with Largest-Triangle-Three-
// Buckets (Steinarsson, 2013), with steps as x: the first and last point,
// and from each of n-2 buckets the point that spans the largest triangle
// with the point chosen before it and the mean of the next bucket. It is
// deterministic and returns pts itself when it has at most n points.
func LTTB(pts []Point, n int) []Point {
	if len(pts) <= n || n < 2 {
		return pts
	}
	out := make([]Point, 0, n)
	out = append(out, pts[0])
	if n == 2 {
		return append(out, pts[len(pts)-1])
	}
	every := float64(len(pts)-2) / float64(n-2)
	a := 0
	for i := 0; i < n-2; i++ {
		// The mean of the next bucket (the last point for the last bucket).
		ns, ne := int(float64(i+1)*every)+1, int(float64(i+2)*every)+1
		ne = min(ne, len(pts))
		if ns >= ne {
			ns, ne = len(pts)-1, len(pts)
		}
		var avgX, avgY float64
		for _, p := range pts[ns:ne] {
			avgX += float64(p.Step)
			avgY += p.Value
		}
		avgX /= float64(ne - ns)
		avgY /= float64(ne - ns)
		rs, re := int(float64(i)*every)+1, int(float64(i+1)*every)+1
		re = min(re, len(pts)-1)
		if rs >= re {
			continue
		}
		ax, ay := float64(pts[a].Step), pts[a].Value
		best, bestArea := rs, -1.0
		for j := rs; j < re; j++ {
			area := math.Abs((ax-avgX)*(pts[j].Value-ay) - (ax-float64(pts[j].Step))*(avgY-ay))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		out = append(out, pts[best])
		a = best
	}
	return append(out, pts[len(pts)-1])
}

// EMA smooths the values of pts in place with an exponential moving
// average of weight w in [0, 1), debiased as TensorBoard's smoothing
// slider does: s = (w·last + (1-w)·v) / (1 - w^k) after k finite values.
// NaN and ±Inf values pass through unsmoothed and do not disturb the
// average, and a constant curve stays as it is.
func EMA(pts []Point, w float64) {
	if w <= 0 || len(pts) == 0 {
		return
	}
	constant := true
	for _, p := range pts[1:] {
		if p.Value != pts[0].Value {
			constant = false
			break
		}
	}
	if constant {
		return
	}
	last, k := 0.0, 0
	for i := range pts {
		v := pts[i].Value
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		last = last*w + (1-w)*v
		k++
		pts[i].Value = last / (1 - math.Pow(w, float64(k)))
	}
}
