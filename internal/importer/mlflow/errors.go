package mlflow

import "errors"

// Errors of the MLflow importer, wrapped in a sink.PosError naming the file
// and, for metric files, the line.
var (
	// ErrMeta is a meta.yaml that does not parse or lacks a required key.
	ErrMeta = errors.New("trackdb/mlflow: bad meta.yaml")
	// ErrMetricLine is a metric file line that is not
	// "<timestamp> <value> [<step>]".
	ErrMetricLine = errors.New("trackdb/mlflow: bad metric line")
	// ErrNotMLflow is a path that is no mlruns tree, experiment or run.
	ErrNotMLflow = errors.New("trackdb/mlflow: not an MLflow FileStore directory")
)
