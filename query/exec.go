package query

import (
	"context"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
)

// Options tunes execution. The zero value and nil mean the defaults.
type Options struct {
	// MaxPoints is the most points a result may hold; default
	// DefaultMaxPoints. A query that would return more fails with
	// ErrTooLarge.
	MaxPoints int
}

// Prepared is a parsed and planned query, ready to run any number of
// times, concurrently, against any Source.
type Prepared struct {
	q      Query
	filter *filter
}

// Prepare parses and plans text.
func Prepare(text string) (*Prepared, error) {
	q, err := Parse(text)
	if err != nil {
		return nil, err
	}
	return PrepareQuery(q)
}

// PrepareQuery plans a parsed query.
func PrepareQuery(q Query) (*Prepared, error) {
	var where Expr
	switch q := q.(type) {
	case *RunsQuery:
		where = q.Where
	case *SeriesQuery:
		where = q.Where
	default:
		return nil, fmt.Errorf("%w: unknown query %T", ErrInvalid, q)
	}
	f, err := planFilter(where)
	if err != nil {
		return nil, err
	}
	return &Prepared{q: q, filter: f}, nil
}

// Query returns the parsed query.
func (p *Prepared) Query() Query { return p.q }

// Exec runs the query against src. It checks ctx between runs and every
// few thousand points, and returns ctx.Err() once it is done.
func (p *Prepared) Exec(ctx context.Context, src Source, opts *Options) (*Result, error) {
	x := &executor{ctx: ctx, src: src, maxPoints: DefaultMaxPoints, runs: map[string]*Run{}}
	if opts != nil && opts.MaxPoints > 0 {
		x.maxPoints = opts.MaxPoints
	}
	sel, err := src.Selector()
	if err != nil {
		return nil, err
	}
	x.sel = sel
	switch q := p.q.(type) {
	case *RunsQuery:
		return x.searchRuns(q, p.filter)
	case *SeriesQuery:
		return x.series(q, p.filter)
	}
	return nil, fmt.Errorf("%w: unknown query %T", ErrInvalid, p.q)
}

// Exec parses, plans and runs text against src.
func Exec(ctx context.Context, src Source, text string, opts *Options) (*Result, error) {
	p, err := Prepare(text)
	if err != nil {
		return nil, err
	}
	return p.Exec(ctx, src, opts)
}

// executor is the state of one execution.
type executor struct {
	ctx       context.Context
	src       Source
	sel       Selector
	maxPoints int
	points    int // points in the result so far
	universe  *roaring.Bitmap
	runs      map[string]*Run // runs read so far, by ID
	batch     []Point         // the buffer of BatchIterator reads
}

// run returns a run's snapshot, read once per execution.
func (x *executor) run(id string) (*Run, error) {
	if r, ok := x.runs[id]; ok {
		return r, nil
	}
	r, err := x.src.Run(id)
	if err != nil {
		return nil, err
	}
	x.runs[id] = &r
	return &r, nil
}

// addPoints counts n more points against the limit.
func (x *executor) addPoints(n int) error {
	x.points += n
	if x.points > x.maxPoints {
		return fmt.Errorf("%w: more than %d points; narrow the query, or downsample", ErrTooLarge, x.maxPoints)
	}
	return nil
}

// eval evaluates a planned filter to a bitmap of run ordinals.
func (x *executor) eval(f *filter) (*roaring.Bitmap, error) {
	if f.pure() {
		return x.sel.Select(f.pred)
	}
	if f.ds != nil {
		return x.evalDataset(f.ds)
	}
	kids := make([]*roaring.Bitmap, len(f.kids))
	for i, k := range f.kids {
		b, err := x.eval(k)
		if err != nil {
			return nil, err
		}
		kids[i] = b
	}
	switch f.op {
	case "and":
		return roaring.FastAnd(kids...), nil
	case "or":
		return roaring.FastOr(kids...), nil
	}
	u, err := x.all()
	if err != nil {
		return nil, err
	}
	return roaring.AndNot(u, kids[0]), nil
}

func (x *executor) all() (*roaring.Bitmap, error) {
	if x.universe == nil {
		u, err := x.sel.Select(nil)
		if err != nil {
			return nil, err
		}
		x.universe = u
	}
	return x.universe, nil
}

// evalDataset scans every live run's datasets: the index does not hold
// them.
func (x *executor) evalDataset(d *datasetCond) (*roaring.Bitmap, error) {
	u, err := x.all()
	if err != nil {
		return nil, err
	}
	ords := u.ToArray()
	ids, err := x.sel.RunIDs(ords)
	if err != nil {
		return nil, err
	}
	out := roaring.New()
	for i, id := range ids {
		if i%256 == 0 {
			if err := x.ctx.Err(); err != nil {
				return nil, err
			}
		}
		if id == "" {
			continue
		}
		r, err := x.run(id)
		if err != nil {
			continue // deleted since the selector was taken
		}
		if d.match(r.Datasets) {
			out.Add(ords[i])
		}
	}
	return out, nil
}

// selectRuns evaluates the filter and orders the runs, returning their
// IDs (deleted runs dropped) and the number matched.
func (x *executor) selectRuns(f *filter, order []*OrderKey, offset, limit int) ([]string, int, error) {
	if err := x.ctx.Err(); err != nil {
		return nil, 0, err
	}
	bm, err := x.eval(f)
	if err != nil {
		return nil, 0, err
	}
	ords, err := x.sel.Sort(bm, sortKeys(order), offset, limit)
	if err != nil {
		return nil, 0, err
	}
	ids, err := x.sel.RunIDs(ords)
	if err != nil {
		return nil, 0, err
	}
	out := ids[:0]
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out, int(bm.GetCardinality()), nil
}

func intOf(l *Literal, def int) int {
	if l == nil {
		return def
	}
	return int(l.Value.Int)
}
