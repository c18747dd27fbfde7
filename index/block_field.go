package index

import (
	"math"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
)

// blockField is a field body of a block, its part table read and its small
// postings decoded; the dictionary's postings stay encoded until a query
// needs them. Parsed once, on first use, and shared.
type blockField struct {
	name    string // for errors: "field params.lr"
	err     error  // non-nil: the body is corrupt
	has     *roaring.Bitmap
	touched *roaring.Bitmap // has ∪ cleared
	strs    strPart
	ints    numPart
	floats  numPart
	bools   [2]*roaring.Bitmap
	fwd     fwdPart
}

// strPart is a field's string dictionary: n values in byte order, each with
// a posting; offsets are checked when read.
type strPart struct {
	n                  int
	textOffs, postOffs []byte // (n+1) u32 each
	text, posts        []byte
	textAt, postAt     int // absolute offsets of text and posts, for errors
}

// numPart is a field's sorted int or float array.
type numPart struct {
	n          int
	vals, ords []byte
	at         int // absolute offset of the part
}

// fwdPart maps a field's runs, in ordinal order, to their values.
type fwdPart struct {
	m          int
	ords, refs []byte
	at         int
}

// field returns the parsed body of directory entry i.
func (b *Block) field(i int) *blockField {
	if f := b.fields[i].Load(); f != nil {
		return f
	}
	f := b.parseField(i)
	if !b.fields[i].CompareAndSwap(nil, f) {
		return b.fields[i].Load()
	}
	return f
}

// lookupField returns the parsed body of a field, nil if the block has no
// such field.
func (b *Block) lookupField(f Field) (*blockField, error) {
	i, err := b.findField(f.Kind, f.Key)
	if err != nil || i < 0 {
		return nil, err
	}
	bf := b.field(i)
	if bf.err != nil {
		return nil, bf.err
	}
	return bf, nil
}

func (b *Block) parseField(i int) *blockField {
	entryAt := b.fieldDir.off + 4 + i*fieldEntrySize
	kind, key, err := b.fieldEntry(i)
	if err != nil {
		return &blockField{err: err}
	}
	f := &blockField{name: "field " + Field{Kind: kind, Key: string(key)}.String()}
	e := b.fieldDir.b[4+i*fieldEntrySize:]
	body, err := b.body(f.name, entryAt, le.Uint64(e[16:]), uint64(le.Uint32(e[12:])), le.Uint32(e[24:]))
	if err != nil {
		f.err = err
		return f
	}
	f.err = f.parse(body)
	return f
}

// partTable reads and checks a field body's part table.
func partTable(name string, body section) (parts [fieldParts]section, err error) {
	if len(body.b) < fieldTableSize {
		return parts, corrupt(name, body.off, "body of %d bytes, want at least %d", len(body.b), fieldTableSize)
	}
	prev := uint32(fieldTableSize)
	if got := le.Uint32(body.b); got != prev {
		return parts, corrupt(name, body.off, "first part at %d, want %d", got, prev)
	}
	for p := 0; p < fieldParts; p++ {
		end := le.Uint32(body.b[4*(p+1):])
		if end < prev || uint64(end) > uint64(len(body.b)) {
			return parts, corrupt(name, body.off+4*(p+1), "part %d ends at %d, outside [%d, %d]", p, end, prev, len(body.b))
		}
		parts[p] = section{off: body.off + int(prev), b: body.b[prev:end]}
		prev = end
	}
	if int(prev) != len(body.b) {
		return parts, corrupt(name, body.off+4*fieldParts, "parts end at %d, body has %d bytes", prev, len(body.b))
	}
	return parts, nil
}

