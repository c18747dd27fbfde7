package mlflow

import (
	"strconv"

	"github.com/trackdb/trackdb/engine"
)

// ParamTextTag prefixes the tag that keeps a param's original text when it
// differs from its typed value's canonical text.
const ParamTextTag = "mlflow.param_text."

// TypedParam returns the typed value of a param's text: int64, float64,
// bool or string, as the package doc says. keep is true when the text is
// not the value's canonical text and so must be kept in a tag.
func TypedParam(s string) (v any, keep bool) {
	var val engine.Value
	switch {
	case s == "True" || s == "true":
		v, val = true, engine.BoolValue(true)
	case s == "False" || s == "false":
		v, val = false, engine.BoolValue(false)
	default:
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			v, val = i, engine.IntValue(i)
		} else if f, err := strconv.ParseFloat(s, 64); err == nil && isDecimal(s) {
			v, val = f, engine.FloatValue(f)
		} else {
			return s, false
		}
	}
	return v, val.String() != s
}

// isDecimal reports whether s looks like a decimal number or one of
// Python's non-finite floats, leaving out the hex and underscore forms
// strconv also accepts.
func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == 'x' || c == 'X' || c == 'p' || c == 'P' {
			return false
		}
	}
	return true
}
