package index

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// harness drives an index and the model through the same random writes.
type harness struct {
	t      *testing.T
	r      *rand.Rand
	m      *model
	head   *Head
	blocks []*Block
	log    []string // recent operations, printed on failure
	layers bool     // flush and compact into blocks
}

func newHarness(t *testing.T, r *rand.Rand) *harness {
	return &harness{t: t, r: r, m: newModel(), head: NewHead()}
}

func (h *harness) view() *View { return NewView(h.head, h.blocks...) }

func (h *harness) note(format string, args ...any) {
	h.log = append(h.log, fmt.Sprintf(format, args...))
	if len(h.log) > 40 {
		h.log = h.log[1:]
	}
}

func (h *harness) randLive() (uint32, *mrun, bool) {
	if len(h.m.runs) == 0 {
		return 0, nil, false
	}
	live := h.m.live()
	o := live[h.r.IntN(len(live))]
	return o, h.m.runs[o], true
}

func (h *harness) set(o uint32, run *mrun, f Field, v Value) {
	require.NoError(h.t, h.head.Set(o, f, v))
	run.vals[fieldKey{f.Kind, f.Key}] = v
	h.note("set %d %s = %#v", o, f, v)
}

func (h *harness) del(o uint32, run *mrun, f Field) {
	require.NoError(h.t, h.head.Delete(o, f))
	delete(run.vals, fieldKey{f.Kind, f.Key})
	h.note("delete %d %s", o, f)
}

func (h *harness) createRun() {
	o := h.m.next
	h.m.next += uint32(1 + h.r.IntN(2)) // leave gaps sometimes
	run := &mrun{vals: map[fieldKey]Value{}, sums: map[seriesKey]Summary{}}
	h.m.runs[o] = run
	require.NoError(h.t, h.head.AddRun(o))
	h.note("create %d", o)
	h.set(o, run, Attr(AttrRunID), String(fmt.Sprintf("run-%03d", o)))
	h.set(o, run, Attr(AttrExperiment), String(pick(h.r, []string{"exp-a", "exp-b", "Exp-C"})))
	h.set(o, run, Attr(AttrStatus), String("running"))
	h.set(o, run, Attr(AttrStartTime), Int(int64(h.r.IntN(10))))
	if h.r.IntN(2) == 0 {
		h.set(o, run, Attr(AttrName), String(pick(h.r, stringPool)))
	}
	for _, k := range paramPool {
		if h.r.IntN(3) > 0 {
			h.set(o, run, Param(k), randValue(h.r))
		}
	}
	for _, k := range tagPool {
		if h.r.IntN(2) == 0 {
			h.set(o, run, Tag(k), String(pick(h.r, stringPool)))
		}
	}
}

func (h *harness) setSummary(o uint32, run *mrun) {
	k := seriesKey{pick(h.r, metricPool), pick(h.r, ctxPool)}
	s := Summary{Count: int64(h.r.IntN(5)), Last: randFloat(h.r), Min: randFloat(h.r), Max: randFloat(h.r)}
	id := h.head.Series(k.metric, k.ctx)
	require.NoError(h.t, h.head.SetSummary(o, id, s))
	run.sums[k] = s
	h.note("summary %d %v = %+v", o, k, s)
}

// flush writes the head as a block and starts a new head.
func (h *harness) flush() {
	data, err := h.head.Marshal()
	require.NoError(h.t, err)
	b := h.load(data)
	h.blocks = append(h.blocks, b)
	h.head = NewHead()
	h.note("flush: %d blocks", len(h.blocks))
}

// compact flattens every layer into one block (dropping deletions), or
// only the blocks (keeping them, since nothing older... but keep anyway).
func (h *harness) compact() {
	if h.r.IntN(2) == 0 {
		flat, err := h.view().Flatten(false)
		require.NoError(h.t, err)
		data, err := flat.Marshal()
		require.NoError(h.t, err)
		h.blocks = []*Block{h.load(data)}
		h.head = NewHead()
		h.note("compact all")
		return
	}
	if len(h.blocks) < 2 {
		return
	}
	// Merge the newest blocks, keeping deletions for the older ones.
	k := 1 + h.r.IntN(len(h.blocks)-1)
	flat, err := NewView(nil, h.blocks[k:]...).Flatten(true)
	require.NoError(h.t, err)
	data, err := flat.Marshal()
	require.NoError(h.t, err)
	h.blocks = append(h.blocks[:k:k], h.load(data))
	h.note("compact blocks %d..", k)
}

