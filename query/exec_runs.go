package query

import (
	"github.com/trackdb/trackdb/index"
)

// searchRuns answers a RunsQuery.
func (x *executor) searchRuns(q *RunsQuery, f *filter) (*Result, error) {
	offset := intOf(q.Offset, 0)
	if q.Page != nil {
		o, err := decodePageToken(q.Page.Value.Str)
		if err != nil {
			return nil, err
		}
		offset = o
	}
	limit := intOf(q.Limit, -1)
	ids, total, err := x.selectRuns(f, q.Order, offset, limit)
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: KindRuns, Total: total}
	for _, k := range q.Order {
		res.Columns = append(res.Columns, k.Field.String())
	}
	if limit > 0 && offset+limit < total {
		res.NextPageToken = encodePageToken(offset + limit)
	}
	for _, id := range ids {
		if err := x.ctx.Err(); err != nil {
			return nil, err
		}
		r, err := x.run(id)
		if err != nil {
			continue // deleted since the selector was taken
		}
		row := RunRow{Run: *r}
		var series []SeriesInfo
		for _, k := range q.Order {
			if k.Field.Kind == FieldMetric && series == nil {
				if series, err = x.src.Series(id); err != nil {
					return nil, err
				}
			}
			row.Keys = append(row.Keys, fieldValue(k.Field, r, series))
		}
		res.Runs = append(res.Runs, row)
	}
	return res, nil
}

// fieldValue returns the run's value of f; a zero Value when it has none.
func fieldValue(f *Field, r *Run, series []SeriesInfo) index.Value {
	switch f.Kind {
	case FieldParam:
		return r.Params[f.Key]
	case FieldTag:
		if v, ok := r.Tags[f.Key]; ok {
			return index.String(v)
		}
	case FieldAttr:
		switch f.Key {
		case index.AttrRunID:
			return index.String(r.ID)
		case index.AttrExperiment:
			return index.String(r.Experiment)
		case index.AttrName:
			return index.String(r.Name)
		case index.AttrStatus:
			return index.String(r.Status)
		case index.AttrStartTime:
			return index.Int(r.StartTime)
		case index.AttrEndTime:
			if r.EndTime != 0 {
				return index.Int(r.EndTime)
			}
		}
	case FieldMetric:
		ctx := contextKey(f.Context)
		for _, s := range series {
			if s.Metric == f.Key && index.ContextKey(s.Context) == ctx {
				switch f.Stat {
				case index.StatMin:
					return index.Float(s.Min)
				case index.StatMax:
					return index.Float(s.Max)
				case index.StatCount:
					return index.Int(s.Count)
				}
				return index.Float(s.Last)
			}
		}
	}
	return index.Value{}
}
