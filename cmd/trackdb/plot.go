package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/query"
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
		name:     "plot",
		summary:  "draw a metric's curves to a PNG, SVG or PDF file",
		operands: "[QUERY]",
		doc: `
Plot draws one line per run (and per context, such as {subset=val}) of
the metric named by --metric, with a legend, axis labels and a grid, and
writes it to --out; the file's extension chooses the format (.png, .svg,
.pdf). --run names a run by ID or by name and may be repeated; without
it every run that logged the metric is drawn. The x axis is the step, or
with --x time the wall time (UTC). NaN and infinite values cannot be
drawn and are left out (counted on stderr); --logy draws y on a log
scale, and --ymin/--ymax fix the y range, which keeps a diverged run's
huge values from flattening the others. Series longer than 4,000
points are reduced to the min and max of each bucket, which keeps spikes.

QUERY (docs/query.md) selects what to draw: a run search (or a bare
filter) picks the runs whose --metric is drawn; a series or aggregate
query is drawn as it returns its curves (smoothed, downsampled, averaged
across seeds, on its own x axis), and needs no --metric.

Examples:

	trackdb plot --dir store --metric loss --out loss.png
	trackdb plot --dir store --metric val/acc --run r1 --run r2 --x time --out acc.svg
	trackdb plot --dir store --metric loss "params.opt = 'adam'"
	trackdb plot --dir store "series loss from runs where experiment = 'cifar' smooth 0.6" --out smooth.png`,
		setup: func(fs *flag.FlagSet) func(*env, []string) error {
			dir := dirFlag(fs)
			out := fs.String("out", "curves.png", "output `file`: .png, .svg or .pdf")
			metric := fs.String("metric", "", "the metric to draw (required)")
			x := fs.String("x", "step", "x `axis`: step or time")
			title := fs.String("title", "", "plot title (default: the metric's name)")
			width := fs.Float64("width", 8, "image width in `inches` (96 pixels each in PNG)")
			height := fs.Float64("height", 5, "image height in `inches`")
			logy := fs.Bool("logy", false, "logarithmic y axis (values <= 0 are left out)")
			ymin := fs.String("ymin", "", "lowest y shown (default: the data's)")
			ymax := fs.String("ymax", "", "highest y shown (default: the data's); a diverged run's 1e38 then stays off the chart")
			var runs stringsFlag
			fs.Var(&runs, "run", "draw the run with this `ID or name` (repeatable; default all)")
			return func(e *env, operands []string) error {
				if len(operands) > 1 {
					return usagef("want at most one QUERY operand (quote it), got %d", len(operands))
				}
				text := strings.Join(operands, "")
				if *metric == "" && !curveQuery(text) {
					return usagef("--metric is required, unless QUERY is a series query")
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
				o := plotOptions{metric: *metric, out: *out, x: *x, title: *title, width: *width, height: *height, logy: *logy,
					ymin: math.NaN(), ymax: math.NaN()}
				for _, b := range []struct {
					name, text string
					dst        *float64
				}{{"ymin", *ymin, &o.ymin}, {"ymax", *ymax, &o.ymax}} {
					if b.text == "" {
						continue
					}
					v, err := strconv.ParseFloat(b.text, 64)
					if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
						return usagef("--%s %q: want a finite number", b.name, b.text)
					}
					*b.dst = v
				}
				if o.ymin >= o.ymax {
					return usagef("--ymin must be below --ymax")
				}
				return runPlot(e, *dir, runs, text, o)
			}
		},
	}
}

type plotOptions struct {
	metric, out, title string
	x                  string // step, time or relative
	logy               bool
	ymin, ymax         float64 // NaN: from the data
	query              string  // the series query drawn, for the title
	width, height      float64
}

// curveQuery reports whether text is a series query (as opposed to a run
// search or a bare filter), judged by its first word.
func curveQuery(text string) bool {
	first := strings.ToLower(strings.SplitN(strings.TrimSpace(text), " ", 2)[0])
	return first == "series"
}

// curve is one line of the plot.
type curve struct {
	label   string
	xys     plotter.XYs
	dropped int // non-finite values left out
}

func runPlot(e *env, dir string, sel []string, text string, o plotOptions) (err error) {
	db, err := openExisting(dir, storeOptions(e.stderr))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if curveQuery(text) {
		return plotQueryCurves(e, db, text, o)
	}
	if text != "" {
		ids, err := queryRuns(db, text)
		if err != nil {
			return err
		}
		sel = append(sel, ids...)
		if len(sel) == 0 {
			return fmt.Errorf("the query found no run")
		}
	}
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
			c, err := readCurve(db, r, s, o.x == "time")
			if err != nil {
				return err
			}
			curves = append(curves, c)
		}
	}
	if len(curves) == 0 {
		return fmt.Errorf("no run of the %d selected logged metric %q", len(runs), o.metric)
	}
	// Legend in name order, numbers by value (Sacred's run 3 before 78).
	slices.SortStableFunc(curves, func(a, b curve) int {
		if len(a.label) != len(b.label) && isDigits(a.label) && isDigits(b.label) {
			return len(a.label) - len(b.label)
		}
		return strings.Compare(a.label, b.label)
	})
	return saveCurves(e, curves, o)
}

