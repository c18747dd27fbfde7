package index

import "github.com/RoaringBitmap/roaring/v2"

// SeriesID is a head's handle for a series (metric name and context key),
// returned by [Head.Series]. The engine keeps it with its series so that
// updating a summary on every append hashes no strings.
type SeriesID uint32

// seriesKey identifies a series by name.
type seriesKey struct {
	metric, ctx string
}

// headSeries holds the summaries of one series, per run, and a lazily
// built sorted view per statistic.
type headSeries struct {
	key            seriesKey
	col            column[Summary]
	has            *roaring.Bitmap
	last, min, max sortedView[float64]
	count          sortedView[int64]
}

func (s *headSeries) set(ord uint32, sum Summary) {
	s.col.set(ord, sum)
	s.has.Add(ord)
	s.last.touch(ord)
	s.min.touch(ord)
	s.max.touch(ord)
	s.count.touch(ord)
}

func (s *headSeries) remove(ord uint32) {
	if _, ok := s.col.get(ord); !ok {
		return
	}
	s.col.del(ord)
	s.has.Remove(ord)
	s.last.touch(ord)
	s.min.touch(ord)
	s.max.touch(ord)
	s.count.touch(ord)
}

// floatStat returns the view and accessors of a float statistic.
func (s *headSeries) floatStat(st Stat) (*sortedView[float64], func(func(uint32, float64)), func(uint32) (float64, bool)) {
	pick := func(sum *Summary) float64 { return sum.stat(st).f }
	each := func(fn func(uint32, float64)) {
		s.col.each(func(o uint32, sum *Summary) bool { fn(o, pick(sum)); return true })
	}
	at := func(o uint32) (float64, bool) {
		sum, ok := s.col.get(o)
		return pick(&sum), ok
	}
	v := &s.last
	switch st {
	case StatMin:
		v = &s.min
	case StatMax:
		v = &s.max
	}
	return v, each, at
}

func (s *headSeries) countStat() (*sortedView[int64], func(func(uint32, int64)), func(uint32) (int64, bool)) {
	each := func(fn func(uint32, int64)) {
		s.col.each(func(o uint32, sum *Summary) bool { fn(o, sum.Count); return true })
	}
	at := func(o uint32) (int64, bool) {
		sum, ok := s.col.get(o)
		return sum.Count, ok
	}
	return &s.count, each, at
}

// matchNum returns the runs whose statistic st matches t.
func (s *headSeries) matchNum(st Stat, t *numTest) *roaring.Bitmap {
	if st == StatCount {
		v, each, at := s.countStat()
		return v.matchNum(t, each, at)
	}
	v, each, at := s.floatStat(st)
	return v.matchNum(t, each, at)
}

// domain returns the runs whose statistic st is not NaN.
func (s *headSeries) domain(st Stat) *roaring.Bitmap {
	if st == StatCount {
		return s.has.Clone()
	}
	v, each, at := s.floatStat(st)
	return v.domain(each, at)
}
