package engine

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/index"
	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/query"
)

var querySeed = flag.Uint64("query-seed", 0, "seed of TestQueryModel (0: from the clock)")

// modelRun is the brute-force model's copy of a run.
type modelRun struct {
	id, experiment, name, status string
	start                        int64
	params                       map[string]index.Value
	tags                         map[string]string
	metrics                      map[string]index.Summary // by metric name, default context
	datasets                     []Dataset
}

// TestQueryModel compares run search through the whole stack (parse,
// plan, index, engine) with a brute-force evaluation of the parsed filter
// over an in-memory model of the runs, on random runs and random filters.
// A failure prints the seed; -query-seed replays it.
func TestQueryModel(t *testing.T) {
	seed := *querySeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay: go test ./engine -run TestQueryModel -query-seed %d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	db := openMem(t, vfs.NewMem(), nil)
	runs := make([]*modelRun, 150)
	for i := range runs {
		runs[i] = randomRun(t, db, rng, i)
	}
	nonEmpty := 0
	for n := range 400 {
		filter := randomFilter(rng, 3)
		order, desc := randomOrder(rng)
		limit := rng.IntN(len(runs) + 5)
		text := fmt.Sprintf("runs where %s order by %s", filter, order)
		if desc {
			text += " desc"
		}
		text += fmt.Sprintf(", run_id limit %d", limit)
		q, err := query.Parse(text)
		require.NoError(t, err, "seed %d query %d: %s", seed, n, text)
		want := bruteForce(t, runs, q.(*query.RunsQuery), limit)
		res, err := db.Query(context.Background(), text)
		require.NoError(t, err, "seed %d query %d: %s", seed, n, text)
		got := make([]string, len(res.Runs))
		for i, r := range res.Runs {
			got[i] = r.ID
		}
		require.Equal(t, want, got, "seed %d query %d: %s", seed, n, text)
		if len(got) > 0 {
			nonEmpty++
		}
	}
	require.Greater(t, nonEmpty, 100, "the random filters should select runs often")
}

var (
	models   = []string{"resnet", "vgg", "mlp", "ResNet-50"}
	opts     = []string{"adam", "sgd"}
	statuses = []Status{StatusRunning, StatusFinished, StatusFailed, StatusKilled}
)

func randomRun(t *testing.T, db *DB, rng *rand.Rand, i int) *modelRun {
	r := &modelRun{
		id: fmt.Sprintf("r%03d", i), experiment: []string{"cifar", "mnist"}[rng.IntN(2)],
		name: fmt.Sprintf("run-%d", rng.IntN(20)), status: "",
		start:  int64(1000 + rng.IntN(100)),
		params: map[string]index.Value{}, tags: map[string]string{}, metrics: map[string]index.Summary{},
	}
	st := statuses[rng.IntN(len(statuses))]
	r.status = st.String()
	spec := RunSpec{ID: r.id, Experiment: r.experiment, Name: r.name, Status: st, StartTime: r.start, EndTime: r.start + 10,
		Params: map[string]any{}, Tags: map[string]string{}}
	switch rng.IntN(5) {
	case 0: // missing
	case 1:
		spec.Params["lr"] = "auto"
		r.params["lr"] = index.String("auto")
	default:
		lr := []float64{0.1, 0.01, 0.001, 1e-05, 1}[rng.IntN(5)]
		spec.Params["lr"] = lr
		r.params["lr"] = index.Float(lr)
	}
	if rng.IntN(4) > 0 {
		l := int64(rng.IntN(5))
		spec.Params["layers"] = l
		r.params["layers"] = index.Int(l)
	}
	if rng.IntN(3) > 0 {
		o := opts[rng.IntN(2)]
		spec.Params["opt"] = o
		r.params["opt"] = index.String(o)
	}
	if rng.IntN(3) > 0 {
		b := rng.IntN(2) == 0
		spec.Params["aug"] = b
		r.params["aug"] = index.Bool(b)
	}
	if rng.IntN(4) > 0 {
		m := models[rng.IntN(len(models))]
		spec.Tags["model"] = m
		r.tags["model"] = m
	}
	for range rng.IntN(3) {
		d := Dataset{Name: []string{"mnist", "cifar10", "imagenet"}[rng.IntN(3)], Digest: []string{"", "d1", "d2"}[rng.IntN(3)],
			Context: []string{"training", "eval", ""}[rng.IntN(3)]}
		if !slices.Contains(r.datasets, d) {
			r.datasets = append(r.datasets, d)
			spec.Datasets = append(spec.Datasets, d)
		}
	}
	_, err := db.CreateRun(spec)
	require.NoError(t, err)
	if rng.IntN(5) > 0 {
		s := index.Summary{Min: math.Inf(1), Max: math.Inf(-1)}
		n := 1 + rng.IntN(4)
		for step := range n {
			v := float64(rng.IntN(10)) / 4
			if rng.IntN(10) == 0 {
				v = math.NaN()
			}
			require.NoError(t, db.Log(r.id, int64(step), 1000, map[string]float64{"loss": v}, nil))
			s.Count++
			s.Last = v
			if !math.IsNaN(v) {
				s.Min, s.Max = min(s.Min, v), max(s.Max, v)
			}
		}
		if math.IsInf(s.Min, 1) {
			s.Min, s.Max = math.NaN(), math.NaN()
		}
		r.metrics["loss"] = s
	}
	return r
}

