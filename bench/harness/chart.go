package harness

import (
	"html"
	"io"
	"math"
	"strconv"
)

// chartColors gives each peer a bar color.
var chartColors = map[string]string{"prometheus": "#e6522c", "sqlite": "#1f5f8b", "pebble": "#5b8c2a"}

// chartRow is one figure of one workload in the chart.
type chartRow struct {
	label   string
	missing string // why trackdb has no value, if it has none
	bars    []chartBar
}

type chartBar struct {
	peer      string
	ratio     float64 // trackdb ÷ peer
	advantage float64 // > 1: trackdb better
}

func (r *Results) chartRows() []chartRow {
	var rows []chartRow
	for _, wl := range r.Config.Workloads {
		for _, def := range figures[wl] {
			if def.Only != "" {
				continue
			}
			row := chartRow{label: wl + ": " + r.label(wl, def) + " (" + def.Unit + ")"}
			if _, missing, ok := r.Figure(wl, "trackdb", def.ID); ok && missing != "" {
				row.missing = "missing for trackdb"
			}
			for _, p := range r.peers() {
				ratio, ok := r.Ratio(wl, p, def.ID)
				if !ok {
					continue
				}
				adv := ratio
				if !def.Higher {
					adv = 1 / ratio
				}
				row.bars = append(row.bars, chartBar{peer: p, ratio: ratio, advantage: adv})
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// WriteChart writes an SVG bar chart of the ratios: per figure, one bar
// per peer on a log scale of trackdb's advantage (the ratio where larger
// is better, its inverse where smaller is better), labelled with the raw
// ratio trackdb ÷ peer.
func (r *Results) WriteChart(w io.Writer) error {
	rows := r.chartRows()
	lo, hi := 0.1, 10.0
	for _, row := range rows {
		for _, b := range row.bars {
			lo, hi = math.Min(lo, b.advantage), math.Max(hi, b.advantage)
		}
	}
	lo = math.Pow(10, math.Floor(math.Log10(lo)))
	hi = math.Pow(10, math.Ceil(math.Log10(hi)))
	const (
		labelW = 380
		plotW  = 520
		barH   = 12
		left   = labelW + 10
		top    = 70
	)
	height := top + 40
	for _, row := range rows {
		height += max(len(row.bars), 1)*barH + 12
	}
	x := func(v float64) float64 {
		return left + plotW*(math.Log10(v)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo))
	}
	e := &errWriter{w: w}
	width := left + plotW + 90
	e.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", width, height)
	e.printf(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	e.printf(`<text x="10" y="20" font-size="14" font-weight="bold">trackdb vs peers: how many times better trackdb is (log scale; right of 1× = trackdb better)</text>` + "\n")
	e.printf(`<text x="10" y="38">%s · %d cores · %s · medians of up to %d reps (see RESULTS.md) · labels: trackdb ÷ peer</text>`+"\n",
		html.EscapeString(r.Machine.CPU), r.Machine.Cores, r.Machine.Go, r.Config.Reps)
	lx := float64(10)
	for _, p := range r.peers() {
		e.printf(`<rect x="%.0f" y="48" width="10" height="10" fill="%s"/><text x="%.0f" y="57">%s</text>`+"\n", lx, chartColors[p], lx+14, p)
		lx += 100
	}
	for d := lo; d <= hi*1.0001; d *= 10 {
		e.printf(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`+"\n", x(d), top-5, x(d), height-30, map[bool]string{true: "#000", false: "#ddd"}[d == 1])
		e.printf(`<text x="%.1f" y="%d" text-anchor="middle">%s×</text>`+"\n", x(d), height-16, strconv.FormatFloat(d, 'g', -1, 64))
	}
	y := top
	for _, row := range rows {
		h := max(len(row.bars), 1) * barH
		e.printf(`<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelW, y+h/2+4, html.EscapeString(row.label))
		if len(row.bars) == 0 {
			why := "no peer value"
			if row.missing != "" {
				why = row.missing
			}
			e.printf(`<text x="%.1f" y="%d" fill="#999" font-style="italic">%s</text>`+"\n", x(1)+4, y+barH-2, why)
		}
		for i, b := range row.bars {
			x0, x1 := x(1), x(b.advantage)
			if x1 < x0 {
				x0, x1 = x1, x0
			}
			by := y + i*barH
			e.printf(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", x0, by+1, math.Max(x1-x0, 1), barH-2, chartColors[b.peer])
			e.printf(`<text x="%.1f" y="%d" font-size="9">%s</text>`+"\n", math.Max(x1, x(1))+3, by+barH-2, fmtRatio(b.ratio))
		}
		y += h + 12
	}
	e.printf("</svg>\n")
	return e.err
}
