package main

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"

	"github.com/trackdb/trackdb/engine"
)

// writeRunsCSV writes one row per run, the way MLflow's search_runs lays
// runs out as a data frame: fixed attribute columns, then one params.<key>
// column per param key and one tags.<key> column per tag key in any run,
// sorted; a run without a key has an empty cell. Times are Unix ms.
func writeRunsCSV(w io.Writer, runs []engine.RunInfo) error {
	var params, tags []string
	for _, r := range runs {
		for k := range r.Params {
			if !slices.Contains(params, k) {
				params = append(params, k)
			}
		}
		for k := range r.Tags {
			if !slices.Contains(tags, k) {
				tags = append(tags, k)
			}
		}
	}
	slices.Sort(params)
	slices.Sort(tags)
	cw := csv.NewWriter(w)
	head := []string{"run_id", "experiment", "name", "status", "start_time", "end_time"}
	for _, k := range params {
		head = append(head, "params."+k)
	}
	for _, k := range tags {
		head = append(head, "tags."+k)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, 0, len(head))
	for _, r := range runs {
		end := ""
		if r.EndTime != 0 {
			end = strconv.FormatInt(r.EndTime, 10)
		}
		row = append(row[:0], r.ID, r.Experiment, r.Name, r.Status.String(), strconv.FormatInt(r.StartTime, 10), end)
		for _, k := range params {
			v, ok := r.Params[k]
			if ok {
				row = append(row, v.String())
			} else {
				row = append(row, "")
			}
		}
		for _, k := range tags {
			row = append(row, r.Tags[k])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
