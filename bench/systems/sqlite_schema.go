package systems

// mlflowSchema is the part of MLflow's tracking schema (its SQLAlchemy
// models) that runs, params, tags and metrics use: the same tables,
// primary keys and run_uuid indexes. Contexts, which MLflow lacks, are
// folded into the metric key, as MLflow users do.
const mlflowSchema = `
CREATE TABLE IF NOT EXISTS experiments (
	experiment_id INTEGER NOT NULL PRIMARY KEY,
	name VARCHAR(256) NOT NULL UNIQUE,
	artifact_location VARCHAR(256),
	lifecycle_stage VARCHAR(32),
	creation_time BIGINT,
	last_update_time BIGINT
);
CREATE TABLE IF NOT EXISTS runs (
	run_uuid VARCHAR(32) NOT NULL,
	name VARCHAR(250),
	source_type VARCHAR(20),
	source_name VARCHAR(500),
	entry_point_name VARCHAR(50),
	user_id VARCHAR(256),
	status VARCHAR(9),
	start_time BIGINT,
	end_time BIGINT,
	deleted_time BIGINT,
	source_version VARCHAR(50),
	lifecycle_stage VARCHAR(20),
	artifact_uri VARCHAR(200),
	experiment_id INTEGER REFERENCES experiments (experiment_id),
	CONSTRAINT run_pk PRIMARY KEY (run_uuid)
);
CREATE TABLE IF NOT EXISTS metrics (
	key VARCHAR(250) NOT NULL,
	value FLOAT NOT NULL,
	timestamp BIGINT NOT NULL,
	run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
	step BIGINT DEFAULT 0 NOT NULL,
	is_nan BOOLEAN DEFAULT 0 NOT NULL,
	CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan)
);
CREATE INDEX IF NOT EXISTS index_metrics_run_uuid ON metrics (run_uuid);
CREATE TABLE IF NOT EXISTS latest_metrics (
	key VARCHAR(250) NOT NULL,
	value FLOAT NOT NULL,
	timestamp BIGINT,
	step BIGINT NOT NULL,
	is_nan BOOLEAN NOT NULL,
	run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
	CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid)
);
CREATE INDEX IF NOT EXISTS index_latest_metrics_run_uuid ON latest_metrics (run_uuid);
CREATE TABLE IF NOT EXISTS params (
	key VARCHAR(250) NOT NULL,
	value VARCHAR(8000) NOT NULL,
	run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
	CONSTRAINT param_pk PRIMARY KEY (key, run_uuid)
);
CREATE INDEX IF NOT EXISTS index_params_run_uuid ON params (run_uuid);
CREATE TABLE IF NOT EXISTS tags (
	key VARCHAR(250) NOT NULL,
	value VARCHAR(5000),
	run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
	CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid)
);
CREATE INDEX IF NOT EXISTS index_tags_run_uuid ON tags (run_uuid);
`

// The statements of the write path.
const (
	sqlInsertMetric = `INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)`
	// MLflow reads the run's latest_metrics rows and merges the newer
	// ones; an upsert with the same rule (higher step, then later time)
	// does that in one statement.
	sqlUpsertLatest = `INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)`
	sqlInsertRun = `INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id)
VALUES (?, ?, 'LOCAL', 'bench', '', 'bench', 'RUNNING', ?, NULL, '', 'active', ?, ?)`
	sqlInsertParam = `INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)`
	sqlInsertTag   = `INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)`
)
