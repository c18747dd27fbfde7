package index

import "github.com/RoaringBitmap/roaring/v2"

// The head as a layer of a View. The View holds h.mu shared around these.

var _ layer = (*Head)(nil)

func (h *Head) runs() *roaring.Bitmap { return h.mu.live }

func (h *Head) dead() *roaring.Bitmap { return h.mu.dead }

func (h *Head) field(f Field) *headField { return h.mu.fields[fieldKey{f.Kind, f.Key}] }

func (h *Head) seriesOf(f Field) *headSeries {
	if id, ok := h.mu.seriesID[seriesKey{f.Key, f.Context}]; ok {
		return h.mu.series[id]
	}
	return nil
}

func (h *Head) touched(f Field) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		return h.has(f)
	}
	if hf := h.field(f); hf != nil {
		return hf.touched(), nil
	}
	return nil, nil
}

func (h *Head) has(f Field) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		if s := h.seriesOf(f); s != nil {
			return s.has, nil
		}
		return nil, nil
	}
	if hf := h.field(f); hf != nil {
		return hf.has, nil
	}
	return nil, nil
}

func (h *Head) domain(f Field, d domain) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		if s := h.seriesOf(f); s != nil {
			return s.domain(f.Stat), nil
		}
		return nil, nil
	}
	if hf := h.field(f); hf != nil {
		return hf.domain(d), nil
	}
	return nil, nil
}

func (h *Head) matchText(f Field, t *textTest) (*roaring.Bitmap, error) {
	if hf := h.field(f); hf != nil && f.Kind != FieldMetric {
		return hf.matchText(t), nil
	}
	return nil, nil
}

func (h *Head) matchNum(f Field, t *numTest) (*roaring.Bitmap, error) {
	if f.Kind == FieldMetric {
		if s := h.seriesOf(f); s != nil {
			return s.matchNum(f.Stat, t), nil
		}
		return nil, nil
	}
	if hf := h.field(f); hf != nil {
		return hf.matchNum(t), nil
	}
	return nil, nil
}

func (h *Head) matchBool(f Field, b bool) (*roaring.Bitmap, error) {
	if hf := h.field(f); hf != nil && f.Kind != FieldMetric {
		return hf.bools[b2i(b)], nil
	}
	return nil, nil
}

func (h *Head) values(f Field, set *roaring.Bitmap, fn func(ord uint32, v Value)) error {
	if f.Kind == FieldMetric {
		s := h.seriesOf(f)
		if s == nil {
			return nil
		}
		it := roaring.And(set, s.has).Iterator()
		for it.HasNext() {
			o := it.Next()
			if sum, ok := s.col.get(o); ok {
				fn(o, sum.stat(f.Stat).value())
			}
		}
		return nil
	}
	hf := h.field(f)
	if hf == nil {
		return nil
	}
	it := roaring.And(set, hf.has).Iterator()
	for it.HasNext() {
		o := it.Next()
		if v, ok := hf.get(o); ok {
			fn(o, v)
		}
	}
	return nil
}