func (f *blockField) parse(body section) error {
	parts, err := partTable(f.name, body)
	if err != nil {
		return err
	}
	posting := func(p section, what string) (*roaring.Bitmap, error) {
		bm, err := decodePostingExact(p.b)
		if err != nil {
			return nil, corrupt(f.name, p.off, "%s: %v", what, err)
		}
		return bm, nil
	}
	if f.has, err = posting(parts[partHas], "runs"); err != nil {
		return err
	}
	cleared, err := posting(parts[partCleared], "deleted runs")
	if err != nil {
		return err
	}
	f.touched = f.has
	if !cleared.IsEmpty() {
		f.touched = roaring.Or(f.has, cleared)
	}

	if p := parts[partStrings]; len(p.b) > 0 {
		if len(p.b) < 4 {
			return corrupt(f.name, p.off, "string part of %d bytes", len(p.b))
		}
		n := uint64(le.Uint32(p.b))
		tables := 8 * (n + 1)
		if n == 0 || tables > uint64(len(p.b)-4) {
			return corrupt(f.name, p.off, "%d strings do not fit %d bytes", n, len(p.b))
		}
		s := &f.strs
		s.n = int(n)
		s.textOffs = p.b[4 : 4+4*(n+1)]
		s.postOffs = p.b[4+4*(n+1) : 4+tables]
		area := p.b[4+tables:]
		textLen, postLen := uint64(le.Uint32(s.textOffs[4*n:])), uint64(le.Uint32(s.postOffs[4*n:]))
		if textLen+postLen != uint64(len(area)) {
			return corrupt(f.name, p.off, "text %d + postings %d bytes, area has %d", textLen, postLen, len(area))
		}
		s.text, s.posts = area[:textLen], area[textLen:]
		s.textAt, s.postAt = p.off+4+int(tables), p.off+4+int(tables)+int(textLen)
	}
	for _, np := range []struct {
		p   section
		dst *numPart
	}{{parts[partInts], &f.ints}, {parts[partFloats], &f.floats}} {
		if len(np.p.b) == 0 {
			continue
		}
		if len(np.p.b) < 4 {
			return corrupt(f.name, np.p.off, "number part of %d bytes", len(np.p.b))
		}
		n := uint64(le.Uint32(np.p.b))
		if n == 0 || 4+12*n != uint64(len(np.p.b)) {
			return corrupt(f.name, np.p.off, "%d numbers in %d bytes", n, len(np.p.b))
		}
		*np.dst = numPart{n: int(n), vals: np.p.b[4 : 4+8*n], ords: np.p.b[4+8*n:], at: np.p.off}
	}
	if p := parts[partBools]; len(p.b) > 0 {
		for v := range f.bools {
			bm, n, err := decodePosting(p.b)
			if err != nil {
				return corrupt(f.name, p.off, "bool %v: %v", v == 1, err)
			}
			f.bools[v] = bm
			p.b, p.off = p.b[n:], p.off+n
		}
		if len(p.b) != 0 {
			return corrupt(f.name, p.off, "%d trailing bytes after the bool postings", len(p.b))
		}
	}
	p := parts[partForward]
	if len(p.b) < 4 {
		return corrupt(f.name, p.off, "forward part of %d bytes", len(p.b))
	}
	m := uint64(le.Uint32(p.b))
	if 4+8*m != uint64(len(p.b)) {
		return corrupt(f.name, p.off, "%d forward entries in %d bytes", m, len(p.b))
	}
	f.fwd = fwdPart{m: int(m), ords: p.b[4 : 4+4*m], refs: p.b[4+4*m:], at: p.off}
	return nil
}

// sticky collects the first error of a reader whose accessors cannot
// return one (they run inside binary searches).
type sticky struct{ err error }

func (s *sticky) set(err error) {
	if s.err == nil {
		s.err = err
	}
}

// text returns string i of the dictionary, a copy the caller may keep.
func (f *blockField) text(i int, st *sticky) string {
	return string(f.textBytes(i, st))
}

// textView returns string i of the dictionary without copying it, for
// comparisons and matching that do not keep it: the block's bytes may be
// a mapping that goes away when the block is closed.
func (f *blockField) textView(i int, st *sticky) string {
	b := f.textBytes(i, st)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func (f *blockField) textBytes(i int, st *sticky) []byte {
	s := &f.strs
	lo, hi := le.Uint32(s.textOffs[4*i:]), le.Uint32(s.textOffs[4*i+4:])
	if lo > hi || int(hi) > len(s.text) {
		st.set(corrupt(f.name, s.textAt, "string %d at [%d, %d) outside %d bytes", i, lo, hi, len(s.text)))
		return nil
	}
	return s.text[lo:hi]
}

// posting decodes the posting of string i.
func (f *blockField) posting(i int) (*roaring.Bitmap, error) {
	s := &f.strs
	lo, hi := le.Uint32(s.postOffs[4*i:]), le.Uint32(s.postOffs[4*i+4:])
	if lo > hi || int(hi) > len(s.posts) {
		return nil, corrupt(f.name, s.postAt, "posting %d at [%d, %d) outside %d bytes", i, lo, hi, len(s.posts))
	}
	bm, err := decodePostingExact(s.posts[lo:hi])
	if err != nil {
		return nil, corrupt(f.name, s.postAt+int(lo), "posting of string %d: %v", i, err)
	}
	return bm, nil
}

// seq returns a number part as a numSeq; bound is above every live run of
// the block.
func (p *numPart) seq(float bool, bound uint32) *numSeq {
	val := func(i int) num { return num{isInt: true, i: int64(le.Uint64(p.vals[8*i:]))} }
	if float {
		val = func(i int) num { return num{f: math.Float64frombits(le.Uint64(p.vals[8*i:]))} }
	}
	return &numSeq{n: p.n, val: val, ord: func(i int) uint32 { return le.Uint32(p.ords[4*i:]) }, bound: bound}
}

// value returns the value a forward reference points at.
func (f *blockField) value(ref uint32, st *sticky) (Value, bool) {
	i := int(ref & refMask)
	switch ref >> refShift {
	case refString:
		if i < f.strs.n {
			return String(f.text(i, st)), true
		}
	case refInt:
		if i < f.ints.n {
			return Int(int64(le.Uint64(f.ints.vals[8*i:]))), true
		}
	case refFloat:
		if i < f.floats.n {
			return Float(math.Float64frombits(le.Uint64(f.floats.vals[8*i:]))), true
		}
	case refBool:
		if i < 2 {
			return Bool(i == 1), true
		}
	}
	st.set(corrupt(f.name, f.fwd.at, "forward reference %#x points nowhere", ref))
	return Value{}, false
}
