package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// ChildFlag is the hidden flag with which the harness re-executes its own
// binary to run one job; main binds it and calls RunChild.
const ChildFlag = "child"

// RunChild reads a Job as JSON from in, runs it, and writes its JobResult
// as JSON to out.
func RunChild(in io.Reader, out io.Writer) error {
	var job Job
	if err := json.NewDecoder(in).Decode(&job); err != nil {
		return fmt.Errorf("harness: child: read job: %w", err)
	}
	return json.NewEncoder(out).Encode(runJob(job))
}

// spawn runs job in a child process (or in this one with InProcess).
func spawn(job Job) (*JobResult, error) {
	if job.Config.InProcess {
		return runJob(job), nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	in, err := json.Marshal(job)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-"+ChildFlag)
	cmd.Stdin = bytes.NewReader(in)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s/%s rep %d: child: %w", job.Workload, job.System, job.Rep, err)
	}
	var res JobResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("%s/%s rep %d: child output: %w", job.Workload, job.System, job.Rep, err)
	}
	return &res, nil
}
