package mlflow

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/trackdb/trackdb/engine"
	"go.yaml.in/yaml/v3"
)

// Meta is what the importer reads from a meta.yaml, of a run or an
// experiment.
type Meta struct {
	ExperimentID   string
	Name           string // experiment name, or 1.x run name
	RunID          string // run_id, or run_uuid
	RunName        string
	Status         engine.Status
	StartTime      int64
	EndTime        int64
	LifecycleStage string
}

// IsRun reports whether the meta.yaml is a run's.
func (m *Meta) IsRun() bool { return m.RunID != "" }

// ParseMeta parses a meta.yaml's bytes.
func ParseMeta(b []byte) (Meta, error) {
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return Meta{}, fmt.Errorf("%w: %w", ErrMeta, err)
	}
	m := Meta{
		ExperimentID:   text(raw["experiment_id"]),
		Name:           text(raw["name"]),
		RunID:          text(raw["run_id"]),
		RunName:        text(raw["run_name"]),
		LifecycleStage: text(raw["lifecycle_stage"]),
	}
	if m.RunID == "" {
		m.RunID = text(raw["run_uuid"])
	}
	var err error
	if m.StartTime, err = millis(raw, "start_time"); err != nil {
		return Meta{}, err
	}
	if m.EndTime, err = millis(raw, "end_time"); err != nil {
		return Meta{}, err
	}
	if m.IsRun() {
		if m.Status, err = status(raw["status"]); err != nil {
			return Meta{}, err
		}
	}
	return m, nil
}

// ReadMeta reads and parses the meta.yaml at path.
func ReadMeta(path string) (Meta, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Meta{}, err
	}
	return ParseMeta(b)
}

// text renders a scalar YAML value as text: experiment IDs are quoted
// strings in 2.x and bare numbers in some 1.x files.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(v)
}

func millis(raw map[string]any, key string) (int64, error) {
	switch v := raw[key].(type) {
	case nil:
		return 0, nil
	case int:
		return int64(v), nil
	case int64:
		return v, nil
	case uint64:
		if v <= 1<<62 {
			return int64(v), nil
		}
	case float64:
		if v >= 0 && v < 1<<62 {
			return int64(v), nil
		}
	case string:
		if v == "" {
			return 0, nil
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: %s: %v is not a time in milliseconds", ErrMeta, key, raw[key])
}

// MLflow's RunStatus numbers, as its FileStore writes them.
var statusCodes = map[int]engine.Status{
	1: engine.StatusRunning,  // RUNNING
	2: engine.StatusRunning,  // SCHEDULED
	3: engine.StatusFinished, // FINISHED
	4: engine.StatusFailed,   // FAILED
	5: engine.StatusKilled,   // KILLED
}

func status(v any) (engine.Status, error) {
	switch v := v.(type) {
	case nil:
		return engine.StatusRunning, nil
	case int:
		if s, ok := statusCodes[v]; ok {
			return s, nil
		}
	case string:
		w := strings.ToUpper(strings.TrimSpace(v))
		if w == "SCHEDULED" {
			return engine.StatusRunning, nil
		}
		if n, err := strconv.Atoi(w); err == nil {
			return status(n)
		}
		if s, err := engine.ParseStatus(w); err == nil {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w: status %v is none of 1-5 or RUNNING, SCHEDULED, FINISHED, FAILED, KILLED", ErrMeta, v)
}
