package systems

import "fmt"

// Names lists the systems in report order: trackdb first, then its peers.
var Names = []string{"trackdb", "prometheus", "sqlite", "pebble"}

// New returns a fresh, unopened system by name.
func New(name string) (System, error) {
	switch name {
	case "trackdb":
		return NewTrackdb(), nil
	case "prometheus":
		return NewPrometheus(), nil
	case "sqlite":
		return NewSQLite(), nil
	case "pebble":
		return NewPebble(), nil
	}
	return nil, fmt.Errorf("systems: unknown system %q (have %v)", name, Names)
}