// saveCurves draws curves into o.out and reports what it drew.
func saveCurves(e *env, curves []curve, o plotOptions) error {
	trimCommonPrefix(curves)
	if o.logy {
		for i := range curves {
			c := &curves[i]
			kept := c.xys[:0]
			for _, p := range c.xys {
				if p.Y > 0 {
					kept = append(kept, p)
				} else {
					c.dropped++
				}
			}
			c.xys = kept
		}
	}
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
		what := "NaN or infinite"
		if o.logy {
			what = "NaN, infinite or non-positive"
		}
		fmt.Fprintf(e.stderr, ", %s %s values left out", count(int64(dropped)), what)
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

// decadeTicks marks the powers of ten of a log axis, labelling at most
// about eight of them, so that a range of forty decades stays readable.
type decadeTicks struct{}

// Ticks implements plot.Ticker.
func (decadeTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	first, last := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	every := max(1, (last-first+7)/8)
	var ticks []plot.Tick
	for d := first; d <= last; d++ {
		v := math.Pow(10, float64(d))
		if v < lo || v > hi {
			continue
		}
		t := plot.Tick{Value: v}
		if d%every == 0 {
			if d >= -3 && d <= 4 {
				t.Label = strconv.FormatFloat(v, 'f', -1, 64)
			} else {
				t.Label = "1e" + strconv.Itoa(d)
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// timeFormat picks tick labels that tell apart the times the curves span:
// milliseconds for runs written in seconds, the date for runs of days.
func timeFormat(curves []curve) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for _, p := range c.xys {
			lo, hi = math.Min(lo, p.X), math.Max(hi, p.X)
		}
	}
	switch span := hi - lo; {
	case span < 60:
		return "15:04:05.000"
	case span < 24*3600:
		return "15:04:05"
	}
	return "2006-01-02\n15:04"
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
	if p.Title.Text == "" {
		p.Title.Text = o.query
	}
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Y.Label.Text = o.metric
	if p.Y.Label.Text == "" {
		p.Y.Label.Text = "value"
	}
	switch o.x {
	case "time":
		p.X.Label.Text = "wall time (UTC)"
		p.X.Tick.Marker = plot.TimeTicks{Format: timeFormat(curves), Time: func(t float64) time.Time {
			return time.UnixMilli(int64(math.Round(t * 1000))).UTC()
		}}
		for _, c := range curves {
			// Drawn in time order: a resumed run's repeated steps would
			// otherwise run backwards across the plot.
			slices.SortStableFunc(c.xys, func(a, b plotter.XY) int { return cmpFloat(a.X, b.X) })
		}
	case "relative":
		p.X.Label.Text = "seconds since the run's start"
	default:
		p.X.Label.Text = "step"
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
	if !math.IsNaN(o.ymin) {
		p.Y.Min = o.ymin
	}
	if !math.IsNaN(o.ymax) {
		p.Y.Max = o.ymax
	}
	if o.logy {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = decadeTicks{}
	}
	// Room above the curves for the legend, which has no background,
	// unless --ymax says where the plot ends.
	switch rows := float64(min(len(curves), 12)); {
	case !math.IsNaN(o.ymax):
	case o.logy:
		p.Y.Max *= math.Pow(10, 0.15*rows)
	case p.Y.Max > p.Y.Min:
		p.Y.Max += (p.Y.Max - p.Y.Min) * 0.07 * rows
	}
	return p, nil
}

// plotQueryCurves draws the curves a series or aggregate query returns, on
// the query's own x axis.
func plotQueryCurves(e *env, db *engine.DB, text string, o plotOptions) error {
	res, err := db.Query(context.Background(), text)
	if err != nil {
		return err
	}
	if len(res.Curves) == 0 {
		return fmt.Errorf("the query returned no curve")
	}
	o.x, o.query = res.X, strings.TrimSpace(text)
	metrics := map[string]bool{}
	for _, c := range res.Curves {
		metrics[c.Metric] = true
	}
	if len(metrics) == 1 && o.metric == "" {
		o.metric = res.Curves[0].Metric
	}
	names := map[string]string{}
	curves := make([]curve, 0, len(res.Curves))
	for _, qc := range res.Curves {
		c := curve{label: queryCurveLabel(db, names, qc, len(metrics) > 1)}
		for _, p := range qc.Points {
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				c.dropped++
				continue
			}
			var x float64
			switch res.X {
			case "time":
				x = float64(p.Time) / 1000
			case "relative":
				x = float64(p.Time-qc.Start) / 1000
			default:
				x = float64(p.Step)
			}
			c.xys = append(c.xys, plotter.XY{X: x, Y: p.Value})
		}
		c.xys = reduce(c.xys, plotMaxPoints)
		curves = append(curves, c)
	}
	return saveCurves(e, curves, o)
}

// queryCurveLabel names a query's curve: the run's name (its ID when it
// has none), or for an aggregate the statistic and the group's values;
// then the metric when several are drawn, and the context.
func queryCurveLabel(db *engine.DB, names map[string]string, c query.Curve, withMetric bool) string {
	var label string
	if c.Agg != "" {
		label = c.Agg
		for _, g := range c.Group {
			label += " " + g.Field + "=" + g.Value.String()
		}
	} else {
		name, ok := names[c.RunID]
		if !ok {
			name = c.RunID
			if r, err := db.Run(c.RunID); err == nil && r.Name != "" {
				name = r.Name
			}
			names[c.RunID] = name
		}
		label = name
	}
	if withMetric {
		label += " " + c.Metric
	}
	if len(c.Context) > 0 {
		label += " " + engine.Context(c.Context).String()
	}
	return label
}
