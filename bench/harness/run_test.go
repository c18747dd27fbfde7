package harness

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/bench/systems"
)

// tinyConfig runs every workload and system in-process, small.
func tinyConfig(t *testing.T) Config {
	c := QuickConfig()
	c.Training.Runs, c.Training.Steps = 4, 200
	c.Sweep.Runs, c.Sweep.Steps, c.Sweep.Concurrent = 60, 10, 20
	c.Long.Steps = 5000
	c.DownsamplePoints, c.DownsampleBuckets = 2000, 50
	c.ReadRuns = 2
	c.Reps = 2
	c.InProcess = true
	c.ScratchDir = t.TempDir()
	c.Command = "go test"
	return c
}

func TestRunReportsEveryFigure(t *testing.T) {
	cfg := tinyConfig(t)
	var table bytes.Buffer
	cfg.Out = &table
	res, err := Run(cfg)
	require.NoError(t, err)
	require.Zero(t, res.Failures, "%v", res.Notes)
	for _, n := range res.Notes {
		require.NotContains(t, n, "MISMATCH")
	}

	// Every figure of every system has a value or a reason.
	for _, wl := range cfg.Workloads {
		for _, def := range figures[wl] {
			for _, s := range cfg.Systems {
				st, missing, ok := res.Figure(wl, s, def.ID)
				if !ok {
					require.Equal(t, "trackdb", def.Only)
					continue
				}
				require.Empty(t, missing, "%s/%s/%s", wl, s, def.ID)
				require.Equal(t, 2, st.Reps, "%s/%s/%s", wl, s, def.ID)
				require.Positive(t, st.Median, "%s/%s/%s", wl, s, def.ID)
			}
		}
	}
	out := table.String()
	require.Contains(t, out, "÷prometheus")

	var js bytes.Buffer
	require.NoError(t, res.WriteJSON(&js))
	var rows []map[string]any
	require.NoError(t, json.Unmarshal(js.Bytes(), &rows))
	keys := []string{"system", "workload", "figure", "value", "unit", "reps", "min", "max"}
	sawRatio := false
	for _, row := range rows {
		for _, k := range keys {
			require.Contains(t, row, k)
		}
		require.NotNil(t, row["value"], "%v", row)
		if row["unit"] == "ratio" {
			sawRatio = true
		}
	}
	require.True(t, sawRatio)

	var md bytes.Buffer
	res.Config.ChartPath = "ratios.svg"
	require.NoError(t, res.WriteMarkdown(&md))
	require.Contains(t, md.String(), "## Targets")
	require.Contains(t, md.String(), "| bytes per point after compaction ≤ 0.9× Prometheus blocks |")
	require.Contains(t, md.String(), "![trackdb ÷ peer ratios](ratios.svg)")
	require.Contains(t, md.String(), "| CPU |")

	var svg bytes.Buffer
	require.NoError(t, res.WriteChart(&svg))
	dec := xml.NewDecoder(strings.NewReader(svg.String()))
	for {
		if _, err := dec.Token(); err != nil {
			require.Equal(t, "EOF", err.Error(), "the chart is well-formed XML")
			break
		}
	}
}

func TestRunChildProtocol(t *testing.T) {
	cfg := tinyConfig(t)
	job := Job{Workload: Training, System: "trackdb", Rep: 1, Config: cfg, Dir: t.TempDir()}
	in, err := json.Marshal(job)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, RunChild(bytes.NewReader(in), &out))
	var res JobResult
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	require.Empty(t, res.Err)
	require.NotEmpty(t, res.Samples)
	require.NotEmpty(t, res.Settings)
	require.Empty(t, res.Missing, "trackdb measures every training figure")
	figs := map[systems.Figure]bool{}
	for _, s := range res.Samples {
		figs[s.Figure] = true
	}
	require.True(t, figs[systems.FigDiskCompact])
	require.True(t, figs[systems.FigReplay])
}

func TestConfig(t *testing.T) {
	c := DefaultConfig()
	require.NoError(t, c.Validate())
	c.Scale(0.5)
	require.Equal(t, 50, c.Training.Runs)
	require.Equal(t, 5000, c.Sweep.Runs)
	require.Equal(t, int64(5_000_000), c.Long.Steps)
	c.Systems = []string{"nope"}
	require.Error(t, c.Validate())
}
