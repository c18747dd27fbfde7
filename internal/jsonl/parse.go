package jsonl

import (
	"fmt"
	"strings"
	"time"
)

// Limits on one line. They bound the memory and stack a line can take;
// past them Parse returns ErrLimit.
const (
	// MaxLineLen is the longest line Parse accepts, in bytes.
	MaxLineLen = 16 << 20
	// MaxParamDepth is how deeply param objects may nest below "params",
	// matching the depth the engine flattens.
	MaxParamDepth = 32
)

// Parser parses lines of the interchange format. The zero value is ready
// to use. A Parser is not safe for concurrent use: it keeps scratch memory
// and recently seen names between calls, which is what makes a stream of
// similar lines cheap to parse.
type Parser struct {
	// Now returns the current time in Unix milliseconds. Parse calls it
	// for a metrics line without "time". Nil means the wall clock.
	Now func() int64

	s       scanner
	scratch []byte       // decoded escapes
	path    []string     // field path of the value being parsed, for errors
	names   internTable  // metric names, run IDs, context labels
	single  singlePoint  // "metric" and "value", dump's one-point form
	seen    [numKeys]int // per key: offset+1 where it was seen, 0 if not
	line    *Line
}

// singlePoint holds the one-point form until the whole line is read, since
// "value" may come before "metric".
type singlePoint struct {
	metric string
	value  float64
}

// The keys of a line. Keys outside this list are an error: a typo such as
// "metric" for "metrics" would otherwise silently turn points into a run
// update, and a stray key lost without a word is data loss.
const (
	keyRun = iota
	keyExperiment
	keyName
	keyStatus
	keyStartTime
	keyEndTime
	keyParams
	keyTags
	keyDatasets
	keyStep
	keyTime
	keyContext
	keyMetrics
	keyMetric
	keyValue
	numKeys
)

var keyNames = [numKeys]string{
	keyRun: "run", keyExperiment: "experiment", keyName: "name", keyStatus: "status",
	keyStartTime: "start_time", keyEndTime: "end_time", keyParams: "params", keyTags: "tags",
	keyDatasets: "datasets", keyStep: "step", keyTime: "time", keyContext: "context",
	keyMetrics: "metrics", keyMetric: "metric", keyValue: "value",
}

// runOnly lists the keys a metrics line may not carry, with their Field.
var runOnly = [...]struct {
	key   int
	field Field
}{
	{keyExperiment, FieldExperiment}, {keyName, FieldName}, {keyStatus, FieldStatus},
	{keyStartTime, FieldStartTime}, {keyEndTime, FieldEndTime}, {keyParams, FieldParams},
	{keyTags, FieldTags}, {keyDatasets, FieldDatasets},
}

func lookupKey(k []byte) int {
	// A switch on string(k) compiles to comparisons without allocating.
	switch string(k) {
	case "run":
		return keyRun
	case "experiment":
		return keyExperiment
	case "name":
		return keyName
	case "status":
		return keyStatus
	case "start_time":
		return keyStartTime
	case "end_time":
		return keyEndTime
	case "params":
		return keyParams
	case "tags":
		return keyTags
	case "datasets":
		return keyDatasets
	case "step":
		return keyStep
	case "time":
		return keyTime
	case "context":
		return keyContext
	case "metrics":
		return keyMetrics
	case "metric":
		return keyMetric
	case "value":
		return keyValue
	}
	return -1
}

// Parse parses one line (without its newline; a trailing "\r" is allowed)
// into dst, reusing dst's maps. On error dst holds a partial line and the
// *Error says what is wrong and at which column.
func (p *Parser) Parse(line []byte, dst *Line) error {
	dst.reset()
	if len(line) > MaxLineLen {
		return &Error{Kind: ErrLimit, Offset: MaxLineLen, Msg: fmt.Sprintf("line longer than %d bytes", MaxLineLen)}
	}
	p.s = scanner{b: line}
	p.path = p.path[:0]
	p.seen = [numKeys]int{}
	p.single = singlePoint{}
	p.line = dst
	defer func() { p.line = nil }()
	if err := p.parseObject(); err != nil {
		return err
	}
	return p.finish()
}

// parseObject parses the line's top-level object.
func (p *Parser) parseObject() *Error {
	s := &p.s
	s.skipWS()
	if s.eof() {
		return syntaxErr(s.pos, "empty line: want a JSON object")
	}
	if s.peek() != '{' {
		return syntaxErr(s.pos, "want a JSON object, found "+s.describe())
	}
	err := p.object(func(key []byte, keyOff int) *Error {
		k := lookupKey(key)
		if k < 0 {
			return p.unknownKey(key, keyOff)
		}
		if p.seen[k] != 0 {
			return &Error{Kind: ErrField, Offset: keyOff, Field: keyNames[k], Msg: "key given twice"}
		}
		p.seen[k] = keyOff + 1
		p.path = append(p.path[:0], keyNames[k])
		return p.member(k)
	})
	if err != nil {
		return err
	}
	p.path = p.path[:0]
	s.skipWS()
	if !s.eof() {
		return syntaxErr(s.pos, "unexpected "+s.describe()+" after the object; one object per line")
	}
	return nil
}