func (h *harness) load(data []byte) *Block {
	b, err := Load(data)
	require.NoError(h.t, err)
	require.NoError(h.t, b.Verify())
	return b
}

func (h *harness) step() {
	r := h.r
	switch n := r.IntN(100); {
	case n < 12 || len(h.m.runs) == 0:
		h.createRun()
	case n < 30:
		if o, run, ok := h.randLive(); ok {
			f := Tag(pick(r, tagPool))
			if r.IntN(3) == 0 {
				h.del(o, run, f)
			} else {
				h.set(o, run, f, String(pick(r, stringPool)))
			}
		}
	case n < 36:
		if o, run, ok := h.randLive(); ok {
			k := pick(r, paramPool)
			if _, set := run.vals[fieldKey{FieldParam, k}]; !set {
				h.set(o, run, Param(k), randValue(r))
			}
		}
	case n < 44:
		if o, run, ok := h.randLive(); ok {
			switch r.IntN(3) {
			case 0:
				h.set(o, run, Attr(AttrStatus), String(pick(r, []string{"running", "finished", "failed", "killed"})))
			case 1:
				h.set(o, run, Attr(AttrEndTime), Int(int64(r.IntN(10))))
			default:
				h.del(o, run, Attr(AttrEndTime))
			}
		}
	case n < 70:
		if o, run, ok := h.randLive(); ok {
			h.setSummary(o, run)
		}
	case n < 74:
		if o, _, ok := h.randLive(); ok {
			h.head.DeleteRun(o)
			delete(h.m.runs, o)
			h.m.dead[o] = true
			h.note("delete run %d", o)
		}
	case n < 77 && h.layers:
		h.flush()
	case n < 79 && h.layers:
		h.compact()
	default:
		h.check()
	}
}

// check compares random selections and sorts with the model.
func (h *harness) check() {
	v := h.view()
	all, err := v.Select(nil)
	require.NoError(h.t, err)
	require.Equal(h.t, h.m.live(), all.ToArray(), "live runs\n%s", h.history())
	for range 4 {
		p := randPredicate(h.r, 3)
		got, err := v.Select(p)
		require.NoError(h.t, err, "%s", p)
		want := h.m.eval(p)
		require.Equal(h.t, want.ToArray(), got.ToArray(), "predicate %s\n%s", p, h.history())

		keys := []SortKey{{Field: randField(h.r), Desc: h.r.IntN(2) == 0}}
		if h.r.IntN(2) == 0 {
			keys = append(keys, SortKey{Field: randField(h.r), Desc: h.r.IntN(2) == 0})
		}
		offset, limit := h.r.IntN(3), h.r.IntN(8)-1
		sorted, err := v.Sort(got, keys, offset, limit)
		require.NoError(h.t, err)
		require.Equal(h.t, nilIfEmpty(h.m.sort(got, keys, offset, limit)), nilIfEmpty(sorted), "sort %v offset %d limit %d among %s\n%s", keys, offset, limit, p, h.history())
	}
}

func nilIfEmpty(s []uint32) []uint32 {
	if len(s) == 0 {
		return nil
	}
	return s
}

func (h *harness) history() string {
	s := "recent operations:\n"
	for _, l := range h.log {
		s += "  " + l + "\n"
	}
	return s
}

// TestModel runs random writes, flushes, compactions and deletes, and
// checks every kind of predicate and sort against brute force.
func TestModel(t *testing.T) {
	r := newRand(t)
	steps := 3000
	if testing.Short() {
		steps = 600
	}
	for round := range 4 {
		// Even rounds keep one head, so that its lazily built views see
		// long histories of updates; odd rounds flush and compact.
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			h := newHarness(t, r)
			h.layers = round%2 == 1
			if round >= 2 {
				// Rebuild views and compact dictionaries often.
				defer func(v, d int) { viewSlack, dictSlack = v, d }(viewSlack, dictSlack)
				viewSlack, dictSlack = r.IntN(3), r.IntN(3)
			}
			for range steps {
				h.step()
			}
			h.check()
		})
	}
}