// randomFilter writes a random filter of the given depth.
func randomFilter(rng *rand.Rand, depth int) string {
	if depth > 0 && rng.IntN(3) > 0 {
		switch rng.IntN(4) {
		case 0:
			return "(" + randomFilter(rng, depth-1) + " OR " + randomFilter(rng, depth-1) + ")"
		case 1:
			return "NOT (" + randomFilter(rng, depth-1) + ")"
		default:
			return randomFilter(rng, depth-1) + " and " + randomFilter(rng, depth-1)
		}
	}
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	cmp := pick("=", "!=", "<", "<=", ">", ">=")
	switch rng.IntN(13) {
	case 11:
		return pick("datasets.name = 'mnist'", "datasets.name != 'mnist'", "datasets.digest IN ('d1', 'd3')",
			"datasets.context LIKE 'ev%'", "datasets.name NOT IN ('cifar10')", "datasets.name ILIKE 'IMAGE%'", "datasets.context REGEXP 'ing$'")
	case 0:
		return "params.lr " + cmp + " " + pick("0.01", "0.001", "1e-05", "1", "0.1")
	case 1:
		return "params.lr " + cmp + " " + pick("'0.01'", "'auto'", "'1.0'", "'1e-05'")
	case 2:
		return "params.layers " + cmp + " " + pick("0", "2", "4", "2.5", "'3'")
	case 3:
		return "params.aug " + pick("=", "!=") + " " + pick("true", "false", "'True'")
	case 4:
		return "params.opt " + pick("IN ('adam')", "NOT IN ('adam', 'x')", "= 'sgd'", "LIKE '%a%'", "NOT LIKE 's%'", "IS NULL", "IS NOT NULL")
	case 5:
		return "tags.model " + pick("= 'resnet'", "!= 'vgg'", "ILIKE 'res%'", "LIKE 'res%'", "REGEXP '^[rv]'", "NOT REGEXP 'e'", "IN ('mlp', 'vgg')", "IS NULL")
	case 6:
		return pick("status = 'FINISHED'", "status IN ('failed', 'Killed')", "status != 'running'", "status LIKE 'F%'")
	case 7:
		return pick("experiment = 'cifar'", "run_name LIKE 'run-1%'", "run_id < 'r050'", "run_id IN ('r001', 'r099')")
	case 8:
		return "start_time " + cmp + " " + pick("1050", "1000", "1099.5")
	case 9:
		return pick("metrics.loss", "last(loss)", "min(loss)", "max(loss)") + " " + cmp + " " + pick("0", "1", "1.25", "2.25")
	case 10:
		return "count(loss) " + cmp + " " + pick("1", "2", "3.5")
	}
	return pick("metrics.loss IS NULL", "end_time IS NOT NULL", "params.nothing IS NULL", "tags.none = 'x'")
}