func (p *Parser) unknownKey(key []byte, off int) *Error {
	msg := fmt.Sprintf("unknown key %q", key)
	if k := suggest(string(key), keyNames[:]); k != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", k)
	}
	return &Error{Kind: ErrField, Offset: off, Msg: msg}
}

// object parses the object at pos, calling member for each key with the
// scanner at the value. key aliases the line or scratch: member must be
// done with it before it scans a string.
func (p *Parser) object(member func(key []byte, keyOff int) *Error) *Error {
	s := &p.s
	s.pos++ // '{'
	s.skipWS()
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return syntaxErr(s.pos, "want a key string, found "+s.describe())
		}
		keyOff := s.pos
		key, err := s.str(&p.scratch)
		if err != nil {
			return err
		}
		s.skipWS()
		if s.peek() != ':' {
			return syntaxErr(s.pos, "want ':' after the key, found "+s.describe())
		}
		s.pos++
		s.skipWS()
		if err := member(key, keyOff); err != nil {
			return err
		}
		s.skipWS()
		switch s.peek() {
		case ',':
			s.pos++
			s.skipWS()
		case '}':
			s.pos++
			return nil
		default:
			return syntaxErr(s.pos, "want ',' or '}', found "+s.describe())
		}
	}
}

// fieldErr returns an ErrField error at off for the field being parsed.
func (p *Parser) fieldErr(off int, msg string) *Error {
	return &Error{Kind: ErrField, Offset: off, Field: p.field(), Msg: msg}
}

// field renders the current path: "params.optimizer.lr", "datasets[0].name".
func (p *Parser) field() string {
	var b strings.Builder
	for i, el := range p.path {
		if i > 0 && !strings.HasPrefix(el, "[") {
			b.WriteByte('.')
		}
		b.WriteString(el)
	}
	return b.String()
}

// finish checks the line as a whole once every key is read: which kind it
// is, that the kind's required keys are there and no foreign ones.
func (p *Parser) finish() error {
	l := p.line
	if p.seen[keyRun] == 0 {
		return &Error{Kind: ErrField, Offset: 0, Msg: `missing "run"`}
	}
	points := p.seen[keyMetrics] != 0 || p.seen[keyMetric] != 0 || p.seen[keyValue] != 0
	if !points {
		for _, k := range [...]int{keyStep, keyTime, keyContext} {
			if p.seen[k] != 0 {
				return &Error{Kind: ErrField, Offset: p.seen[k] - 1, Field: keyNames[k],
					Msg: `only a metrics line has it, and this line has no "metrics"`}
			}
		}
		l.Kind = KindRun
		return nil
	}
	for _, f := range runOnly {
		if l.Fields&f.field != 0 {
			return &Error{Kind: ErrField, Offset: p.seen[f.key] - 1, Field: keyNames[f.key],
				Msg: "a run field cannot be on a metrics line; put it on a run line of its own"}
		}
	}
	switch {
	case p.seen[keyMetrics] != 0 && p.seen[keyMetric] != 0:
		return &Error{Kind: ErrField, Offset: p.seen[keyMetric] - 1, Field: "metric",
			Msg: `a line has either "metrics" or "metric" and "value", not both`}
	case p.seen[keyMetrics] != 0 && p.seen[keyValue] != 0:
		return &Error{Kind: ErrField, Offset: p.seen[keyValue] - 1, Field: "value",
			Msg: `a line has either "metrics" or "metric" and "value", not both`}
	case p.seen[keyMetric] != 0 && p.seen[keyValue] == 0:
		return &Error{Kind: ErrField, Offset: 0, Msg: `missing "value" for "metric"`}
	case p.seen[keyValue] != 0 && p.seen[keyMetric] == 0:
		return &Error{Kind: ErrField, Offset: 0, Msg: `missing "metric" for "value"`}
	case p.seen[keyStep] == 0:
		// Step is required rather than defaulted: a default of 0 would
		// turn a forgotten step into a pile of repeated points.
		return &Error{Kind: ErrField, Offset: 0, Msg: `missing "step" on a metrics line`}
	}
	if p.seen[keyMetric] != 0 {
		if l.Metrics == nil {
			l.Metrics = make(map[string]float64, 1)
		}
		l.Metrics[p.single.metric] = p.single.value
	} else if l.Metrics == nil {
		l.Metrics = map[string]float64{} // "metrics": {} logs nothing but is a metrics line
	}
	if !l.Has(FieldTime) {
		l.Time = p.now()
	}
	l.Kind = KindPoints
	return nil
}

func (p *Parser) now() int64 {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now().UnixMilli()
}
