package harness

import (
	"encoding/json"
	"io"
)

// Row is one entry of the JSON report: a figure of a system on a
// workload, or (System "trackdb/<peer>", Unit "ratio") trackdb's median
// over the peer's, with the range RatioStat gives. Missing figures have a
// nil Value and say why.
type Row struct {
	System   string   `json:"system"`
	Workload string   `json:"workload"`
	Figure   string   `json:"figure"`
	Value    *float64 `json:"value"`
	Unit     string   `json:"unit"`
	Reps     int      `json:"reps"`
	Min      *float64 `json:"min"`
	Max      *float64 `json:"max"`
	Missing  string   `json:"missing,omitempty"`
	Method   string   `json:"method,omitempty"`
}

// Rows returns the results as JSON rows.
func (r *Results) Rows() []Row {
	var rows []Row
	for _, wl := range r.Config.Workloads {
		for _, def := range figures[wl] {
			for _, s := range r.Config.Systems {
				st, missing, ok := r.Figure(wl, s, def.ID)
				if !ok {
					continue
				}
				row := Row{System: s, Workload: wl, Figure: string(def.ID), Unit: def.Unit, Missing: missing, Method: r.Method(wl, s, def.ID)}
				if missing == "" {
					row.Value, row.Min, row.Max, row.Reps = &st.Median, &st.Min, &st.Max, st.Reps
				}
				rows = append(rows, row)
			}
			if !r.hasSystem("trackdb") {
				continue
			}
			for _, p := range r.peers() {
				if st, ok := r.RatioStat(wl, p, def.ID); ok {
					rows = append(rows, Row{System: "trackdb/" + p, Workload: wl, Figure: string(def.ID), Value: &st.Median, Unit: "ratio", Reps: st.Reps, Min: &st.Min, Max: &st.Max})
				}
			}
		}
	}
	return rows
}

// WriteJSON writes Rows as an indented JSON array.
func (r *Results) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Rows())
}
