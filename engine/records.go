package engine

import (
	"fmt"
	"math"

	"github.com/trackdb/trackdb/internal/encoding"
	"github.com/trackdb/trackdb/wal"
)

// WAL record types. These constants are part of the on-disk format
// (docs/format/records.md).
const (
	recRunCreate wal.RecordType = 1
	recRunUpdate wal.RecordType = 2
	recRunDelete wal.RecordType = 3
	// Type 4 is reserved.
	recSeries  wal.RecordType = 5
	recLog     wal.RecordType = 6
	recSamples wal.RecordType = 7
)

// Bits of a run update record's field mask.
const (
	updExperiment = 1 << iota
	updName
	updStatus
	updStart
	updEnd
	updParams
	updTags
	updDatasets
)

// maxSamplesPerRecord bounds a bulk samples record (about 64 KiB) so that
// one Append of millions of points never needs one huge record.
const maxSamplesPerRecord = 4096

type runCreateRec struct {
	ref        uint32
	id         string
	experiment string
	name       string
	status     Status
	start, end int64
	params     []Param
	tags       [][2]string
	datasets   []Dataset
}

type runUpdateRec struct {
	ref        uint32
	mask       byte
	experiment string
	name       string
	status     Status
	start, end int64
	params     []Param
	tags       [][2]string
	delTags    []string
	datasets   []Dataset
}

func putParams(e *encoding.Encbuf, ps []Param) {
	e.PutUvarint(uint64(len(ps)))
	for _, p := range ps {
		e.PutString(p.Key)
		e.PutByte(byte(p.Value.Type))
		switch p.Value.Type {
		case TypeString:
			e.PutString(p.Value.Str)
		case TypeInt:
			e.PutVarint(p.Value.Int)
		case TypeFloat:
			e.PutBE64(math.Float64bits(p.Value.Float))
		case TypeBool:
			if p.Value.Bool {
				e.PutByte(1)
			} else {
				e.PutByte(0)
			}
		}
	}
}

func getParams(d *encoding.Decbuf) []Param {
	n := d.Count(3)
	ps := make([]Param, 0, n)
	for range n {
		p := Param{Key: d.String()}
		p.Value.Type = ValueType(d.Byte())
		switch p.Value.Type {
		case TypeString:
			p.Value.Str = d.String()
		case TypeInt:
			p.Value.Int = d.Varint()
		case TypeFloat:
			p.Value.Float = math.Float64frombits(d.BE64())
		case TypeBool:
			p.Value.Bool = d.Byte() != 0
		default:
			if d.E == nil {
				d.E = fmt.Errorf("%w: param %q has unknown type %d", encoding.ErrInvalid, p.Key, p.Value.Type)
			}
			return nil
		}
		ps = append(ps, p)
	}
	return ps
}

func putTags(e *encoding.Encbuf, set [][2]string) {
	e.PutUvarint(uint64(len(set)))
	for _, kv := range set {
		e.PutString(kv[0])
		e.PutString(kv[1])
	}
}

func getTags(d *encoding.Decbuf) [][2]string {
	n := d.Count(2)
	set := make([][2]string, 0, n)
	for range n {
		set = append(set, [2]string{d.String(), d.String()})
	}
	return set
}

func encodeRunCreate(e *encoding.Encbuf, r *runCreateRec) {
	e.Reset()
	e.PutUvarint(uint64(r.ref))
	e.PutString(r.id)
	e.PutString(r.experiment)
	e.PutString(r.name)
	e.PutByte(byte(r.status))
	e.PutVarint(r.start)
	e.PutVarint(r.end)
	putParams(e, r.params)
	putTags(e, r.tags)
	putDatasets(e, r.datasets)
}

func decodeRunCreate(b []byte) (*runCreateRec, error) {
	d := encoding.Decbuf{B: b}
	r := &runCreateRec{ref: uint32(d.Uvarint()), id: d.String(), experiment: d.String(), name: d.String()}
	r.status = Status(d.Byte())
	r.start = d.Varint()
	r.end = d.Varint()
	r.params = getParams(&d)
	r.tags = getTags(&d)
	r.datasets = getDatasets(&d)
	return r, finish(&d, "run create")
}

func encodeRunUpdate(e *encoding.Encbuf, u *runUpdateRec) {
	e.Reset()
	e.PutUvarint(uint64(u.ref))
	e.PutByte(u.mask)
	if u.mask&updExperiment != 0 {
		e.PutString(u.experiment)
	}
	if u.mask&updName != 0 {
		e.PutString(u.name)
	}
	if u.mask&updStatus != 0 {
		e.PutByte(byte(u.status))
	}
	if u.mask&updStart != 0 {
		e.PutVarint(u.start)
	}
	if u.mask&updEnd != 0 {
		e.PutVarint(u.end)
	}
	if u.mask&updParams != 0 {
		putParams(e, u.params)
	}
	if u.mask&updTags != 0 {
		putTags(e, u.tags)
		e.PutUvarint(uint64(len(u.delTags)))
		for _, k := range u.delTags {
			e.PutString(k)
		}
	}
	if u.mask&updDatasets != 0 {
		putDatasets(e, u.datasets)
	}
}

func decodeRunUpdate(b []byte) (*runUpdateRec, error) {
	d := encoding.Decbuf{B: b}
	u := &runUpdateRec{ref: uint32(d.Uvarint()), mask: d.Byte()}
	if u.mask&updExperiment != 0 {
		u.experiment = d.String()
	}
	if u.mask&updName != 0 {
		u.name = d.String()
	}
	if u.mask&updStatus != 0 {
		u.status = Status(d.Byte())
	}
	if u.mask&updStart != 0 {
		u.start = d.Varint()
	}
	if u.mask&updEnd != 0 {
		u.end = d.Varint()
	}
	if u.mask&updParams != 0 {
		u.params = getParams(&d)
	}
	if u.mask&updTags != 0 {
		u.tags = getTags(&d)
		u.delTags = make([]string, d.Count(1))
		for i := range u.delTags {
			u.delTags[i] = d.String()
		}
	}
	if u.mask&updDatasets != 0 {
		u.datasets = getDatasets(&d)
	}
	// All eight mask bits are in use; a ninth field needs a new record type.
	return u, finish(&d, "run update")
}

func encodeSeries(e *encoding.Encbuf, ref SeriesRef, run uint32, metric string, ctx Context) {
	e.Reset()
	e.PutUvarint(uint64(ref))
	e.PutUvarint(uint64(run))
	e.PutString(metric)
	putContext(e, ctx)
}

// finish turns a decoder's state at the end of a record into an error.
func finish(d *encoding.Decbuf, what string) error {
	if d.E != nil {
		return fmt.Errorf("%w: %s record: %v", ErrCorrupt, what, d.E)
	}
	if d.Len() != 0 {
		return fmt.Errorf("%w: %s record: %d trailing bytes", ErrCorrupt, what, d.Len())
	}
	return nil
}

func putDatasets(e *encoding.Encbuf, ds []Dataset) {
	e.PutUvarint(uint64(len(ds)))
	for _, d := range ds {
		e.PutString(d.Name)
		e.PutString(d.Digest)
		e.PutString(d.Context)
	}
}

func getDatasets(d *encoding.Decbuf) []Dataset {
	n := d.Count(3)
	if n == 0 {
		return nil
	}
	ds := make([]Dataset, 0, n)
	for range n {
		ds = append(ds, Dataset{Name: d.String(), Digest: d.String(), Context: d.String()})
	}
	return ds
}
