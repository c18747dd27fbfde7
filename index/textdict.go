package index

import (
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// textDict is a head field's dictionary of distinct string values: value →
// id, id → value and postings, and each run's current id. Equality is a map
// lookup. Range, prefix, LIKE and regex predicates need the values in
// order: the sorted list of ids is built on first use and then extended
// incrementally (new ids are sorted and merged in), so creating a run with
// a new value never re-sorts the whole dictionary.
//
// Ids whose postings became empty (a tag's old values) stay until they are
// more than half of the dictionary, then the dictionary is rebuilt without
// them.
type textDict struct {
	ids   map[string]uint32
	vals  []string
	posts []posting
	runs  column[uint32] // ordinal → id
	empty int            // ids whose posting is empty

	mu     sync.Mutex // guards sorted and nsorted for concurrent readers
	sorted []uint32   // ids 0..nsorted-1 in value order
	// nsorted is how many ids sorted covers; ids from nsorted on are new.
	nsorted int
}

// dictSlack is the number of empty ids a dictionary tolerates whatever its
// size; tests lower it.
var dictSlack = 64

func newTextDict() *textDict { return &textDict{ids: make(map[string]uint32)} }

// set makes s the value of ord, replacing any other.
func (d *textDict) set(ord uint32, s string) {
	if old, ok := d.runs.get(ord); ok {
		if d.vals[old] == s {
			return
		}
		d.drop(ord, old)
	}
	id, ok := d.ids[s]
	if !ok {
		id = uint32(len(d.vals))
		d.ids[s] = id
		d.vals = append(d.vals, s)
		d.posts = append(d.posts, posting{})
	} else if d.posts[id].n == 0 {
		d.empty--
	}
	d.posts[id].add(ord)
	d.runs.set(ord, id)
}

// remove drops ord's value, if it has one, and reports whether it had.
func (d *textDict) remove(ord uint32) bool {
	id, ok := d.runs.get(ord)
	if !ok {
		return false
	}
	d.drop(ord, id)
	d.runs.del(ord)
	if d.empty > dictSlack && d.empty > len(d.vals)/2 {
		d.compact()
	}
	return true
}

func (d *textDict) drop(ord, id uint32) {
	d.posts[id].remove(ord)
	if d.posts[id].n == 0 {
		d.empty++
	}
}

// compact renumbers the ids without the empty ones. Writers only.
func (d *textDict) compact() {
	remap := make([]uint32, len(d.vals))
	vals, posts := d.vals[:0:0], d.posts[:0:0]
	for id, s := range d.vals {
		if d.posts[id].n == 0 {
			delete(d.ids, s)
			continue
		}
		remap[id] = uint32(len(vals))
		d.ids[s] = uint32(len(vals))
		vals = append(vals, s)
		posts = append(posts, d.posts[id])
	}
	d.runs.update(func(id uint32) uint32 { return remap[id] })
	d.vals, d.posts, d.empty = vals, posts, 0
	d.sorted, d.nsorted = nil, 0
}

// get returns ord's value.
func (d *textDict) get(ord uint32) (string, bool) {
	id, ok := d.runs.get(ord)
	if !ok {
		return "", false
	}
	return d.vals[id], true
}

// match returns the runs whose value matches t.
func (d *textDict) match(t *textTest) *roaring.Bitmap {
	out := roaring.New()
	if t.op == OpEq {
		for _, s := range t.eq {
			if id, ok := d.ids[s]; ok {
				d.posts[id].addTo(out)
			}
		}
		return out
	}
	var hits []*roaring.Bitmap
	var singles []uint32
	collect := func(id uint32) {
		p := &d.posts[id]
		switch p.n {
		case 0:
		case 1:
			singles = append(singles, p.one)
		default:
			hits = append(hits, p.bm)
		}
	}
	d.mu.Lock()
	d.ensureSorted()
	t.scanSorted(len(d.sorted), func(i int) string { return d.vals[d.sorted[i]] }, func(i int) { collect(d.sorted[i]) })
	d.mu.Unlock()
	if len(singles) > 0 {
		hits = append(hits, bitmapOf(singles))
	}
	return orAll(hits)
}

// ensureSorted brings sorted up to date with the ids. d.mu is held.
func (d *textDict) ensureSorted() {
	if d.nsorted == len(d.vals) {
		return
	}
	fresh := make([]uint32, 0, len(d.vals)-d.nsorted)
	for id := d.nsorted; id < len(d.vals); id++ {
		fresh = append(fresh, uint32(id))
	}
	byValue := func(a, b uint32) int { return strings.Compare(d.vals[a], d.vals[b]) }
	slices.SortFunc(fresh, byValue)
	if len(d.sorted) == 0 {
		d.sorted = fresh
	} else {
		merged := make([]uint32, 0, len(d.sorted)+len(fresh))
		i, j := 0, 0
		for i < len(d.sorted) && j < len(fresh) {
			if byValue(d.sorted[i], fresh[j]) <= 0 {
				merged = append(merged, d.sorted[i])
				i++
			} else {
				merged = append(merged, fresh[j])
				j++
			}
		}
		merged = append(merged, d.sorted[i:]...)
		d.sorted = append(merged, fresh[j:]...)
	}
	d.nsorted = len(d.vals)
}
