package jsonl

// internTable hands out one string per distinct name, so the metric names,
// run IDs and context labels that repeat on every line cost a map lookup
// (which does not allocate for a []byte key) instead of a new string each.
// It stops growing at a bound: a stream of unique names must not make it
// an unbounded cache.
type internTable struct {
	m map[string]string
}

const (
	internMaxEntries = 4096
	internMaxLen     = 256
)

func (t *internTable) get(b []byte) string {
	if s, ok := t.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(b) <= internMaxLen {
		if t.m == nil {
			t.m = make(map[string]string)
		}
		if len(t.m) < internMaxEntries {
			t.m[s] = s
		}
	}
	return s
}
