package harness

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// footnotes numbers the reasons figures are missing.
type footnotes struct {
	reasons []string
	index   map[string]int
}

func (f *footnotes) ref(reason string) int {
	if f.index == nil {
		f.index = map[string]int{}
	}
	if i, ok := f.index[reason]; ok {
		return i
	}
	f.reasons = append(f.reasons, reason)
	f.index[reason] = len(f.reasons)
	return len(f.reasons)
}

// WriteTable writes the results as plain-text tables, one per workload,
// then the settings, methods and notes.
func (r *Results) WriteTable(out io.Writer) error {
	w := &errWriter{w: out}
	w.printf("trackdb benchmark — %s, %d cores, %s, %s\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Go, r.Machine.OS)
	w.printf("command: %s\n", r.Config.Command)
	if r.Config.Note != "" {
		w.printf("note: %s\n", r.Config.Note)
	}
	w.printf("every cell: median (min–max) of %d repetitions (n=K: only K ran); ratio columns: trackdb ÷ peer, of the medians\n", r.Config.Reps)
	for _, wl := range r.Config.Workloads {
		spec, _ := r.Config.spec(wl)
		w.printf("\n== %s: %s = %s points; data generation alone %s points/s (inside every ingest figure)\n",
			wl, spec, fmtValue(float64(spec.Points())), fmtValue(r.GenRate[wl]))
		var notes footnotes
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		header := []string{"figure", "unit"}
		header = append(header, r.Config.Systems...)
		if r.hasSystem("trackdb") {
			for _, p := range r.peers() {
				header = append(header, "÷"+p)
			}
		}
		fmt.Fprintln(tw, strings.Join(header, "\t"))
		for _, def := range figures[wl] {
			row := []string{r.label(wl, def), def.Unit}
			for _, s := range r.Config.Systems {
				row = append(row, r.cellText(wl, s, def, &notes))
			}
			if r.hasSystem("trackdb") {
				for _, p := range r.peers() {
					if ratio, ok := r.Ratio(wl, p, def.ID); ok {
						row = append(row, fmtRatio(ratio))
					} else {
						row = append(row, "—")
					}
				}
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for i, why := range notes.reasons {
			w.printf("  [%d] %s\n", i+1, why)
		}
	}
	w.printf("\nsettings:\n")
	for _, s := range r.Config.Systems {
		for _, line := range r.Settings[s] {
			w.printf("  %-10s %s\n", s, line)
		}
	}
	w.printf("\nmethods:\n")
	for _, line := range r.methodLines() {
		w.printf("  %s\n", line)
	}
	if len(r.Notes) > 0 {
		w.printf("\nnotes:\n")
		for _, n := range r.Notes {
			w.printf("  %s\n", n)
		}
	}
	w.printf("\nelapsed %s\n", r.Elapsed.Round(1e9))
	return w.err
}

// cellText renders one cell of the table.
func (r *Results) cellText(wl, system string, def figureDef, notes *footnotes) string {
	st, missing, ok := r.Figure(wl, system, def.ID)
	switch {
	case !ok:
		return "n/a"
	case missing != "":
		return fmt.Sprintf("missing[%d]", notes.ref(system+": "+missing))
	case st.Reps < r.Config.Reps:
		return fmtStat(st) + fmt.Sprintf(" n=%d", st.Reps)
	}
	return fmtStat(st)
}

// methodLines lists how each system measured each figure, deduplicated.
func (r *Results) methodLines() []string {
	seen := map[string]bool{}
	var out []string
	for _, wl := range r.Config.Workloads {
		for _, def := range figures[wl] {
			for _, s := range r.Config.Systems {
				m := r.Method(wl, s, def.ID)
				key := s + string(def.ID) + m
				if m == "" || seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, fmt.Sprintf("%-10s %-14s %s", s, def.ID, m))
			}
		}
	}
	return out
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
