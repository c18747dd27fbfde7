package systems

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/cockroachdb/pebble/v2"
)

// Read implements System: the val and time keys of the series, walked
// together.
func (s *Pebble) Read(run, metric int) (Digest, error) {
	var d Digest
	p := s.prefix[run][metric]
	vit, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte(p + "val/"), UpperBound: upper(p + "val/")})
	if err != nil {
		return d, err
	}
	defer vit.Close()
	tit, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte(p + "time/"), UpperBound: upper(p + "time/")})
	if err != nil {
		return d, err
	}
	defer tit.Close()
	off := len(p) + len("val/")
	for ok, tok := vit.First(), tit.First(); ok; ok, tok = vit.Next(), tit.Next() {
		if !tok {
			return d, fmt.Errorf("pebble: series %s has more values than times", p)
		}
		step := int64(binary.BigEndian.Uint64(vit.Key()[off:]) ^ (1 << 63))
		v := math.Float64frombits(binary.BigEndian.Uint64(vit.Value()))
		t := int64(binary.BigEndian.Uint64(tit.Value()))
		d.Add(step, t, v)
	}
	if err := vit.Error(); err != nil {
		return d, err
	}
	return d, tit.Error()
}

// SearchMethod implements Searcher.
func (s *Pebble) SearchMethod() string {
	return "a scan of every run's meta/ keys (params, tags, trace last values), predicates evaluated per run, as Aim's query scans runs; top-10 scans the same and sorts"
}

// scanMeta calls fn for every key under meta/ with the run ID and the rest
// of the key.
func (s *Pebble) scanMeta(fn func(run, rest string, val []byte) error) error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte("meta/"), UpperBound: upper("meta/")})
	if err != nil {
		return err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		k := string(it.Key()[len("meta/"):])
		i := strings.IndexByte(k, '/')
		if i < 0 {
			continue
		}
		if err := fn(k[:i], k[i+1:], it.Value()); err != nil {
			return err
		}
	}
	return it.Error()
}

// Search implements Searcher.
func (s *Pebble) Search(q SearchQuery) ([]string, error) {
	paramKey, tagKey := "param/"+q.ParamKey, "tag/"+q.TagKey
	lastKey := "trace/" + s.ctxID + "/" + q.Metric + "/last"
	type state struct{ param, tag, metric bool }
	runs := map[string]*state{}
	err := s.scanMeta(func(run, rest string, val []byte) error {
		st := runs[run]
		if st == nil {
			st = &state{}
			runs[run] = st
		}
		switch rest {
		case paramKey:
			st.param = len(val) > 0 && string(val[1:]) == q.ParamValue
		case tagKey:
			st.tag = string(val) == q.TagValue
		case lastKey:
			v := math.Float64frombits(binary.BigEndian.Uint64(val[16:]))
			st.metric = v > q.Above
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for id, st := range runs {
		if st.param && st.tag && st.metric {
			ids = append(ids, id)
		}
	}
	return sortedIDs(ids), nil
}

// TopK implements Searcher.
func (s *Pebble) TopK(metric string, k int) ([]string, error) {
	lastKey := "trace/" + s.ctxID + "/" + metric + "/last"
	var all []ranked
	err := s.scanMeta(func(run, rest string, val []byte) error {
		if rest == lastKey {
			all = append(all, ranked{id: run, v: math.Float64frombits(binary.BigEndian.Uint64(val[16:]))})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return topK(all, k), nil
}

// DownsampleMethod implements Downsampler.
func (s *Pebble) DownsampleMethod() string {
	return "a range scan of the series' val keys over the step range, per-bucket min/max folded in the harness"
}

// Downsample implements Downsampler.
func (s *Pebble) Downsample(q DownsampleQuery) (DownsampleResult, error) {
	p := s.prefix[q.Run][q.Metric] + "val/"
	lo := stepKey([]byte(p), q.FromStep)
	hi := stepKey([]byte(p), q.ToStep+1)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return DownsampleResult{}, err
	}
	defer it.Close()
	b := newBucketer(q.FromStep, q.ToStep, q.Buckets)
	off := len(p)
	for ok := it.First(); ok; ok = it.Next() {
		step := int64(binary.BigEndian.Uint64(it.Key()[off:]) ^ (1 << 63))
		b.add(step, math.Float64frombits(binary.BigEndian.Uint64(it.Value())))
	}
	return b.res, it.Error()
}
