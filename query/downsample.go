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

// minMaxStream computes MinMax(pts, n) for a series of a known number of
// points while they stream by, without holding them: it gives the same
// points as MinMax. done reports false when the count was not the one
// announced, and the caller must fall back to MinMax.
type minMaxStream struct {
	total, n   int
	inner, bkt int // points between first and last; buckets
	i          int // points seen
	b, hi      int // current bucket and the inner index that ends it
	imin, imax Point
	kmin, kmax int // inner indexes of imin and imax; -1 when the bucket is empty
	out        []Point
}

func newMinMaxStream(total, n int) *minMaxStream {
	s := &minMaxStream{total: total, n: n, kmin: -1}
	if total > n && n >= 2 {
		s.inner, s.bkt = total-2, (n-2)/2
		s.out = make([]Point, 0, n)
		if s.bkt > 0 {
			s.hi = s.inner / s.bkt
		}
	}
	return s
}

func (s *minMaxStream) add(p Point) {
	i := s.i
	s.i++
	if s.bkt == 0 && s.inner == 0 || i == 0 || i >= s.total-1 {
		s.out = append(s.out, p) // everything (short series), or first or last
		return
	}
	if s.bkt == 0 {
		return
	}
	k := i - 1
	for k >= s.hi {
		s.flush()
		s.b++
		s.hi = (s.b + 1) * s.inner / s.bkt
	}
	v := p.Value
	if s.kmin < 0 {
		s.imin, s.imax, s.kmin, s.kmax = p, p, k, k
		return
	}
	if v < s.imin.Value || math.IsNaN(s.imin.Value) && !math.IsNaN(v) {
		s.imin, s.kmin = p, k
	}
	if !math.IsNaN(s.imax.Value) && (v > s.imax.Value || math.IsNaN(v)) {
		s.imax, s.kmax = p, k
	}
}

// flush appends the current bucket's min and max in step order.
func (s *minMaxStream) flush() {
	if s.kmin < 0 {
		return
	}
	a, b := s.imin, s.imax
	if s.kmin > s.kmax {
		a, b = b, a
	}
	s.out = append(s.out, a)
	if s.kmin != s.kmax {
		s.out = append(s.out, b)
	}
	s.kmin = -1
}

// done returns the points, and false when the series did not have the
// announced number of points.
func (s *minMaxStream) done() ([]Point, bool) {
	if s.i != s.total {
		return nil, false
	}
	if s.bkt > 0 {
		// The last point was appended before the last bucket was flushed.
		last := s.out[len(s.out)-1]
		s.out = s.out[:len(s.out)-1]
		s.flush()
		s.out = append(s.out, last)
	}
	return s.out, true
}