func randomOrder(rng *rand.Rand) (string, bool) {
	keys := []string{"params.lr", "params.layers", "tags.model", "metrics.loss", "min(loss)", "count(loss)", "start_time", "params.aug"}
	return keys[rng.IntN(len(keys))], rng.IntN(2) == 0
}

// bruteForce answers a run search over the model.
func bruteForce(t *testing.T, runs []*modelRun, q *query.RunsQuery, limit int) []string {
	var hits []*modelRun
	for _, r := range runs {
		if evalModel(t, r, q.Where) {
			hits = append(hits, r)
		}
	}
	slices.SortStableFunc(hits, func(a, b *modelRun) int {
		for _, k := range q.Order {
			av, aok := modelValue(a, k.Field)
			bv, bok := modelValue(b, k.Field)
			if c := compareSort(av, aok, bv, bok, k.Desc); c != 0 {
				return c
			}
		}
		return 0
	})
	out := []string{}
	for i, r := range hits {
		if i == limit {
			break
		}
		out = append(out, r.id)
	}
	return out
}

// modelValue returns the run's value of f, ok false when it has none.
func modelValue(r *modelRun, f *query.Field) (index.Value, bool) {
	switch f.Kind {
	case query.FieldParam:
		v, ok := r.params[f.Key]
		return v, ok
	case query.FieldTag:
		v, ok := r.tags[f.Key]
		return index.String(v), ok
	case query.FieldMetric:
		s, ok := r.metrics[f.Key]
		if !ok {
			return index.Value{}, false
		}
		switch f.Stat {
		case index.StatMin:
			return index.Float(s.Min), true
		case index.StatMax:
			return index.Float(s.Max), true
		case index.StatCount:
			return index.Int(s.Count), true
		}
		return index.Float(s.Last), true
	}
	switch f.Key {
	case index.AttrRunID:
		return index.String(r.id), true
	case index.AttrExperiment:
		return index.String(r.experiment), true
	case index.AttrName:
		return index.String(r.name), true
	case index.AttrStatus:
		return index.String(r.status), true
	case index.AttrStartTime:
		return index.Int(r.start), true
	case index.AttrEndTime:
		return index.Int(r.start + 10), true
	}
	return index.Value{}, false
}

func isNum(v index.Value) bool { return v.Kind == index.KindInt || v.Kind == index.KindFloat }

func numOf(v index.Value) float64 {
	if v.Kind == index.KindInt {
		return float64(v.Int)
	}
	return v.Float
}

