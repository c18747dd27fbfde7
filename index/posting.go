package index

import "github.com/RoaringBitmap/roaring/v2"

// posting is the set of runs holding one value. Most distinct values of a
// high-cardinality field (run IDs, names, unique tags) belong to a single
// run, so one run is kept inline and a bitmap is made only for two or more:
// 16 bytes per singleton value instead of a roaring bitmap's ~150.
type posting struct {
	one uint32          // the run, when n == 1
	n   uint32          // number of runs
	bm  *roaring.Bitmap // the runs, when n >= 2
}

func (p *posting) add(ord uint32) {
	switch p.n {
	case 0:
		p.one, p.n = ord, 1
	case 1:
		if ord != p.one {
			p.bm = roaring.BitmapOf(p.one, ord)
			p.n = 2
		}
	default:
		if p.bm.CheckedAdd(ord) {
			p.n++
		}
	}
}

func (p *posting) remove(ord uint32) {
	switch p.n {
	case 0:
	case 1:
		if ord == p.one {
			p.n = 0
		}
	default:
		if p.bm.CheckedRemove(ord) {
			p.n--
			if p.n == 1 {
				p.one, p.bm = p.bm.Minimum(), nil
			}
		}
	}
}

// bitmap returns the runs; the result may be shared and must not be
// changed.
func (p *posting) bitmap() *roaring.Bitmap {
	switch p.n {
	case 0:
		return nil
	case 1:
		return roaring.BitmapOf(p.one)
	}
	return p.bm
}

// addTo adds the runs to b.
func (p *posting) addTo(b *roaring.Bitmap) {
	switch p.n {
	case 0:
	case 1:
		b.Add(p.one)
	default:
		b.Or(p.bm)
	}
}
