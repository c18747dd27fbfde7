package systems

import (
	"fmt"
	"math"
	"sort"

	"github.com/trackdb/trackdb/bench/gen"
)

// System is one benchmarked store. A System is used by one goroutine.
type System interface {
	// Name is the system's short name: trackdb, prometheus, sqlite, pebble.
	Name() string
	// Settings describe how the system is configured, one line each.
	Settings() []string
	// Open opens (creating if needed) the store in dir for workload w. It
	// returns once the store can be read: recovery after an unclean stop
	// is part of it.
	Open(dir string, w *gen.Workload) error
	// CreateRuns stores the runs' attributes, params and tags.
	CreateRuns() error
	// Log stores calls, which together form one commit: one logged step in
	// a training loop, or a batch of a bulk import.
	Log(calls []gen.Call) error
	// Flush makes everything logged durable.
	Flush() error
	// Read reads every point of the series (run, metric) in step order.
	Read(run, metric int) (Digest, error)
	// Close closes the store.
	Close() error
	// Missing says why the system cannot measure fig, or "" when it can.
	Missing(fig Figure) string
}

// Compactor is a system that can turn what it wrote into its at-rest form
// (blocks, sstables, a checkpointed database).
type Compactor interface {
	// Compact compacts the store and returns the bytes of its at-rest
	// data files (blocks, sstables, the database file: not a WAL kept for
	// the next writes) and how it measured them, for the report.
	Compact() (bytes int64, method string, err error)
}

// Searcher is a system that can find runs.
type Searcher interface {
	// Search returns the IDs of the runs matching q, sorted.
	Search(q SearchQuery) ([]string, error)
	// TopK returns the k run IDs with the largest last value of metric,
	// ties broken by ascending run ID.
	TopK(metric string, k int) ([]string, error)
	// SearchMethod says how Search and TopK work, for the report.
	SearchMethod() string
}

// Downsampler is a system that can reduce a series to per-bucket extremes.
type Downsampler interface {
	// Downsample reads the points of q's range and returns their count and
	// the min and max value of each of q.Buckets buckets.
	Downsample(q DownsampleQuery) (DownsampleResult, error)
	// DownsampleMethod says how, for the report.
	DownsampleMethod() string
}

// XORSizer is a system that can say how many bytes the raw XOR chunks of
// its series take.
type XORSizer interface {
	// XORBytes returns the size of the series' XOR chunks and how it was
	// computed.
	XORBytes() (bytes int64, method string, err error)
}

// Figure names a measured figure.
type Figure string

// The figures.
const (
	FigIngest       Figure = "ingest"
	FigDiskWritten  Figure = "disk_written"
	FigDiskCompact  Figure = "disk_compacted"
	FigXOR          Figure = "xor_chunks"
	FigRead         Figure = "read"
	FigDownsample   Figure = "downsample"
	FigSearch       Figure = "search"
	FigTopK         Figure = "top10"
	FigReopen       Figure = "reopen"
	FigReplay       Figure = "replay"
	FigPeakRSS      Figure = "peak_rss"
	FigCreateRuns   Figure = "create_runs"
	FigReplayPoints Figure = "replay_points"
)

// SearchQuery is an MLflow-style filter with three predicates:
// params.<ParamKey> = ParamValue AND tags.<TagKey> = TagValue AND
// metrics.<Metric> > Above, the metric compared by its last value.
type SearchQuery struct {
	ParamKey, ParamValue string
	TagKey, TagValue     string
	Metric               string
	Above                float64
}

// String renders q as an MLflow filter string.
func (q SearchQuery) String() string {
	return fmt.Sprintf("params.%s = '%s' and tags.%s = '%s' and metrics.%s > %v",
		q.ParamKey, q.ParamValue, q.TagKey, q.TagValue, q.Metric, q.Above)
}

// DownsampleQuery asks for the points of one series between two steps
// (inclusive), reduced to Buckets buckets. FromTime and ToTime are the
// wall times of those steps, for systems whose axis is time.
type DownsampleQuery struct {
	Run, Metric      int
	FromStep, ToStep int64
	FromTime, ToTime int64
	Buckets          int
}

// DownsampleResult is what a downsample returns.
type DownsampleResult struct {
	Points int64     // points read (trackdb: points its query returned)
	Min    []float64 // per bucket; NaN for an empty bucket
	Max    []float64
}

// bucketer folds points into buckets by a linear key (step or time).
type bucketer struct {
	from, width int64
	res         DownsampleResult
}

func newBucketer(from, to int64, buckets int) *bucketer {
	w := (to - from + int64(buckets)) / int64(buckets)
	b := &bucketer{from: from, width: max(w, 1)}
	b.res.Min = make([]float64, buckets)
	b.res.Max = make([]float64, buckets)
	for i := range b.res.Min {
		b.res.Min[i], b.res.Max[i] = math.NaN(), math.NaN()
	}
	return b
}

func (b *bucketer) add(key int64, v float64) {
	b.res.Points++
	i := int((key - b.from) / b.width)
	if i < 0 || i >= len(b.res.Min) || v != v {
		return
	}
	if !(v >= b.res.Min[i]) {
		b.res.Min[i] = v
	}
	if !(v <= b.res.Max[i]) {
		b.res.Max[i] = v
	}
}

// sortedIDs sorts and returns ids.
func sortedIDs(ids []string) []string {
	sort.Strings(ids)
	return ids
}

// ranked is a run's last value, for TopK.
type ranked struct {
	id string
	v  float64
}

// topK picks the k largest values, ties by ascending ID; NaN ranks last.
func topK(all []ranked, k int) []string {
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if (a.v != a.v) != (b.v != b.v) {
			return b.v != b.v
		}
		if a.v != b.v {
			return a.v > b.v
		}
		return a.id < b.id
	})
	out := make([]string, 0, k)
	for _, r := range all[:min(k, len(all))] {
		out = append(out, r.id)
	}
	return out
}

// Filled returns the number of buckets holding a value.
func (r DownsampleResult) Filled() int {
	n := 0
	for _, v := range r.Min {
		if v == v {
			n++
		}
	}
	return n
}
