package tfevents

import (
	"encoding/binary"
	"fmt"
	"math"
)

// PluginScalars is the plugin name of TensorBoard's scalar summaries.
const PluginScalars = "scalars"

// Scalar returns the number a summary value holds when it is a scalar
// point. plugin is the tag's plugin name (from this value's metadata or
// the first value of the tag that had metadata). ok is false for values
// that are not scalars; err is set (wrapping ErrScalar) for a value of
// the scalars plugin that does not hold exactly one float.
func Scalar(v *Value, plugin string) (x float64, ok bool, err error) {
	switch v.Kind {
	case KindSimple:
		return float64(v.Simple), true, nil
	case KindTensor:
		if plugin != PluginScalars {
			return 0, false, nil
		}
		x, err := tensorScalar(&v.Tensor)
		return x, err == nil, err
	}
	return 0, false, nil
}

func tensorScalar(t *Tensor) (float64, error) {
	if t.HasShape && t.Rank != 0 {
		return 0, fmt.Errorf("%w: rank %d tensor", ErrScalar, t.Rank)
	}
	switch t.Dtype {
	case dtFloat:
		switch {
		case t.Floats == 1 && len(t.Content) == 0:
			return float64(t.Float), nil
		case t.Floats == 0 && len(t.Content) == 4:
			return float64(math.Float32frombits(binary.LittleEndian.Uint32(t.Content))), nil
		}
		return 0, fmt.Errorf("%w: DT_FLOAT with %d float_val and %d content bytes", ErrScalar, t.Floats, len(t.Content))
	case dtDouble:
		switch {
		case t.Doubles == 1 && len(t.Content) == 0:
			return t.Double, nil
		case t.Doubles == 0 && len(t.Content) == 8:
			return math.Float64frombits(binary.LittleEndian.Uint64(t.Content)), nil
		}
		return 0, fmt.Errorf("%w: DT_DOUBLE with %d double_val and %d content bytes", ErrScalar, t.Doubles, len(t.Content))
	}
	return 0, fmt.Errorf("%w: dtype %d", ErrScalar, t.Dtype)
}

// WallTimeMillis converts an event's wall time in seconds to Unix
// milliseconds, rounded; NaN, infinities and times beyond int64
// milliseconds are ErrWallTime.
func WallTimeMillis(sec float64) (int64, error) {
	ms := math.Round(sec * 1000)
	if ms != ms || ms >= math.MaxInt64 || ms <= math.MinInt64 {
		return 0, fmt.Errorf("%w: %v", ErrWallTime, sec)
	}
	return int64(ms), nil
}
