package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a one-line progress bar with rate and ETA on a terminal,
// and nothing at all when its writer is not one (a file, a pipe, CI logs),
// so that redirected output carries no carriage-return noise.
type progress struct {
	w       io.Writer
	label   string
	unit    string // "B" for bytes, else a noun such as "points"
	total   int64  // 0 when unknown: no bar, no ETA
	done    int64
	start   time.Time
	drawn   time.Time
	enabled bool
}

// progressEvery is how often the bar is redrawn at most.
const progressEvery = 100 * time.Millisecond

// newProgress returns a bar for total units, drawn on w only when w is a
// terminal.
func newProgress(w io.Writer, label, unit string, total int64) *progress {
	return &progress{w: w, label: label, unit: unit, total: total, start: time.Now(), enabled: isTerminal(w)}
}

// isTerminal reports whether w is a character device, as a terminal is.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Add counts n more units done.
func (p *progress) Add(n int64) {
	if p == nil {
		return
	}
	p.done += n
	if !p.enabled {
		return
	}
	if now := time.Now(); now.Sub(p.drawn) >= progressEvery {
		p.drawn = now
		fmt.Fprintf(p.w, "\r%s\x1b[K", p.line(now))
	}
}

// Finish erases the bar, leaving the line for the summary.
func (p *progress) Finish() {
	if p != nil && p.enabled && !p.drawn.IsZero() {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// line renders the bar: label [=====>    ] 45% 12.3 MB/27.0 MB 31.2 MB/s ETA 1s
func (p *progress) line(now time.Time) string {
	elapsed := now.Sub(p.start)
	var b strings.Builder
	b.WriteString(p.label)
	if p.total > 0 {
		frac := min(float64(p.done)/float64(p.total), 1)
		const width = 30
		fill := int(frac * width)
		b.WriteString(" [")
		b.WriteString(strings.Repeat("=", fill))
		if fill < width {
			b.WriteString(">")
			b.WriteString(strings.Repeat(" ", width-fill-1))
		}
		fmt.Fprintf(&b, "] %3.0f%% %s/%s", frac*100, p.amount(p.done), p.amount(p.total))
	} else {
		fmt.Fprintf(&b, " %s", p.amount(p.done))
	}
	if elapsed > 0 {
		r := float64(p.done) / elapsed.Seconds()
		fmt.Fprintf(&b, " %s/s", p.amount(int64(r)))
		if p.total > 0 && r > 0 && p.done < p.total {
			eta := time.Duration(float64(p.total-p.done) / r * float64(time.Second))
			fmt.Fprintf(&b, " ETA %s", eta.Round(time.Second))
		}
	}
	return b.String()
}

func (p *progress) amount(n int64) string {
	if p.unit != "B" {
		return count(n) + " " + p.unit
	}
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
