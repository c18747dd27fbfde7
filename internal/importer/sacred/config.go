package sacred

import (
	"encoding/json"
	"strconv"
	"strings"
)

// ParseConfig parses a config.json into params: nested objects stay
// nested maps (the engine flattens them with dots), integers are int64,
// other numbers float64, and lists and null become their JSON text.
func ParseConfig(b []byte) (map[string]any, error) {
	var raw map[string]any
	if err := decodePython(b, &raw); err != nil {
		return nil, err
	}
	return convertObject(raw), nil
}

func convertObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = convert(v)
	}
	return out
}

func convert(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return convertObject(v)
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
		}
		f, _ := number(v)
		return f
	case string:
		if f, ok := number(v); ok {
			return f // a bare NaN or Infinity in the file
		}
		return v
	case bool:
		return v
	}
	b, _ := json.Marshal(v) // lists and null
	return string(b)
}
