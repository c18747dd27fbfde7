package main

import (
	"strconv"
	"time"
)

// count writes n with thousands separators: 3,891,200.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// rate writes n per second over d, rounded to a readable figure.
func rate(n int64, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	r := float64(n) / d.Seconds()
	switch {
	case r >= 1e6:
		return strconv.FormatFloat(r/1e6, 'f', 2, 64) + " M"
	case r >= 1e3:
		return strconv.FormatFloat(r/1e3, 'f', 1, 64) + " k"
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}

// formatTime writes a Unix-millisecond time for tables, in UTC so that the
// output does not depend on the machine it runs on; 0 (not set) is "-".
func formatTime(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05")
}

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// dur rounds a duration for humans: milliseconds, or microseconds below
// ten milliseconds so that quick steps do not print as "0s".
func dur(d time.Duration) time.Duration {
	if d < 10*time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
