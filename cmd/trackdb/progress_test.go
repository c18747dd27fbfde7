package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestProgressSilentWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "importing", "B", 100)
	p.Add(50)
	p.Add(50)
	p.Finish()
	require.Empty(t, buf.String())

	f, err := os.CreateTemp(t.TempDir(), "stderr")
	require.NoError(t, err)
	defer f.Close()
	require.False(t, isTerminal(f), "a regular file is not a terminal")
	var nilBar *progress
	nilBar.Add(1) // a nil bar is a no-op
	nilBar.Finish()
}

func TestProgressLine(t *testing.T) {
	p := newProgress(nil, "importing", "B", 4<<20)
	p.start = time.Now().Add(-time.Second)
	p.done = 1 << 20
	line := p.line(p.start.Add(time.Second))
	require.True(t, strings.HasPrefix(line, "importing [======="), line)
	require.Contains(t, line, " 25% 1.0 MB/4.0 MB 1.0 MB/s ETA 3s")

	p = newProgress(nil, "exporting", "points", 0)
	p.start = time.Now().Add(-2 * time.Second)
	p.done = 3000
	require.Equal(t, "exporting 3,000 points 1,500 points/s", p.line(p.start.Add(2*time.Second)))
}
