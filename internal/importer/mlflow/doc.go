// Package mlflow imports MLflow's FileStore: the mlruns directory that
// MLflow 1.x and 2.x write when tracking to local files.
//
// # Layout
//
//	mlruns/<experiment id>/meta.yaml                  experiment: name, experiment_id, lifecycle_stage
//	mlruns/<experiment id>/<run id>/meta.yaml         run: run_id, run_name, status, start_time, end_time, lifecycle_stage
//	mlruns/<experiment id>/<run id>/params/<key>      the param's text, usually without a trailing newline
//	mlruns/<experiment id>/<run id>/tags/<key>        the tag's text, any number of lines
//	mlruns/<experiment id>/<run id>/metrics/<name>    lines "<timestamp ms> <value> <step>"; older files "<timestamp ms> <value>"
//	mlruns/<experiment id>/<run id>/inputs/<id>/meta.yaml     source_type DATASET, source_id, tags (mlflow.data.context)
//	mlruns/<experiment id>/datasets/<id>/meta.yaml            name, digest, source, schema, profile
//
// Keys and metric names containing "/" are nested paths under params/,
// tags/ and metrics/. A directory is an experiment when its meta.yaml has
// an experiment_id, and a run when its meta.yaml has a run_id (or the
// older run_uuid); anything else, such as .trash, a stray nested mlruns,
// models/ or an experiment's tags/ and datasets/, is not walked.
//
// # Mapping
//
//	MLflow                        trackdb
//	run_id                        run ID
//	experiment meta name          experiment (its ID when the name is missing)
//	run_name, tag mlflow.runName  name (run_name first, then the tag, then 1.x's name)
//	status 1 RUNNING, 2 SCHEDULED running
//	status 3 FINISHED             finished
//	status 4 FAILED               failed
//	status 5 KILLED               killed
//	start_time, end_time          start and end time (end_time null: not ended)
//	lifecycle_stage deleted       not imported (counted as skipped)
//	params/<key>                  typed param (see below)
//	tags/<key>                    tag, text verbatim
//	metrics/<name>                series <name>, default context; every line a point
//	inputs/ of type DATASET       run datasets: name and digest from the experiment's
//	                              datasets/<source_id>, context from mlflow.data.context
//
// # Typed params
//
// MLflow stores every param as text. The importer stores the typed value
// the text parses to: a base-10 integer is an int, a number a float,
// True/False/true/false a bool, anything else a string. Where the text is
// not the canonical text of that value (engine.Value.String: "1e-5" reads
// as 1e-05, "0.10" as 0.1, "007" as 7), the original text is kept in the
// tag mlflow.param_text.<key>, so no param loses what was written.
package mlflow