// compareSort orders as ORDER BY: numbers, strings, bools (reversed by
// desc), then NaN, then missing.
func compareSort(a index.Value, aok bool, b index.Value, bok bool, desc bool) int {
	rank := func(v index.Value, ok bool) int {
		switch {
		case !ok:
			return 4
		case isNum(v) && math.IsNaN(numOf(v)):
			return 3
		case isNum(v):
			return 0
		case v.Kind == index.KindString:
			return 1
		}
		return 2
	}
	ra, rb := rank(a, aok), rank(b, bok)
	if ra >= 3 || rb >= 3 {
		return ra - rb
	}
	c := ra - rb
	if c == 0 {
		switch {
		case isNum(a):
			c = cmpFloat(numOf(a), numOf(b))
		case a.Kind == index.KindString:
			c = strings.Compare(a.Str, b.Str)
		default:
			c = cmpBool(a.Bool, b.Bool)
		}
	}
	if desc {
		return -c
	}
	return c
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// evalModel evaluates a parsed filter on one run, straight from the
// language's definition (docs/query.md).
func evalModel(t *testing.T, r *modelRun, e query.Expr) bool {
	switch e := e.(type) {
	case nil:
		return true
	case *query.ParenExpr:
		return evalModel(t, r, e.X)
	case *query.NotExpr:
		return !evalModel(t, r, e.X)
	case *query.BinaryExpr:
		if e.Op == query.OpAnd {
			return evalModel(t, r, e.X) && evalModel(t, r, e.Y)
		}
		return evalModel(t, r, e.X) || evalModel(t, r, e.Y)
	case *query.Comparison:
		if e.Field.Kind == query.FieldDataset {
			// Some dataset of the run satisfies the comparison.
			for _, d := range r.datasets {
				one := &modelRun{params: map[string]index.Value{"x": index.String(map[string]string{
					"name": d.Name, "digest": d.Digest, "context": d.Context}[e.Field.Key])}}
				c := *e
				c.Field = &query.Field{Kind: query.FieldParam, Key: "x"}
				if evalModel(t, one, &c) {
					return true
				}
			}
			return false
		}
		v, ok := modelValue(r, e.Field)
		status := e.Field.Kind == query.FieldAttr && e.Field.Key == index.AttrStatus
		switch e.Op {
		case query.OpIsNull:
			return !ok
		case query.OpIsNotNull:
			return ok
		}
		if !ok {
			return false
		}
		lit := func(l *query.Literal) index.Value {
			if status {
				return index.String(strings.ToLower(l.Value.Str))
			}
			return l.Value
		}
		switch e.Op {
		case query.OpIn, query.OpNotIn:
			inDomain, eq := false, false
			for _, l := range e.Values {
				d, c := compareLit(v, lit(l))
				inDomain = inDomain || d
				eq = eq || d && c == 0
			}
			if e.Op == query.OpIn {
				return eq
			}
			return inDomain && !eq
		case query.OpLike, query.OpNotLike, query.OpILike, query.OpNotILike, query.OpRegexp, query.OpNotRegexp:
			pat := e.Value.Value.Str
			var re *regexp.Regexp
			switch e.Op {
			case query.OpRegexp, query.OpNotRegexp:
				if status {
					pat = "(?i)" + pat
				}
				re = regexp.MustCompile(pat)
			default:
				fold := e.Op == query.OpILike || e.Op == query.OpNotILike || status
				re = modelLike(pat, fold)
			}
			m := re.MatchString(v.String())
			if e.Op == query.OpLike || e.Op == query.OpILike || e.Op == query.OpRegexp {
				return m
			}
			return !m
		}
		d, c := compareLit(v, lit(e.Value))
		if !d {
			return false
		}
		switch e.Op {
		case query.OpEq:
			return c == 0
		case query.OpNe:
			return c != 0
		case query.OpLt:
			return c < 0
		case query.OpLe:
			return c <= 0
		case query.OpGt:
			return c > 0
		case query.OpGe:
			return c >= 0
		}
	}
	t.Fatalf("model cannot evaluate %T", e)
	return false
}

// compareLit compares a value with a literal in the literal's domain:
// text for a string, numbers for a number, bools for a bool. d is false
// when the value is outside the domain or NaN (incomparable: the
// comparison is false, even for !=); c is 2 when they are merely unequal.
func compareLit(v, l index.Value) (d bool, c int) {
	switch l.Kind {
	case index.KindString:
		return true, strings.Compare(v.String(), l.Str)
	case index.KindBool:
		if v.Kind != index.KindBool {
			return false, 0
		}
		return true, cmpBool(v.Bool, l.Bool)
	}
	if !isNum(v) || math.IsNaN(numOf(v)) {
		return false, 0
	}
	if v.Kind == index.KindInt && l.Kind == index.KindInt {
		return true, cmpFloat(float64(v.Int), float64(l.Int))
	}
	return true, cmpFloat(numOf(v), numOf(l))
}

// modelLike compiles a LIKE pattern the simple way.
func modelLike(p string, fold bool) *regexp.Regexp {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString("(?s)^")
	for _, r := range p {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
