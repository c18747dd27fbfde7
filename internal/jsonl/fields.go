package jsonl

import (
	"fmt"
	"strings"
)

// member parses the value of top-level key k into p.line.
func (p *Parser) member(k int) *Error {
	s := &p.s
	l := p.line
	// null stands for "absent" on the optional fields, since Python and
	// MLflow's exports write None fields (a running run's end_time) that way.
	if s.hasWord("null") {
		switch k {
		case keyRun, keyStep, keyMetrics, keyMetric, keyValue:
			return p.fieldErr(s.pos, "must not be null")
		}
		s.pos += len("null")
		return nil
	}
	var err *Error
	switch k {
	case keyRun:
		off := s.pos
		if l.Run, err = p.internString(); err == nil && l.Run == "" {
			err = p.fieldErr(off, "run ID is empty")
		}
	case keyExperiment:
		l.Experiment, err = p.plainString()
		l.Fields |= FieldExperiment
	case keyName:
		l.Name, err = p.plainString()
		l.Fields |= FieldName
	case keyStatus:
		err = p.status()
		l.Fields |= FieldStatus
	case keyStartTime:
		l.StartTime, err = p.integer()
		l.Fields |= FieldStartTime
	case keyEndTime:
		l.EndTime, err = p.integer()
		l.Fields |= FieldEndTime
	case keyParams:
		l.Params, err = p.params()
		l.Fields |= FieldParams
	case keyTags:
		if l.Tags == nil {
			l.Tags = map[string]string{}
		}
		err = p.stringMap(l.Tags, false)
		l.Fields |= FieldTags
	case keyDatasets:
		err = p.datasets()
		l.Fields |= FieldDatasets
	case keyStep:
		l.Step, err = p.integer()
	case keyTime:
		l.Time, err = p.integer()
		l.Fields |= FieldTime
	case keyContext:
		if l.Context == nil {
			l.Context = map[string]string{}
		}
		err = p.stringMap(l.Context, true)
		l.Fields |= FieldContext
	case keyMetrics:
		err = p.metrics()
	case keyMetric:
		off := s.pos
		if p.single.metric, err = p.internString(); err == nil && p.single.metric == "" {
			err = p.fieldErr(off, "metric name is empty")
		}
	case keyValue:
		p.single.value, err = p.metricValue()
	}
	return err
}

// rawString scans a string value, failing with a type error for anything
// else.
func (p *Parser) rawString() ([]byte, *Error) {
	if p.s.peek() != '"' {
		return nil, p.fieldErr(p.s.pos, "want a string, found "+p.s.describe())
	}
	return p.s.str(&p.scratch)
}

func (p *Parser) plainString() (string, *Error) {
	b, err := p.rawString()
	return string(b), err
}

// internString is plainString for the names that repeat line after line.
func (p *Parser) internString() (string, *Error) {
	b, err := p.rawString()
	if err != nil {
		return "", err
	}
	return p.names.get(b), nil
}

// status reads a status word case-insensitively, as MLflow writes
// "FINISHED", and stores it lower-cased.
func (p *Parser) status() *Error {
	off := p.s.pos
	b, err := p.rawString()
	if err != nil {
		return err
	}
	for _, w := range [...]string{"running", "finished", "failed", "killed"} {
		if strings.EqualFold(string(b), w) {
			p.line.Status = w
			return nil
		}
	}
	return p.fieldErr(off, fmt.Sprintf("unknown status %q: want running, finished, failed or killed", b))
}

// integer reads step and time values. Any literal whose value is an exact
// integer is accepted, 3.0 and 1e3 too, because Python code computing a
// step with "/" writes floats; 1.5 is rejected rather than rounded.
func (p *Parser) integer() (int64, *Error) {
	s := &p.s
	off := s.pos
	for _, w := range [...]string{"NaN", "Infinity", "-Infinity"} {
		if s.hasWord(w) {
			return 0, p.fieldErr(off, "want an integer, found "+w)
		}
	}
	if c := s.peek(); c != '-' && !isDigit(c) {
		return 0, p.fieldErr(off, "want an integer, found "+s.describe())
	}
	lit, _, err := s.number()
	if err != nil {
		return 0, err
	}
	n, msg := parseExactInt(lit)
	if msg != "" {
		return 0, p.fieldErr(off, fmt.Sprintf("%s is %s", lit, msg))
	}
	return n, nil
}

// stringMap reads an object of string values into m, used for tags and
// context labels. Keys must be unique; label names must not be empty.
func (p *Parser) stringMap(m map[string]string, intern bool) *Error {
	s := &p.s
	if s.peek() != '{' {
		return p.fieldErr(s.pos, "want an object of strings, found "+s.describe())
	}
	depth := len(p.path)
	return p.object(func(key []byte, keyOff int) *Error {
		var k string
		if intern {
			k = p.names.get(key)
		} else {
			k = string(key)
		}
		p.path = append(p.path[:depth], k)
		if k == "" {
			return p.fieldErr(keyOff, "empty key")
		}
		if _, dup := m[k]; dup {
			return p.fieldErr(keyOff, "key given twice")
		}
		b, err := p.rawString()
		if err != nil {
			return err
		}
		if intern {
			m[k] = p.names.get(b)
		} else {
			m[k] = string(b)
		}
		p.path = p.path[:depth]
		return nil
	})
}

