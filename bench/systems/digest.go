package systems

import "math"

// Digest summarizes the points a read returned: their count and an
// order-sensitive hash of (step, wall time, value bits).
type Digest struct {
	Points int64
	Hash   uint64
}

// Add folds one point into d.
func (d *Digest) Add(step, time int64, v float64) {
	d.Points++
	h := d.Hash ^ uint64(step)
	h *= 0x100000001B3
	h ^= uint64(time)
	h *= 0x100000001B3
	h ^= math.Float64bits(v)
	h *= 0x100000001B3
	d.Hash = h ^ (h >> 29)
}

// Merge folds another digest into d.
func (d *Digest) Merge(o Digest) {
	d.Points += o.Points
	d.Hash = (d.Hash^o.Hash)*0x9E3779B97F4A7C15 + 1
}
