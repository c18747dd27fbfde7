package gen

import (
	"math"
	"math/rand/v2"
)

// splitmix is a tiny seeded generator; each series and run owns one, so the
// data does not depend on the order anyone asks for it.
type splitmix uint64

func (s *splitmix) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// float returns a uniform value in [0, 1).
func (s *splitmix) float() float64 { return float64(s.next()>>11) / (1 << 53) }

// between returns a uniform value in [lo, hi).
func (s *splitmix) between(lo, hi float64) float64 { return lo + (hi-lo)*s.float() }

// normal returns a standard normal value from a fixed table: cheap enough
// that generating data costs little next to storing it.
func (s *splitmix) normal() float64 { return normals[s.next()&uint64(len(normals)-1)] }

// normals holds 65,536 standard normal values, the same on every machine.
var normals = func() []float64 {
	r := rand.New(rand.NewPCG(0x7ac4db, 0xbe4c4))
	out := make([]float64, 1<<16)
	for i := range out {
		out[i] = r.NormFloat64()
	}
	return out
}()

// seedFor derives a seed for one member (run, series) of a workload.
func seedFor(seed uint64, parts ...uint64) splitmix {
	s := splitmix(seed ^ 0x5851F42D4C957F2D)
	for _, p := range parts {
		s = splitmix(uint64(s) ^ p*0x9E3779B97F4A7C15)
		s.next()
	}
	return s
}

// f32 widens a float32 result, as a training loop's tensors hand values
// to a tracker.
func f32(v float64) float64 { return float64(float32(v)) }

// decimal rounds to k/10000 the way Python's k/10000 does: exactly the
// float64 nearest to the decimal.
func decimal(v float64) float64 { return math.Round(v*10000) / 10000 }