// metrics reads the metrics object: metric name to value.
func (p *Parser) metrics() *Error {
	s := &p.s
	if s.peek() != '{' {
		return p.fieldErr(s.pos, "want an object of metric values, found "+s.describe())
	}
	l := p.line
	if l.Metrics == nil {
		l.Metrics = map[string]float64{}
	}
	return p.object(func(key []byte, keyOff int) *Error {
		name := p.names.get(key)
		p.path = append(p.path[:1], name)
		if name == "" {
			return p.fieldErr(keyOff, "metric name is empty")
		}
		if _, dup := l.Metrics[name]; dup {
			return p.fieldErr(keyOff, "metric given twice")
		}
		v, err := p.metricValue()
		if err != nil {
			return err
		}
		l.Metrics[name] = v
		p.path = p.path[:1]
		return nil
	})
}

// metricValue reads a metric value: a number, one of the bare tokens NaN,
// Infinity and -Infinity that Python's json.dumps writes, or a quoted
// non-finite word (see nonFinite).
func (p *Parser) metricValue() (float64, *Error) {
	s := &p.s
	off := s.pos
	switch c := s.peek(); {
	case c == '"':
		b, err := s.str(&p.scratch)
		if err != nil {
			return 0, err
		}
		if v, ok := nonFinite(b); ok {
			return v, nil
		}
		return 0, p.fieldErr(off, fmt.Sprintf(`want a number, found the string %q; only NaN and infinities may be quoted`, b))
	case c == 'N' || c == 'I' || (c == '-' && s.hasWord("-I")):
		return p.bareNonFinite()
	case c == '-' || isDigit(c):
		lit, _, err := s.number()
		if err != nil {
			return 0, err
		}
		v, ok := parseFloat(lit)
		if !ok {
			return 0, syntaxErr(off, fmt.Sprintf("invalid number %s", lit))
		}
		return v, nil
	}
	return 0, p.fieldErr(off, "want a number, found "+s.describe())
}

// bareNonFinite reads NaN, Infinity or -Infinity written without quotes.
func (p *Parser) bareNonFinite() (float64, *Error) {
	s := &p.s
	for _, t := range [...]struct {
		word string
		v    float64
	}{{"NaN", nan}, {"Infinity", inf}, {"-Infinity", -inf}} {
		if s.hasWord(t.word) {
			s.pos += len(t.word)
			return t.v, nil
		}
	}
	return 0, syntaxErr(s.pos, "invalid literal: want NaN, Infinity or -Infinity")
}

// datasets reads [{"name": ..., "digest": ..., "context": ...}, ...].
func (p *Parser) datasets() *Error {
	s := &p.s
	if s.peek() != '[' {
		return p.fieldErr(s.pos, "want an array of dataset objects, found "+s.describe())
	}
	s.pos++
	s.skipWS()
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		p.path = append(p.path[:1], fmt.Sprintf("[%d]", i))
		if err := p.dataset(); err != nil {
			return err
		}
		s.skipWS()
		switch s.peek() {
		case ',':
			s.pos++
			s.skipWS()
		case ']':
			s.pos++
			p.path = p.path[:1]
			return nil
		default:
			return syntaxErr(s.pos, "want ',' or ']', found "+s.describe())
		}
	}
}

func (p *Parser) dataset() *Error {
	s := &p.s
	off := s.pos
	if s.peek() != '{' {
		return p.fieldErr(off, "want a dataset object, found "+s.describe())
	}
	var d Dataset
	var seen [3]bool
	err := p.object(func(key []byte, keyOff int) *Error {
		var dst *string
		var i int
		switch string(key) {
		case "name":
			dst, i = &d.Name, 0
		case "digest":
			dst, i = &d.Digest, 1
		case "context":
			dst, i = &d.Context, 2
		default:
			msg := fmt.Sprintf("unknown dataset key %q: want name, digest or context", key)
			return p.fieldErr(keyOff, msg)
		}
		p.path = append(p.path[:2], string(key))
		if seen[i] {
			return p.fieldErr(keyOff, "key given twice")
		}
		seen[i] = true
		var err *Error
		if !s.hasWord("null") || i == 0 {
			*dst, err = p.plainString()
		} else {
			s.pos += len("null")
		}
		p.path = p.path[:2]
		return err
	})
	if err != nil {
		return err
	}
	if d.Name == "" {
		return p.fieldErr(off, `a dataset needs a non-empty "name"`)
	}
	p.line.Datasets = append(p.line.Datasets, d)
	return nil
}
