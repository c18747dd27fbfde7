// Package sacred imports the runs of Sacred's FileStorageObserver: a
// directory with one folder per run,
//
//	<observer dir>/<id>/run.json      status, start_time, stop_time, heartbeat, host, experiment, command, fail_trace, result
//	<observer dir>/<id>/config.json   the run's configuration, nested
//	<observer dir>/<id>/metrics.json  {"<name>": {"steps": [...], "timestamps": [...], "values": [...]}}
//
// _sources, _resources and any folder without a run.json are not runs.
// Sacred writes JSON with Python's json module, so the bare tokens NaN,
// Infinity and -Infinity are accepted where JSON allows a number.
//
// # Mapping
//
//	Sacred                        trackdb
//	folder                        run; ID derived from the folder's absolute path, name the folder's name (Sacred's _id)
//	experiment.name               experiment
//	status COMPLETED              finished
//	status FAILED, TIMEOUT        failed
//	status INTERRUPTED            killed
//	status RUNNING, QUEUED        running
//	start_time, stop_time         start and end time; ISO times without a zone are UTC; a
//	                              failed run without stop_time ends at its heartbeat
//	config.json                   params, nested keys flattened with dots; integers int, other
//	                              numbers float, lists and null as their JSON text (string)
//	metrics.json                  one series per name (dots kept: training.loss), default context,
//	                              every (step, timestamp, value) a point; failed runs keep theirs
//	host.hostname, cpu, os,       tags sacred.host.hostname, sacred.host.cpu, sacred.host.os,
//	python_version                sacred.host.python_version
//	experiment.repositories[0]    tags sacred.git.url, sacred.git.commit, sacred.git.dirty
//	command, experiment.mainfile  tags sacred.command, sacred.mainfile
//	fail_trace                    tag sacred.fail_trace (the lines joined)
//	result                        tag sacred.result, its JSON text, when it fits a tag (64 KiB); a longer one is skipped and counted
//	status (raw word)             tag sacred.status
package sacred
