package query

// Row is one row of a result in its long form: a run of a run search, or
// one point of one curve.
type Row struct {
	// Run is the run (a run search); nil for curves.
	Run *RunRow
	// Curve is the point's curve (series and aggregates); nil for runs.
	Curve *Curve
	// Point is the point, and X its coordinate on the result's x axis.
	Point Point
	X     int64
}

// Rows iterates over a result row by row, in the project's iterator shape:
//
//	rows := res.Rows()
//	defer rows.Close()
//	for rows.Next() {
//		row := rows.At()
//		...
//	}
//	return rows.Err()
//
// The result is already in memory, so Err is always nil and Close only
// ends the iteration; they keep the shape of the engine's iterators.
type Rows struct {
	res    *Result
	run    int // index of the current run, or curve
	point  int // index of the current point in its curve
	cur    Row
	closed bool
}

// Rows returns an iterator over the result's rows: its runs, or every
// point of every curve in order.
func (r *Result) Rows() *Rows { return &Rows{res: r, run: -1, point: -1} }

// Next advances to the next row and reports whether there is one.
func (it *Rows) Next() bool {
	if it.closed {
		return false
	}
	r := it.res
	if r.Kind == KindRuns {
		it.run++
		if it.run >= len(r.Runs) {
			it.closed = true
			return false
		}
		it.cur = Row{Run: &r.Runs[it.run]}
		return true
	}
	if it.run < 0 {
		it.run = 0
	}
	it.point++
	for it.run < len(r.Curves) && it.point >= len(r.Curves[it.run].Points) {
		it.run++
		it.point = 0
	}
	if it.run >= len(r.Curves) {
		it.closed = true
		return false
	}
	c := &r.Curves[it.run]
	p := c.Points[it.point]
	it.cur = Row{Curve: c, Point: p, X: c.XOf(p, r.X)}
	return true
}

// At returns the current row. Its pointers point into the Result.
func (it *Rows) At() Row { return it.cur }

// Err returns nil: the rows are in memory.
func (it *Rows) Err() error { return nil }

// Close ends the iteration.
func (it *Rows) Close() error {
	it.closed = true
	return nil
}
