package engine

import (
	"maps"
	"slices"
	"sort"

	"github.com/trackdb/trackdb/index"
)

// runState is one run in the head. Guarded by DB.mu.
type runState struct {
	ref        uint32
	id         string
	experiment string
	name       string
	status     Status
	start, end int64
	params     map[string]Value
	tags       map[string]string
	datasets   []Dataset

	byCtx  map[string]map[string]*memSeries // context key -> metric -> series
	series []*memSeries                     // in creation order
	tl     timeline                         // entries since the last flush

	dirty   bool // changed since the last flush: goes into the next block's catalogue
	deleted bool // tombstoned: invisible, its data dropped at the next compaction
}

// catalog returns the run's catalogue entry for a block.
func (r *runState) catalog() runCreateRec {
	rec := runCreateRec{ref: r.ref, id: r.id, experiment: r.experiment, name: r.name,
		status: r.status, start: r.start, end: r.end}
	for k, v := range r.params {
		rec.params = append(rec.params, Param{Key: k, Value: v})
	}
	sort.Slice(rec.params, func(i, j int) bool { return rec.params[i].Key < rec.params[j].Key })
	for k, v := range r.tags {
		rec.tags = append(rec.tags, [2]string{k, v})
	}
	sort.Slice(rec.tags, func(i, j int) bool { return rec.tags[i][0] < rec.tags[j][0] })
	rec.datasets = slices.Clone(r.datasets)
	return rec
}

func (r *runState) info() RunInfo {
	info := RunInfo{
		ID: r.id, Experiment: r.experiment, Name: r.name, Status: r.status,
		StartTime: r.start, EndTime: r.end,
		Params: maps.Clone(r.params), Tags: maps.Clone(r.tags),
		Datasets: slices.Clone(r.datasets),
	}
	if info.Params == nil {
		info.Params = map[string]Value{}
	}
	if info.Tags == nil {
		info.Tags = map[string]string{}
	}
	return info
}

// head is the in-memory state rebuilt from the WAL: every run and series,
// with open and cut chunks. Guarded by DB.mu.
type head struct {
	chunkSamples int
	spill        *headChunkFile // where cut chunks go; nil keeps them on the heap
	runs         []*runState    // by run ref
	byID         map[string]*runState
	series       []*memSeries // by series ref; index 0 is never used
	epochPoints  int64        // points since the last flush
	tombs        []uint32     // runs deleted since the last flush

	ix      *index.Head  // the run index of this flush epoch
	ixDirty []*memSeries // series whose summaries the index has not seen
}

func newHead(chunkSamples int) *head {
	return &head{chunkSamples: chunkSamples, byID: map[string]*runState{}, series: []*memSeries{nil}, ix: index.NewHead()}
}

// The apply functions change the head for one decoded record. The write
// path and WAL replay both go through them, so replay rebuilds exactly the
// state that the writes built.

func (h *head) applyRunCreate(rec *runCreateRec) {
	r := &runState{
		ref: rec.ref, id: rec.id, experiment: rec.experiment, name: rec.name,
		status: rec.status, start: rec.start, end: rec.end,
		byCtx: map[string]map[string]*memSeries{}, dirty: true,
	}
	for int(rec.ref) >= len(h.runs) {
		h.runs = append(h.runs, nil)
	}
	h.runs[rec.ref] = r
	h.byID[rec.id] = r
	h.applyParams(r, rec.params)
	h.applyTags(r, rec.tags, nil)
	r.datasets = append(r.datasets, rec.datasets...)
	h.ixNewRun(r)
}

func (h *head) applyRunUpdate(r *runState, u *runUpdateRec) {
	r.dirty = true
	if u.mask&updExperiment != 0 {
		r.experiment = u.experiment
	}
	if u.mask&updName != 0 {
		r.name = u.name
	}
	if u.mask&updStatus != 0 {
		r.status = u.status
	}
	if u.mask&updStart != 0 {
		r.start = u.start
	}
	if u.mask&updEnd != 0 {
		r.end = u.end
	}
	h.applyParams(r, u.params)
	h.applyTags(r, u.tags, u.delTags)
	r.datasets = append(r.datasets, u.datasets...)
	h.ixRunAttrs(r, u.mask)
}

func (h *head) applyParams(r *runState, ps []Param) {
	if len(ps) == 0 {
		return
	}
	if r.params == nil {
		r.params = make(map[string]Value, len(ps))
	}
	for _, p := range ps {
		r.params[p.Key] = p.Value
	}
	h.ixParams(r, ps)
}

func (h *head) applyTags(r *runState, set [][2]string, del []string) {
	if len(set) > 0 && r.tags == nil {
		r.tags = make(map[string]string, len(set))
	}
	for _, kv := range set {
		r.tags[kv[0]] = kv[1]
	}
	for _, k := range del {
		delete(r.tags, k)
	}
	h.ixTags(r, set, del)
}

func (h *head) applySeries(ref SeriesRef, r *runState, metric string, ctx Context) *memSeries {
	key := ctx.key()
	s := newMemSeries(ref, r, metric, ctx, key)
	for uint64(ref) >= uint64(len(h.series)) {
		h.series = append(h.series, nil)
	}
	h.series[ref] = s
	m := r.byCtx[key]
	if m == nil {
		m = map[string]*memSeries{}
		r.byCtx[key] = m
	}
	m[metric] = s
	r.series = append(r.series, s)
	r.dirty = true
	return s
}

// lookupSeries returns the series for a ref, or nil.
func (h *head) lookupSeries(ref SeriesRef) *memSeries {
	if uint64(ref) >= uint64(len(h.series)) {
		return nil
	}
	return h.series[ref]
}

// applyRunDelete tombstones a run: it leaves the ID map at once, its data
// stays until the next compaction drops it.
func (h *head) applyRunDelete(r *runState) {
	if r.deleted {
		return
	}
	r.deleted = true
	if h.byID[r.id] == r {
		delete(h.byID, r.id)
	}
	h.tombs = append(h.tombs, r.ref)
	h.ix.DeleteRun(r.ref)
}
