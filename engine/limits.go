package engine

// Limits on what the engine accepts. They keep a record, a run and the
// memory of one series bounded; inputs past them are rejected with the
// error named beside each.
const (
	// MaxRunIDLen is the longest run ID in bytes (ErrInvalidRunID).
	MaxRunIDLen = 128
	// MaxAttributeLen bounds experiment and run names in bytes
	// (ErrInvalidAttribute).
	MaxAttributeLen = 1024
	// MaxMetricNameLen bounds metric names in bytes, as MLflow does
	// (ErrInvalidMetric).
	MaxMetricNameLen = 250
	// MaxLabelNameLen bounds a context label's name (ErrInvalidContext).
	MaxLabelNameLen = 128
	// MaxLabelValueLen bounds a context label's value (ErrInvalidContext).
	MaxLabelValueLen = 1024
	// MaxLabels bounds the labels of one series' context (ErrInvalidContext).
	MaxLabels = 16
	// MaxParamKeyLen bounds a flattened param key, as MLflow does
	// (ErrInvalidParam).
	MaxParamKeyLen = 250
	// MaxParamValueLen bounds a string param value in bytes, as MLflow's
	// 6000 characters (ErrInvalidParam).
	MaxParamValueLen = 6000
	// MaxParamsPerRun bounds the params of one run (ErrLimit).
	MaxParamsPerRun = 10000
	// MaxTagKeyLen bounds a tag key (ErrInvalidTag).
	MaxTagKeyLen = 250
	// MaxTagValueLen bounds a tag value; long notes fit (ErrInvalidTag).
	MaxTagValueLen = 64 << 10
	// MaxTagsPerRun bounds the tags of one run (ErrLimit).
	MaxTagsPerRun = 10000
	// MaxSeriesPerRun bounds the series of one run (ErrLimit).
	MaxSeriesPerRun = 100000
	// MaxDatasetFieldLen bounds a dataset's name, digest and context in
	// bytes (ErrInvalidDataset).
	MaxDatasetFieldLen = 1024
	// MaxDatasetsPerRun bounds the datasets of one run (ErrLimit).
	MaxDatasetsPerRun = 1000
	// MaxNestingDepth bounds nested param maps flattened with dots
	// (ErrInvalidParam).
	MaxNestingDepth = 32
)
