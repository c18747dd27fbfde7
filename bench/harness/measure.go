package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/trackdb/trackdb/bench/gen"
	"github.com/trackdb/trackdb/bench/systems"
)

// measurer runs one job.
type measurer struct {
	job  Job
	cfg  *Config
	w    *gen.Workload
	sys  systems.System
	res  *JobResult
	dir  string
	figs []figureDef

	// Observed while ingesting: wall times of the downsample window.
	dsFromTime, dsToTime int64
}

// runJob measures one job and returns what it found; a failure is in Err.
func runJob(job Job) *JobResult {
	res := &JobResult{Workload: job.Workload, System: job.System, Rep: job.Rep}
	if err := runJobErr(job, res); err != nil {
		res.Err = err.Error()
	}
	return res
}

func runJobErr(job Job, res *JobResult) error {
	spec, err := job.Config.spec(job.Workload)
	if err != nil {
		return err
	}
	w, err := gen.New(spec)
	if err != nil {
		return err
	}
	sys, err := systems.New(job.System)
	if err != nil {
		return err
	}
	m := &measurer{job: job, cfg: &job.Config, w: w, sys: sys, res: res, dir: job.Dir, figs: figures[job.Workload]}
	defer os.RemoveAll(job.Dir)
	return m.run()
}

// has reports whether the workload has fig, and records a missing reason
// when the system cannot measure it.
func (m *measurer) has(fig systems.Figure) bool {
	def, ok := figureOf(m.job.Workload, fig)
	if !ok || (def.Only != "" && def.Only != m.job.System) {
		return false
	}
	if why := m.sys.Missing(fig); why != "" {
		m.res.missing(fig, why)
		return false
	}
	return true
}

func (m *measurer) run() error {
	store := filepath.Join(m.dir, "store")
	crash := filepath.Join(m.dir, "crash")
	if err := m.sys.Open(store, m.w); err != nil {
		return fmt.Errorf("open: %w", err)
	}
	m.res.Settings = m.sys.Settings()
	open := true
	defer func() {
		if open {
			m.sys.Close()
		}
	}()

	start := time.Now()
	if err := m.sys.CreateRuns(); err != nil {
		return fmt.Errorf("create runs: %w", err)
	}
	if m.has(systems.FigCreateRuns) {
		m.res.add(systems.FigCreateRuns, float64(len(m.w.Runs))/time.Since(start).Seconds(), "")
	}
	if err := m.profile("ingest", m.ingest); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	points := float64(m.w.Points())
	if m.has(systems.FigReplay) {
		// The image of a process killed now: synced or not, what was
		// written is in the OS and survives; nothing closed cleanly.
		if err := copyStable(store, crash); err != nil {
			return fmt.Errorf("copy for the unclean stop: %w", err)
		}
	}
	if m.has(systems.FigDiskWritten) {
		n, err := dirSize(store)
		if err != nil {
			return err
		}
		m.res.add(systems.FigDiskWritten, float64(n)/points, "")
		if m.job.Rep == 1 {
			if b, err := dirBreakdown(store); err == nil {
				m.res.Notes = append(m.res.Notes, "disk as written: "+b)
			}
		}
	}
	if m.has(systems.FigXOR) {
		if x, ok := m.sys.(systems.XORSizer); ok {
			n, method, err := x.XORBytes()
			if err != nil {
				return fmt.Errorf("xor bytes: %w", err)
			}
			m.res.add(systems.FigXOR, float64(n)/points, "")
			m.res.method(systems.FigXOR, method)
		} else {
			m.res.missing(systems.FigXOR, "the system cannot size its XOR chunks")
		}
	}
	if settleBeforeRead[m.job.Workload] {
		if c, ok := m.sys.(systems.Compactor); ok {
			_, method, err := c.Compact()
			if err != nil {
				return fmt.Errorf("compact before reading: %w", err)
			}
			if m.job.Rep == 1 {
				m.res.Notes = append(m.res.Notes, "compacted before the reads (untimed): "+method)
			}
		}
	}
	var first systems.Digest
	if m.has(systems.FigRead) {
		if err := m.profile("read", func() error {
			var err error
			first, err = m.read()
			return err
		}); err != nil {
			return fmt.Errorf("read: %w", err)
		}
	}
	if err := m.search(); err != nil {
		return err
	}
	if err := m.downsample(); err != nil {
		return err
	}
	if m.has(systems.FigDiskCompact) {
		c, ok := m.sys.(systems.Compactor)
		if !ok {
			m.res.missing(systems.FigDiskCompact, "the system has no compaction")
		} else {
			n, method, err := c.Compact()
			if err != nil {
				return fmt.Errorf("compact: %w", err)
			}
			m.res.add(systems.FigDiskCompact, float64(n)/points, "")
			if m.job.Rep == 1 {
				if b, err := dirBreakdown(store); err == nil {
					m.res.Notes = append(m.res.Notes, "disk after compaction: "+b)
				}
			}
			m.res.method(systems.FigDiskCompact, method)
		}
	}
	if m.has(systems.FigReopen) {
		start := time.Now()
		open = false
		if err := m.sys.Close(); err != nil {
			return fmt.Errorf("close: %w", err)
		}
		var err error
		if m.sys, err = m.reopen(store); err != nil {
			return fmt.Errorf("reopen: %w", err)
		}
		open = true
		m.res.add(systems.FigReopen, float64(time.Since(start).Microseconds())/1000, "")
		if err := m.checkSeries("after reopen", first); err != nil {
			return err
		}
	}
	if m.has(systems.FigPeakRSS) {
		rss, err := peakRSS()
		if err != nil {
			return err
		}
		m.res.add(systems.FigPeakRSS, float64(rss)/(1<<20), "")
	}
	open = false
	if err := m.sys.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	if m.has(systems.FigReplay) {
		return m.replay(crash, first)
	}
	return nil
}

