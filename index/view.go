package index

import (
	"github.com/RoaringBitmap/roaring/v2"
)

// View is a [Selector] over one head and any number of blocks, merged by
// this rule: for each (run, field) — a field being an attribute, a param
// key, a tag key or a metric series — the newest layer that holds a state
// for it wins, a state being a value or a recorded deletion. Blocks are
// ordered oldest first; the head is newest. A run deleted in any layer (a
// tombstone) is dead in the View, whatever older layers hold: ordinals are
// never reused. The live runs are those some layer holds, minus the dead.
//
// So a tag changed in the head after a block recorded its old value reads
// as the new value; a tag deleted in the head reads as absent; a metric
// summary reads as the newest layer's, which is cumulative.
//
// A View is cheap: make one per query, or keep one until the block list
// changes. Each call sees the head as of one moment (it holds the head's
// read lock); two calls may see writes in between.
type View struct {
	head   *Head
	layers []layer // oldest first
}

var _ Selector = (*View)(nil)

// NewView returns a View over head (nil for none) and blocks, oldest block
// first.
func NewView(head *Head, blocks ...*Block) *View {
	v := &View{head: head}
	for _, b := range blocks {
		v.layers = append(v.layers, b)
	}
	if head != nil {
		v.layers = append(v.layers, head)
	}
	return v
}

// NewViewWithFrozen is NewView with one more layer between the blocks and
// the head: a head that no longer changes, such as the engine's head index
// while it is being written as a block.
func NewViewWithFrozen(head, frozen *Head, blocks ...*Block) *View {
	v := NewView(nil, blocks...)
	if frozen != nil {
		v.layers = append(v.layers, frozen)
	}
	if head != nil {
		v.head = head
		v.layers = append(v.layers, head)
	}
	return v
}

func (v *View) rlock() {
	if v.head != nil {
		v.head.mu.RLock()
	}
}

func (v *View) runlock() {
	if v.head != nil {
		v.head.mu.RUnlock()
	}
}

// Runs returns the live runs.
func (v *View) Runs() *roaring.Bitmap {
	v.rlock()
	defer v.runlock()
	return v.universe()
}

func (v *View) universe() *roaring.Bitmap {
	var live, dead []*roaring.Bitmap
	for _, l := range v.layers {
		live = append(live, l.runs())
		dead = append(dead, l.dead())
	}
	u := orAll(live)
	if d := orAll(dead); !d.IsEmpty() {
		u.AndNot(d)
	}
	return u
}

// Select implements [Selector].
func (v *View) Select(p Predicate) (*roaring.Bitmap, error) {
	v.rlock()
	defer v.runlock()
	u := v.universe()
	return v.eval(p, u)
}

// eval returns the runs of the universe u that p matches, as a new bitmap.
func (v *View) eval(p Predicate, u *roaring.Bitmap) (*roaring.Bitmap, error) {
	switch p := p.(type) {
	case nil:
		return u.Clone(), nil
	case Cond:
		return v.evalCond(&p, u)
	case *Cond:
		return v.evalCond(p, u)
	case And:
		acc := u.Clone()
		for _, q := range p {
			if acc.IsEmpty() {
				break
			}
			r, err := v.eval(q, acc)
			if err != nil {
				return nil, err
			}
			acc = r
		}
		return acc, nil
	case Or:
		parts := make([]*roaring.Bitmap, 0, len(p))
		for _, q := range p {
			r, err := v.eval(q, u)
			if err != nil {
				return nil, err
			}
			parts = append(parts, r)
		}
		return orAll(parts), nil
	case Not:
		r, err := v.eval(p.P, u)
		if err != nil {
			return nil, err
		}
		return roaring.AndNot(u, r), nil
	}
	return nil, ErrInvalidPredicate
}

func (v *View) evalCond(c *Cond, u *roaring.Bitmap) (*roaring.Bitmap, error) {
	l, err := compile(c)
	if err != nil {
		return nil, err
	}
	var r *roaring.Bitmap
	switch {
	case l.op == OpIsNull:
		has, err := v.merge(l.field, func(x layer) (*roaring.Bitmap, error) { return x.has(l.field) })
		if err != nil {
			return nil, err
		}
		return roaring.AndNot(u, has), nil
	case l.op == OpIsNotNull:
		r, err = v.merge(l.field, func(x layer) (*roaring.Bitmap, error) { return x.has(l.field) })
	case l.none:
		return roaring.New(), nil
	default:
		r, err = v.merge(l.field, func(x layer) (*roaring.Bitmap, error) { return matchLayer(x, l) })
		if err == nil && l.negate {
			var dom *roaring.Bitmap
			dom, err = v.merge(l.field, func(x layer) (*roaring.Bitmap, error) { return x.domain(l.field, l.dom) })
			if err == nil {
				dom.AndNot(r)
				r = dom
			}
		}
	}
	if err != nil {
		return nil, err
	}
	r.And(u)
	return r, nil
}

// matchLayer returns the runs whose value in layer x matches the positive
// part of l (its tests, before negation).
func matchLayer(x layer, l *leaf) (*roaring.Bitmap, error) {
	var parts []*roaring.Bitmap
	if l.text != nil {
		b, err := x.matchText(l.field, l.text)
		if err != nil {
			return nil, err
		}
		parts = append(parts, b)
	}
	if l.num != nil {
		b, err := x.matchNum(l.field, l.num)
		if err != nil {
			return nil, err
		}
		parts = append(parts, b)
	}
	for b, want := range l.bools {
		if want {
			bm, err := x.matchBool(l.field, b == 1)
			if err != nil {
				return nil, err
			}
			parts = append(parts, bm)
		}
	}
	if len(parts) == 1 && parts[0] != nil {
		return parts[0], nil
	}
	return orAll(parts), nil
}

// merge applies the newest-layer-wins rule: the union over layers, newest
// first, of what get returns for the layer, minus the runs whose state a
// newer layer holds. The result is a new bitmap.
func (v *View) merge(f Field, get func(layer) (*roaring.Bitmap, error)) (*roaring.Bitmap, error) {
	if len(v.layers) == 1 {
		b, err := get(v.layers[0])
		return clone(b), err
	}
	out := roaring.New()
	var shadow *roaring.Bitmap
	for i := len(v.layers) - 1; i >= 0; i-- {
		x := v.layers[i]
		b, err := get(x)
		if err != nil {
			return nil, err
		}
		if !isEmpty(b) {
			if isEmpty(shadow) {
				out.Or(b)
			} else {
				out.Or(roaring.AndNot(b, shadow))
			}
		}
		if i > 0 {
			t, err := x.touched(f)
			if err != nil {
				return nil, err
			}
			if !isEmpty(t) {
				if shadow == nil {
					shadow = t.Clone()
				} else {
					shadow.Or(t)
				}
			}
		}
	}
	return out, nil
}
