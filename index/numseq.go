package index

import (
	"math"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
)

// numSeq is a sequence of numbers in increasing order, NaN last, each with
// the ordinal of its run: a head's sorted view, a block's int or float
// array, or a block series' statistic through its permutation. The
// predicates on numbers are written once, against it.
type numSeq struct {
	n    int
	val  func(i int) num    // the value at position i
	ord  func(i int) uint32 // its run
	ords []uint32           // the runs, when they are in memory: a fast path for ord
	// bound, when set, is above every run the sequence may hold (a
	// block's live runs); runs at or beyond it are dropped (they can be
	// there only if the bytes are corrupt, which Verify reports).
	bound uint32
}

// nanStart returns the position of the first NaN.
func (s *numSeq) nanStart() int {
	return sort.Search(s.n, func(i int) bool { return s.val(i).isNaN() })
}

func (s *numSeq) cmp(i int, b num) int {
	v := s.val(i)
	if v.isInt {
		return b.cmpInt(v.i)
	}
	if v.f != v.f {
		return 1 // NaN: after every number (only reached on unsorted input)
	}
	return b.cmpFloat(v.f)
}

// collect returns the ordinals at positions [lo, hi).
func (s *numSeq) collect(ords []uint32, lo, hi int) []uint32 {
	if s.ords != nil {
		return append(ords, s.ords[lo:hi]...)
	}
	for i := lo; i < hi; i++ {
		ords = append(ords, s.ord(i))
	}
	return ords
}

// matchNum returns the runs whose value matches t.
func (s *numSeq) matchNum(t *numTest) *roaring.Bitmap {
	return s.bitmap(t.ranges(s.nanStart(), s.cmp))
}

// domain returns the runs whose value is not NaN.
func (s *numSeq) domain() *roaring.Bitmap {
	return s.bitmap([][2]int{{0, s.nanStart()}})
}

// bitmap returns the runs at the positions of ranges. Many runs are set
// straight into a dense bitset, without collecting and sorting them.
func (s *numSeq) bitmap(ranges [][2]int) *roaring.Bitmap {
	count := 0
	for _, r := range ranges {
		count += r[1] - r[0]
	}
	if count < 256 {
		var ords []uint32
		for _, r := range ranges {
			ords = s.collect(ords, r[0], r[1])
		}
		return bitmapOf(ords)
	}
	var maxOrd uint32
	for _, r := range ranges {
		if s.bound != 0 {
			maxOrd = s.bound - 1
			break
		}
		if s.ords != nil {
			if r[0] < r[1] {
				maxOrd = max(maxOrd, slices.Max(s.ords[r[0]:r[1]]))
			}
			continue
		}
		for i := r[0]; i < r[1]; i++ {
			maxOrd = max(maxOrd, s.ord(i))
		}
	}
	words := int(maxOrd)/64 + 1
	if words > 8*count {
		var ords []uint32
		for _, r := range ranges {
			ords = s.collect(ords, r[0], r[1])
		}
		return bitmapOf(ords)
	}
	dense := make([]uint64, words)
	for _, r := range ranges {
		if s.ords != nil {
			for _, o := range s.ords[r[0]:r[1]] {
				dense[o/64] |= 1 << (o % 64)
			}
			continue
		}
		for i := r[0]; i < r[1]; i++ {
			if o := s.ord(i); o <= maxOrd {
				dense[o/64] |= 1 << (o % 64)
			}
		}
	}
	return roaring.FromDense(dense, false)
}

// matchText returns the runs whose value's canonical text matches t. An
// equality test finds its candidates by numeric search; any other test
// formats each distinct value once.
func (s *numSeq) matchText(t *textTest) *roaring.Bitmap {
	var ords []uint32
	test := func(v num) bool { return t.match(v.value().String()) }
	if nums, nan, ok := t.numbers(); ok {
		slices.SortFunc(nums, cmpNum)
		nanAt := s.nanStart()
		eq := &numTest{op: OpEq, eq: nums}
		for _, r := range eq.ranges(nanAt, s.cmp) {
			for i := r[0]; i < r[1]; i++ {
				if test(s.val(i)) {
					ords = append(ords, s.ord(i))
				}
			}
		}
		if nan {
			ords = s.collect(ords, nanAt, s.n)
		}
		return bitmapOf(ords)
	}
	var last num
	var lastOK bool
	for i := 0; i < s.n; i++ {
		v := s.val(i)
		if i == 0 || !sameBits(v, last) {
			last, lastOK = v, test(v)
		}
		if lastOK {
			ords = append(ords, s.ord(i))
		}
	}
	return bitmapOf(ords)
}

// sameBits reports whether two numbers have the same kind and bits, and so
// the same text.
func sameBits(a, b num) bool {
	if a.isInt != b.isInt {
		return false
	}
	if a.isInt {
		return a.i == b.i
	}
	return math.Float64bits(a.f) == math.Float64bits(b.f)
}