// profile runs fn under a CPU profile when the job asks for one.
func (m *measurer) profile(phase string, fn func() error) error {
	if m.cfg.ProfileDir == "" || m.job.System != "trackdb" || m.job.Rep != 1 {
		return fn()
	}
	f, err := os.Create(filepath.Join(m.cfg.ProfileDir, fmt.Sprintf("trackdb-%s-%s.pprof", m.job.Workload, phase)))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return fn()
}

// ingest logs the workload, one commit per Spec.Batch calls, then flushes.
func (m *measurer) ingest() error {
	batch := max(m.w.Batch, 1)
	nm := len(m.w.Metrics)
	calls := make([]gen.Call, 0, batch)
	flat := make([]float64, batch*nm)
	dsFrom, dsTo := m.downsampleSteps()
	start := time.Now()
	err := m.w.Calls(func(c *gen.Call) error {
		if c.Run == 0 {
			if c.Step == dsFrom {
				m.dsFromTime = c.Time
			}
			if c.Step == dsTo {
				m.dsToTime = c.Time
			}
		}
		if batch == 1 {
			return m.sys.Log([]gen.Call{*c})
		}
		i := len(calls)
		v := flat[i*nm : (i+1)*nm]
		copy(v, c.Values)
		calls = append(calls, gen.Call{Run: c.Run, Step: c.Step, Time: c.Time, Values: v})
		if len(calls) < batch {
			return nil
		}
		err := m.sys.Log(calls)
		calls = calls[:0]
		return err
	})
	if err == nil && len(calls) > 0 {
		err = m.sys.Log(calls)
	}
	if err == nil {
		err = m.sys.Flush()
	}
	if err != nil {
		return err
	}
	m.res.add(systems.FigIngest, float64(m.w.Points())/time.Since(start).Seconds(), "")
	return nil
}

// readRuns returns the runs whose series the read figure reads.
func (m *measurer) readRuns() []int {
	n := min(m.cfg.ReadRuns, len(m.w.Runs))
	out := make([]int, n)
	for i := range out {
		out[i] = i * len(m.w.Runs) / n
	}
	return out
}

// read reads every series of the chosen runs and returns the first
// series' digest, to check the store against after reopen and replay.
func (m *measurer) read() (systems.Digest, error) {
	var all, first systems.Digest
	start := time.Now()
	for _, run := range m.readRuns() {
		for metric := range m.w.Metrics {
			d, err := m.sys.Read(run, metric)
			if err != nil {
				return first, err
			}
			if run == 0 && metric == 0 {
				first = d
			}
			all.Merge(d)
		}
	}
	el := time.Since(start)
	m.res.add(systems.FigRead, float64(all.Points)/el.Seconds(), digestCheck(all))
	return first, nil
}

func digestCheck(d systems.Digest) string { return fmt.Sprintf("%d points #%016x", d.Points, d.Hash) }

