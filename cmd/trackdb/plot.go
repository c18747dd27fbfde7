package main

import (
	"flag"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/trackdb/trackdb/engine"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// plotMaxPoints is how many points a curve keeps when drawn: longer series
// are reduced to the min and max of each of plotMaxPoints/2 buckets, so a
// loss spike stays visible while the image stays small.
const plotMaxPoints = 4000

// plotColors are distinct, readable on white, and safe for the common
// kinds of color blindness (Okabe and Ito's palette).
var plotColors = []color.RGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {0, 0, 0, 255}, {240, 228, 66, 255},
}

func newPlotCommand() *command {
	return &command{
		name:    "plot",
		summary: "draw a metric's curves to a PNG, SVG or PDF file",
		doc: `
Plot draws one line per run (and per context, such as {subset=val}) of
the metric named by --metric, with a legend, axis labels and a grid, and
writes it to --out; the file's extension chooses the format (.png, .svg,
.pdf). --run names a run by ID or by name and may be repeated; without
it every run that logged the metric is drawn. The x axis is the step, or
with --x time the wall time (UTC). NaN and infinite values cannot be
drawn and are left out (counted on stderr); series longer than 4,000
points are reduced to the min and max of each bucket, which keeps spikes.
Selection by query comes with the query language.

Examples:

	trackdb plot --dir store --metric loss --out loss.png
	trackdb plot --dir store --metric val/acc --run r1 --run r2 --x time --out acc.svg`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			out := fs.String("out", "curves.png", "output `file`: .png, .svg or .pdf")
			metric := fs.String("metric", "", "the metric to draw (required)")
			x := fs.String("x", "step", "x `axis`: step or time")
			title := fs.String("title", "", "plot title (default: the metric's name)")
			width := fs.Float64("width", 8, "image width in `inches` (96 pixels each in PNG)")
			height := fs.Float64("height", 5, "image height in `inches`")
			var runs stringsFlag
			fs.Var(&runs, "run", "draw the run with this `ID or name` (repeatable; default all)")
			return func(e *env, operands []string) error {
				if len(operands) > 0 {
					return usagef("unexpected operand %q (select runs with --run)", operands[0])
				}
				if *metric == "" {
					return usagef("--metric is required")
				}
				if *x != "step" && *x != "time" {
					return usagef("--x %q: want step or time", *x)
				}
				switch strings.ToLower(filepath.Ext(*out)) {
				case ".png", ".svg", ".pdf":
				default:
					return usagef("--out %q: the name must end in .png, .svg or .pdf", *out)
				}
				if *width <= 0 || *height <= 0 || *width > 100 || *height > 100 {
					return usagef("--width and --height must be between 0 and 100 inches")
				}
				o := plotOptions{metric: *metric, out: *out, byTime: *x == "time", title: *title, width: *width, height: *height}
				return runPlot(e, *dir, runs, o)
			}
		},
	}
}

type plotOptions struct {
	metric, out, title string
	byTime             bool
	width, height      float64
}

// curve is one line of the plot.
type curve struct {
	label   string
	xys     plotter.XYs
	dropped int // non-finite values left out
}

func runPlot(e *env, dir string, sel []string, o plotOptions) (err error) {
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	runs, err := plotRuns(db, sel)
	if err != nil {
		return err
	}
	var curves []curve
	for _, r := range runs {
		series, err := db.SeriesOf(r.ID)
		if err != nil {
			return err
		}
		for _, s := range series {
			if s.Metric != o.metric {
				continue
			}
			c, err := readCurve(db, r, s, o.byTime)
			if err != nil {
				return err
			}
			curves = append(curves, c)
		}
	}
	// Legend in name order, numbers by value (Sacred's run 3 before 78).
	slices.SortStableFunc(curves, func(a, b curve) int {
		if len(a.label) != len(b.label) && isDigits(a.label) && isDigits(b.label) {
			return len(a.label) - len(b.label)
		}
		return strings.Compare(a.label, b.label)
	})
	if len(curves) == 0 {
		return fmt.Errorf("no run of the %d selected logged metric %q", len(runs), o.metric)
	}
	trimCommonPrefix(curves)
	p, err := drawCurves(curves, o)
	if err != nil {
		return err
	}
	if err := p.Save(vg.Length(o.width)*vg.Inch, vg.Length(o.height)*vg.Inch, o.out); err != nil {
		return err
	}
	var points, dropped int
	for _, c := range curves {
		points += len(c.xys)
		dropped += c.dropped
	}
	fmt.Fprintf(e.stderr, "wrote %s: %d curves, %s points drawn", o.out, len(curves), count(int64(points)))
	if dropped > 0 {
		fmt.Fprintf(e.stderr, ", %s NaN or infinite values left out", count(int64(dropped)))
	}
	fmt.Fprintln(e.stderr)
	return nil
}

