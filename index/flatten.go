package index

import (
	"github.com/RoaringBitmap/roaring/v2"
)

// Flatten merges the view's layers into one new head, for compaction: the
// engine marshals the result as the block that replaces the layers. Each
// (run, field) keeps the state the View reads.
//
// keepDeletions says whether the result must still hide older layers: with
// false (the result replaces every layer) recorded deletions and
// tombstones are dropped, so deleted runs and tags leave no trace; with true
// (older blocks remain under the result) they are kept.
func (v *View) Flatten(keepDeletions bool) (*Head, error) {
	v.rlock()
	defer v.runlock()
	out := NewHead()
	o := &out.mu
	for _, x := range v.layers {
		o.live.Or(x.runs())
		o.dead.Or(x.dead())
		fields, err := x.(lister).fieldList()
		if err != nil {
			return nil, err
		}
		for _, f := range fields {
			if f.Kind == FieldMetric {
				k := seriesKey{f.Key, f.Context}
				id, ok := o.seriesID[k]
				if !ok {
					id = SeriesID(len(o.series))
					o.series = append(o.series, &headSeries{key: k, has: roaring.New()})
					o.seriesID[k] = id
				}
				s := o.series[id]
				if err := x.(lister).summaries(f, func(ord uint32, sum Summary) { s.set(ord, sum) }); err != nil {
					return nil, err
				}
				continue
			}
			k := fieldKey{f.Kind, f.Key}
			hf := o.fields[k]
			if hf == nil {
				hf = newHeadField()
				o.fields[k] = hf
			}
			touched, err := x.touched(f)
			if err != nil {
				return nil, err
			}
			has, err := x.has(f)
			if err != nil {
				return nil, err
			}
			if isEmpty(touched) {
				continue
			}
			it := roaring.AndNot(touched, has).Iterator()
			for it.HasNext() {
				hf.clear(it.Next())
			}
			if isEmpty(has) {
				continue
			}
			if err := x.values(f, has, func(ord uint32, val Value) { hf.set(ord, val) }); err != nil {
				return nil, err
			}
		}
	}
	o.live.AndNot(o.dead)
	if !o.dead.IsEmpty() {
		for _, f := range o.fields {
			it := o.dead.Iterator()
			for it.HasNext() {
				f.forget(it.Next())
			}
		}
		for _, s := range o.series {
			it := o.dead.Iterator()
			for it.HasNext() {
				s.remove(it.Next())
			}
		}
	}
	if !keepDeletions {
		o.dead = roaring.New()
		for k, f := range o.fields {
			f.cleared = nil
			if f.has.IsEmpty() {
				delete(o.fields, k)
			}
		}
	}
	return out, nil
}

// Listing for compaction.

func (h *Head) fieldList() ([]Field, error) {
	out := make([]Field, 0, len(h.mu.fields)+len(h.mu.series))
	for k := range h.mu.fields {
		out = append(out, Field{Kind: k.kind, Key: k.key})
	}
	for _, s := range h.mu.series {
		out = append(out, Field{Kind: FieldMetric, Key: s.key.metric, Context: s.key.ctx})
	}
	return out, nil
}

func (h *Head) summaries(f Field, fn func(ord uint32, s Summary)) error {
	if s := h.seriesOf(f); s != nil {
		s.col.each(func(o uint32, sum *Summary) bool { fn(o, *sum); return true })
	}
	return nil
}

func (b *Block) fieldList() ([]Field, error) {
	out := make([]Field, 0, b.nfields+b.nseries)
	for i := 0; i < b.nfields; i++ {
		kind, key, err := b.fieldEntry(i)
		if err != nil {
			return nil, err
		}
		if kind < FieldAttr || kind > FieldTag {
			return nil, corrupt("fields", b.fieldDir.off+4+i*fieldEntrySize, "entry %d: field kind %d", i, kind)
		}
		out = append(out, Field{Kind: kind, Key: string(key)})
	}
	for i := 0; i < b.nseries; i++ {
		m, c, err := b.seriesEntry(i)
		if err != nil {
			return nil, err
		}
		out = append(out, Field{Kind: FieldMetric, Key: string(m), Context: string(c)})
	}
	return out, nil
}

func (b *Block) summaries(f Field, fn func(ord uint32, s Summary)) error {
	s, err := b.lookupSeries(f)
	if s == nil {
		return err
	}
	for i := 0; i < s.m; i++ {
		fn(le.Uint32(s.ords[4*i:]), Summary{
			Count: s.stat(StatCount, i).i,
			Last:  s.stat(StatLast, i).f,
			Min:   s.stat(StatMin, i).f,
			Max:   s.stat(StatMax, i).f,
		})
	}
	return nil
}
