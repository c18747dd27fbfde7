package sacred

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/trackdb/trackdb/engine"
)

// RunJSON is the part of run.json the importer reads.
type RunJSON struct {
	Status    string          `json:"status"`
	StartTime string          `json:"start_time"`
	StopTime  string          `json:"stop_time"`
	Heartbeat string          `json:"heartbeat"`
	Command   string          `json:"command"`
	FailTrace []string        `json:"fail_trace"`
	Result    json.RawMessage `json:"result"`
	Host      struct {
		Hostname      string `json:"hostname"`
		CPU           string `json:"cpu"`
		OS            []any  `json:"os"`
		PythonVersion string `json:"python_version"`
	} `json:"host"`
	Experiment struct {
		Name         string `json:"name"`
		Mainfile     string `json:"mainfile"`
		Repositories []struct {
			URL    string `json:"url"`
			Commit string `json:"commit"`
			Dirty  any    `json:"dirty"`
		} `json:"repositories"`
	} `json:"experiment"`
}

// ParseRun parses a run.json.
func ParseRun(b []byte) (RunJSON, error) {
	var r RunJSON
	err := decodePython(b, &r)
	return r, err
}

// statuses maps Sacred's status words to run statuses.
var statuses = map[string]engine.Status{
	"COMPLETED":   engine.StatusFinished,
	"FAILED":      engine.StatusFailed,
	"TIMEOUT":     engine.StatusFailed,
	"TIMED_OUT":   engine.StatusFailed,
	"INTERRUPTED": engine.StatusKilled,
	"RUNNING":     engine.StatusRunning,
	"QUEUED":      engine.StatusRunning,
}

// Status maps a Sacred status word; ok is false for an unknown word.
func Status(word string) (engine.Status, bool) {
	s, ok := statuses[strings.ToUpper(strings.TrimSpace(word))]
	return s, ok
}

// Time parses Sacred's ISO 8601 times into Unix milliseconds; a time
// without a zone is UTC, as Sacred writes datetime.utcnow(). Empty is 0.
func Time(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrTime, s)
}

// tags returns the run.json facts kept as tags.
func (r *RunJSON) tags(id string) map[string]string {
	t := map[string]string{"sacred.id": id, "sacred.status": r.Status}
	set := func(k, v string) {
		if v != "" {
			t[k] = v
		}
	}
	set("sacred.command", r.Command)
	set("sacred.mainfile", r.Experiment.Mainfile)
	set("sacred.host.hostname", r.Host.Hostname)
	set("sacred.host.cpu", r.Host.CPU)
	set("sacred.host.python_version", r.Host.PythonVersion)
	if len(r.Host.OS) > 0 {
		parts := make([]string, len(r.Host.OS))
		for i, p := range r.Host.OS {
			parts[i] = fmt.Sprint(p)
		}
		set("sacred.host.os", strings.Join(parts, " "))
	}
	if len(r.Experiment.Repositories) > 0 {
		repo := r.Experiment.Repositories[0]
		set("sacred.git.url", repo.URL)
		set("sacred.git.commit", repo.Commit)
		if repo.Dirty != nil {
			set("sacred.git.dirty", strconv.FormatBool(repo.Dirty == true))
		}
	}
	if len(r.FailTrace) > 0 {
		set("sacred.fail_trace", strings.Join(r.FailTrace, ""))
	}
	if len(r.Result) > 0 && string(r.Result) != "null" && len(r.Result) <= engine.MaxTagValueLen {
		set("sacred.result", string(r.Result))
	}
	return t
}