// trimCommonPrefix shortens labels that share a leading path, as a
// TensorBoard logdir's runs do ("logs/exp1/run_1", "logs/exp1/run_2"
// become "run_1", "run_2"), cutting only at a "/".
func trimCommonPrefix(curves []curve) {
	if len(curves) < 2 {
		return
	}
	prefix := curves[0].label
	for _, c := range curves[1:] {
		for !strings.HasPrefix(c.label, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	cut := strings.LastIndexByte(prefix, '/') + 1
	if cut == 0 {
		return
	}
	for i := range curves {
		curves[i].label = curves[i].label[cut:]
	}
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// plotRuns resolves --run values, each an ID or a run name.
func plotRuns(db *engine.DB, sel []string) ([]engine.RunInfo, error) {
	all, err := db.Runs()
	if err != nil || len(sel) == 0 {
		return all, err
	}
	var out []engine.RunInfo
	for _, want := range sel {
		found := false
		for _, r := range all {
			if r.ID == want || r.Name == want {
				out = append(out, r)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: no run with ID or name %q", engine.ErrRunNotFound, want)
		}
	}
	return out, nil
}

func readCurve(db *engine.DB, r engine.RunInfo, s engine.SeriesInfo, byTime bool) (curve, error) {
	c := curve{label: r.Name}
	if c.label == "" {
		c.label = r.ID
	}
	if len(s.Context) > 0 {
		c.label += " " + s.Context.String()
	}
	it, err := db.Points(s.Ref, engine.MinStep, engine.MaxStep)
	if err != nil {
		return c, err
	}
	defer it.Close()
	for it.Next() {
		p := it.At()
		if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
			c.dropped++
			continue
		}
		x := float64(p.Step)
		if byTime {
			x = float64(p.Time) / 1000
		}
		c.xys = append(c.xys, plotter.XY{X: x, Y: p.Value})
	}
	if err := it.Err(); err != nil {
		return c, err
	}
	c.xys = reduce(c.xys, plotMaxPoints)
	return c, nil
}

// reduce keeps at most about limit points of xys: the min and the max of each
// bucket of consecutive points, in their order, so spikes survive.
func reduce(xys plotter.XYs, limit int) plotter.XYs {
	if len(xys) <= limit {
		return xys
	}
	buckets := limit / 2
	out := make(plotter.XYs, 0, 2*buckets)
	for b := range buckets {
		lo, hi := b*len(xys)/buckets, (b+1)*len(xys)/buckets
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if xys[i].Y < xys[imin].Y {
				imin = i
			}
			if xys[i].Y > xys[imax].Y {
				imax = i
			}
		}
		out = append(out, xys[min(imin, imax)])
		if imin != imax {
			out = append(out, xys[max(imin, imax)])
		}
	}
	return out
}

func drawCurves(curves []curve, o plotOptions) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = o.title
	if p.Title.Text == "" {
		p.Title.Text = o.metric
	}
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Y.Label.Text = o.metric
	p.X.Label.Text = "step"
	if o.byTime {
		p.X.Label.Text = "wall time (UTC)"
		p.X.Tick.Marker = plot.TimeTicks{Format: "01-02\n15:04:05"}
	}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.ThumbnailWidth = vg.Points(20)
	for i, c := range curves {
		if len(c.xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(c.xys)
		if err != nil {
			return nil, fmt.Errorf("curve %s: %w", c.label, err)
		}
		l.Color = plotColors[i%len(plotColors)]
		l.Width = vg.Points(1.5)
		if i >= len(plotColors) {
			l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		l.LineStyle.Width = l.Width
		p.Add(l)
		p.Legend.Add(c.label, l)
	}
	// Room above the curves for the legend, which has no background.
	if span := p.Y.Max - p.Y.Min; span > 0 {
		p.Y.Max += span * 0.07 * float64(min(len(curves), 12))
	}
	return p, nil
}
