package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

func TestPlotWritesImages(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	runOK(t, "ingest", "--dir", src, "--quiet", writeFile(t, exportInput))
	out := filepath.Join(tmp, "loss.png")
	r := runOK(t, "plot", "--dir", src, "--metric", "loss", "--out", out)
	require.Contains(t, r.stderr, "2 curves, 2 points drawn, 2 NaN or infinite values left out")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	require.Equal(t, 768, img.Bounds().Dx(), "8 inches at 96 dpi")

	svg := filepath.Join(tmp, "acc.svg")
	r = runOK(t, "plot", "--dir", src, "--metric", "acc", "--run", "lr-0.1", "--x", "time", "--out", svg)
	require.Contains(t, r.stderr, "2 curves, 2 points drawn, 1 NaN or infinite values left out")
	b, err = os.ReadFile(svg)
	require.NoError(t, err)
	require.Contains(t, string(b), "<svg")
	require.Contains(t, string(b), ">lr-0.1<", "the legend names the run")
}

func TestPlotUsage(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	runOK(t, "ingest", "--dir", src, "--quiet", writeFile(t, exportInput))
	for _, args := range [][]string{
		{"plot", "--dir", src},
		{"plot", "--dir", src, "--metric", "loss", "--out", "x.gif"},
		{"plot", "--dir", src, "--metric", "loss", "--x", "epoch"},
	} {
		require.Equal(t, exitUsage, trackdb(t, nil, args...).code, "%v", args)
	}
	r := trackdb(t, nil, "plot", "--dir", src, "--metric", "nope", "--out", filepath.Join(t.TempDir(), "x.png"))
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.stderr, `logged metric "nope"`)
	r = trackdb(t, nil, "plot", "--dir", src, "--metric", "loss", "--run", "ghost")
	require.Equal(t, exitError, r.code)
}

func TestReduceKeepsSpikes(t *testing.T) {
	xys := make(plotter.XYs, 100000)
	for i := range xys {
		xys[i] = plotter.XY{X: float64(i), Y: 1}
	}
	xys[54321].Y = 1000
	got := reduce(xys, 4000)
	require.LessOrEqual(t, len(got), 4000)
	found := false
	for i, p := range got {
		if i > 0 {
			require.Less(t, got[i-1].X, p.X, "points stay in order")
		}
		found = found || p.Y == 1000
	}
	require.True(t, found, "the spike survives")
}

func TestTrimCommonPrefix(t *testing.T) {
	cs := []curve{{label: "logs/exp/run_1"}, {label: "logs/exp/run_2 {subset=val}"}}
	trimCommonPrefix(cs)
	require.Equal(t, "run_1", cs[0].label)
	require.Equal(t, "run_2 {subset=val}", cs[1].label)
	cs = []curve{{label: "run_1"}, {label: "run_2"}}
	trimCommonPrefix(cs)
	require.Equal(t, "run_1", cs[0].label)
}

func TestPlotQuery(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	runOK(t, "ingest", "--dir", src, "--quiet", writeFile(t, exportInput))
	svg := filepath.Join(tmp, "q.svg")
	r := runOK(t, "plot", "--dir", src, "series acc from runs where experiment = 'cifar'", "--out", svg)
	require.Contains(t, r.stderr, "wrote "+svg)
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	require.Contains(t, string(b), ">acc<", "the single metric titles the plot")
	require.Contains(t, string(b), ">lr-0.1<")

	// A run search picks the runs whose --metric is drawn.
	r = runOK(t, "plot", "--dir", src, "--metric", "loss", "experiment = 'cifar'", "--out", svg)
	require.Contains(t, r.stderr, "1 curves")
	r = trackdb(t, nil, "plot", "--dir", src, "experiment = 'cifar'", "--out", svg)
	require.Equal(t, exitUsage, r.code, "a run search needs --metric")
}

func TestPlotScales(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	runOK(t, "ingest", "--dir", src, "--quiet", writeFile(t, exportInput))
	out := filepath.Join(tmp, "log.png")
	r := runOK(t, "plot", "--dir", src, "--metric", "acc", "--logy", "--out", out)
	require.Contains(t, r.stderr, "NaN, infinite or non-positive values left out")
	runOK(t, "plot", "--dir", src, "--metric", "loss", "--ymin", "0", "--ymax", "3", "--out", out)
	for _, args := range [][]string{{"--ymax", "x"}, {"--ymin", "3", "--ymax", "1"}, {"--ymax", "Inf"}} {
		r := trackdb(t, nil, append([]string{"plot", "--dir", src, "--metric", "loss", "--out", out}, args...)...)
		require.Equal(t, exitUsage, r.code, "%v", args)
	}
	require.Equal(t, []string{"", "1", "1e10"}, tickLabels(decadeTicks{}.Ticks(0.1, 1e20)[:1], decadeTicks{}.Ticks(0.1, 1e20)[1:2], decadeTicks{}.Ticks(1e9, 1e20)[1:2]))
}

func tickLabels(groups ...[]plot.Tick) []string {
	var out []string
	for _, g := range groups {
		for _, t := range g {
			out = append(out, t.Label)
		}
	}
	return out
}
