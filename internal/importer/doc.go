// Package importer brings other trackers' files into a trackdb store:
// TensorBoard event files, MLflow's FileStore, Sacred's
// FileStorageObserver, and JSON Lines and CSV. Each format lives in its
// own package (tfevents, mlflow, sacred, jsonlines, csvfile); all write
// through package sink, which batches points into the engine's bulk
// Append and makes a repeated import add nothing. This package detects
// the format of a path and runs the right importer; docs/import.md is the
// user's guide.
package importer
