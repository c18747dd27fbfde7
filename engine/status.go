package engine

import (
	"fmt"
	"strings"
)

// Status is a run's lifecycle state.
type Status uint8

// Run statuses. The numeric values are part of the WAL format.
const (
	StatusRunning  Status = 1
	StatusFinished Status = 2
	StatusFailed   Status = 3
	StatusKilled   Status = 4
)

var statusNames = [...]string{StatusRunning: "running", StatusFinished: "finished", StatusFailed: "failed", StatusKilled: "killed"}

// String returns the lower-case status word.
func (s Status) String() string {
	if s.Valid() {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool { return s >= StatusRunning && s <= StatusKilled }

// Terminal reports whether s ends a run (anything but running).
func (s Status) Terminal() bool { return s.Valid() && s != StatusRunning }

// ParseStatus parses a status word case-insensitively, so MLflow's
// "FINISHED" is finished.
func ParseStatus(word string) (Status, error) {
	w := strings.ToLower(strings.TrimSpace(word))
	for s := StatusRunning; s <= StatusKilled; s++ {
		if statusNames[s] == w {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want running, finished, failed or killed)", ErrInvalidStatus, word)
}