// checkSeries rereads series (0, 0) and notes a difference from want.
func (m *measurer) checkSeries(when string, want systems.Digest) error {
	if want.Points == 0 {
		return nil
	}
	d, err := m.sys.Read(0, 0)
	if err != nil {
		return fmt.Errorf("read %s: %w", when, err)
	}
	if d != want {
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("%s: series (run 0, %s) reads %s, expected %s", when, m.w.Metrics[0], digestCheck(d), digestCheck(want)))
	}
	return nil
}

func (m *measurer) reopen(dir string) (systems.System, error) {
	s, err := systems.New(m.job.System)
	if err != nil {
		return nil, err
	}
	return s, s.Open(dir, m.w)
}

// replay opens the image of the unclean stop and times it.
func (m *measurer) replay(dir string, first systems.Digest) error {
	start := time.Now()
	s, err := m.reopen(dir)
	if err != nil {
		return fmt.Errorf("open after an unclean stop: %w", err)
	}
	el := time.Since(start)
	m.sys = s
	defer s.Close()
	m.res.add(systems.FigReplay, float64(el.Microseconds())/1000, "")
	if t, ok := s.(*systems.Trackdb); ok {
		stored, err := t.StoredPoints()
		if err != nil {
			return err
		}
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("after the unclean stop the store holds %d of %d points, %d of them replayed from the WAL", stored, m.w.Points(), t.Replayed()))
	}
	return m.checkSeries("after the unclean stop", first)
}

// timed runs fn once to warm up, then iters times, and returns the median.
func timed(iters int, fn func() error) (time.Duration, error) {
	if err := fn(); err != nil {
		return 0, err
	}
	ds := make([]time.Duration, iters)
	for i := range ds {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (m *measurer) search() error {
	wantSearch, wantTop := m.has(systems.FigSearch), m.has(systems.FigTopK)
	if !wantSearch && !wantTop {
		return nil
	}
	s, ok := m.sys.(systems.Searcher)
	if !ok {
		return nil // Missing said why
	}
	if wantSearch {
		var ids []string
		d, err := timed(5, func() (err error) { ids, err = s.Search(m.cfg.Query); return err })
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		m.res.add(systems.FigSearch, ms(d), idsCheck(ids))
		m.res.method(systems.FigSearch, s.SearchMethod())
	}
	if wantTop {
		var ids []string
		d, err := timed(5, func() (err error) { ids, err = s.TopK(m.cfg.TopMetric, 10); return err })
		if err != nil {
			return fmt.Errorf("top-10: %w", err)
		}
		m.res.add(systems.FigTopK, ms(d), idsCheck(ids))
		m.res.method(systems.FigTopK, s.SearchMethod())
	}
	return nil
}

// idsCheck names a result set: its size and a short hash of the IDs.
func idsCheck(ids []string) string {
	var d systems.Digest
	for _, id := range ids {
		for _, c := range []byte(id) {
			d.Add(int64(c), 0, 0)
		}
	}
	sorted := slices.Clone(ids)
	sort.Strings(sorted)
	head := strings.Join(sorted[:min(2, len(sorted))], ",")
	return fmt.Sprintf("%d runs #%016x (%s…)", len(ids), d.Hash, head)
}

// downsampleSteps returns the step window of the downsample: the latest
// DownsamplePoints steps of the long series.
func (m *measurer) downsampleSteps() (from, to int64) {
	to = m.w.Steps - 1
	return max(0, to-m.cfg.DownsamplePoints+1), to
}

func (m *measurer) downsample() error {
	if !m.has(systems.FigDownsample) {
		return nil
	}
	s, ok := m.sys.(systems.Downsampler)
	if !ok {
		return nil
	}
	from, to := m.downsampleSteps()
	q := systems.DownsampleQuery{Run: 0, Metric: 0, FromStep: from, ToStep: to, FromTime: m.dsFromTime, ToTime: m.dsToTime, Buckets: m.cfg.DownsampleBuckets}
	var res systems.DownsampleResult
	d, err := timed(3, func() (err error) { res, err = s.Downsample(q); return err })
	if err != nil {
		return fmt.Errorf("downsample: %w", err)
	}
	m.res.add(systems.FigDownsample, ms(d), fmt.Sprintf("%d of %d buckets filled", res.Filled(), len(res.Min)))
	m.res.method(systems.FigDownsample, s.DownsampleMethod())
	return nil
}
