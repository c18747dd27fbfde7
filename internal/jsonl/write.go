package jsonl

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The Append functions write the interchange format's values in the
// append-to-a-buffer style of strconv, so that writers such as dump build
// each line in one reused buffer. What they write, Parse reads back to the
// same value: that is what makes dump's output ingestable.

// AppendString appends s as a JSON string. Invalid UTF-8 bytes become
// U+FFFD, since JSON text must be UTF-8.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || n != 1 {
				i += n
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendValue appends a metric value: the shortest decimal that parses
// back to the same float64 (strconv's 'g' with precision -1; -0 stays
// "-0"), or the strings "NaN", "Infinity" and "-Infinity", which any JSON
// reader can load, unlike the bare tokens.
func AppendValue(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(v, -1):
		return append(dst, `"-Infinity"`...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// AppendParam appends a param value of type string, int64, float64 or
// bool so that Parse reads back the same type: a float always carries a
// fraction or an exponent (1.0, not 1, which would read as an integer),
// and a non-finite float is a bare NaN, Infinity or -Infinity (quoted it
// would read as a string). Other types are written as null.
func AppendParam(dst []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return AppendString(dst, v)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case bool:
		return strconv.AppendBool(dst, v)
	case float64:
		switch {
		case math.IsNaN(v):
			return append(dst, "NaN"...)
		case math.IsInf(v, 1):
			return append(dst, "Infinity"...)
		case math.IsInf(v, -1):
			return append(dst, "-Infinity"...)
		}
		n := len(dst)
		dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
		for _, c := range dst[n:] {
			if c == '.' || c == 'e' {
				return dst
			}
		}
		return append(dst, '.', '0')
	}
	return append(dst, "null"...)
}

// AppendStringMap appends m as a JSON object with its keys sorted, so that
// equal maps give equal text (context labels, tags).
func AppendStringMap(dst []byte, m map[string]string) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, k)
		dst = append(dst, ':')
		dst = AppendString(dst, m[k])
	}
	return append(dst, '}')
}
