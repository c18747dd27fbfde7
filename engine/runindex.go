package engine

import (
	"github.com/trackdb/trackdb/index"
)

// The run index (package index) answers run searches: postings over
// attributes, params and tags, and metric summaries, without touching
// chunks. The engine keeps one index.Head per flush epoch, updated by the
// same apply functions that change the head, so WAL replay rebuilds it
// too; each block stores the head index of its epoch (its "postings"
// file), and an index.View over all of them, newest last, answers queries.
// Run ordinals are run refs.
//
// Summaries change on every append; pushing them into the index each time
// would cost the hot path ~50 ns a point, so series are only marked dirty
// and their summaries are pushed when a search or a flush needs them.

// indexValue converts a param value; the kind numbers are the same.
func indexValue(v Value) index.Value {
	return index.Value{Kind: index.Kind(v.Type), Str: v.Str, Int: v.Int, Float: v.Float, Bool: v.Bool}
}

// The index refuses writes only for runs it has seen deleted, which the
// engine never writes to; its errors are therefore not expected here and
// are dropped rather than failing a write that the WAL already holds.

func (h *head) ixRunAttrs(r *runState, mask byte) {
	ord := r.ref
	if mask&updExperiment != 0 {
		_ = h.ix.Set(ord, index.Attr(index.AttrExperiment), index.String(r.experiment))
	}
	if mask&updName != 0 {
		_ = h.ix.Set(ord, index.Attr(index.AttrName), index.String(r.name))
	}
	if mask&updStatus != 0 {
		_ = h.ix.Set(ord, index.Attr(index.AttrStatus), index.String(r.status.String()))
	}
	if mask&updStart != 0 {
		_ = h.ix.Set(ord, index.Attr(index.AttrStartTime), index.Int(r.start))
	}
	if mask&updEnd != 0 {
		if r.end == 0 {
			_ = h.ix.Delete(ord, index.Attr(index.AttrEndTime))
		} else {
			_ = h.ix.Set(ord, index.Attr(index.AttrEndTime), index.Int(r.end))
		}
	}
}

func (h *head) ixParams(r *runState, ps []Param) {
	for _, p := range ps {
		_ = h.ix.Set(r.ref, index.Param(p.Key), indexValue(p.Value))
	}
}

func (h *head) ixTags(r *runState, set [][2]string, del []string) {
	for _, kv := range set {
		_ = h.ix.Set(r.ref, index.Tag(kv[0]), index.String(kv[1]))
	}
	for _, k := range del {
		_ = h.ix.Delete(r.ref, index.Tag(k))
	}
}

// ixNewRun indexes everything about a run: used when it is created, and
// when a run's state is loaded from a block catalogue into a fresh head
// index is not needed (blocks carry their own postings).
func (h *head) ixNewRun(r *runState) {
	_ = h.ix.Set(r.ref, index.Attr(index.AttrRunID), index.String(r.id))
	h.ixRunAttrs(r, updExperiment|updName|updStatus|updStart|updEnd)
}

// markSummary notes that a series' summary changed. Callers run on the
// goroutine that owns the head's maps (never a replay worker).
func (h *head) markSummary(s *memSeries) {
	if !s.ixDirty {
		s.ixDirty = true
		h.ixDirty = append(h.ixDirty, s)
	}
}

// syncSummaries pushes changed summaries into the head index. The caller
// holds DB.mu for writing (or owns the head during replay).
func (h *head) syncSummaries() {
	for _, s := range h.ixDirty {
		s.ixDirty = false
		if s.run.deleted {
			continue
		}
		if s.ixID < 0 {
			s.ixID = int64(h.ix.Series(s.metric, s.ctxKey))
		}
		_ = h.ix.SetSummary(s.run.ref, index.SeriesID(s.ixID), index.Summary{
			Count: s.sum.Count, Last: s.sum.Last, Min: s.sum.Min, Max: s.sum.Max})
	}
	h.ixDirty = h.ixDirty[:0]
}
