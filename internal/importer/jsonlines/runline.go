package jsonlines

import (
	"time"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/jsonl"
)

// RunChange turns a run line into what the engine takes: the spec that
// creates the run when it is new, and the one-record update that applies
// the line to an existing run (only the fields the line has). A status
// without an end time ends a terminal run now and clears the end of a
// running one, as engine.DB.SetStatus does. Tags are copied, since a
// jsonl.Line reuses its maps for the next line.
func RunChange(l *jsonl.Line) (engine.RunSpec, engine.RunUpdate, error) {
	var status engine.Status
	if l.Has(jsonl.FieldStatus) {
		var err error
		if status, err = engine.ParseStatus(l.Status); err != nil {
			return engine.RunSpec{}, engine.RunUpdate{}, err
		}
	}
	var datasets []engine.Dataset
	for _, d := range l.Datasets {
		datasets = append(datasets, engine.Dataset{Name: d.Name, Digest: d.Digest, Context: d.Context})
	}
	spec := engine.RunSpec{
		ID: l.Run, Experiment: l.Experiment, Name: l.Name, Status: status,
		StartTime: l.StartTime, EndTime: l.EndTime, Params: l.Params, Tags: copyTags(l.Tags),
		Datasets: datasets,
	}
	u := engine.RunUpdate{Params: l.Params, Tags: spec.Tags, Datasets: datasets}
	if l.Has(jsonl.FieldExperiment) {
		u.Experiment = &spec.Experiment
	}
	if l.Has(jsonl.FieldName) {
		u.Name = &spec.Name
	}
	if l.Has(jsonl.FieldStartTime) {
		u.StartTime = &spec.StartTime
	}
	if l.Has(jsonl.FieldEndTime) {
		u.EndTime = &spec.EndTime
	}
	if l.Has(jsonl.FieldStatus) {
		u.Status = &spec.Status
		if !l.Has(jsonl.FieldEndTime) {
			end := int64(0)
			if status.Terminal() {
				end = time.Now().UnixMilli()
			}
			u.EndTime = &end
		}
	}
	return spec, u, nil
}
