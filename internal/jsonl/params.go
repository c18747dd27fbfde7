package jsonl

import (
	"fmt"
	"strconv"
)

// params reads the params object. Values keep their JSON type: integers
// (no fraction, no exponent) become int64, other numbers float64, and
// nested objects map[string]any for the engine to flatten with dots.
func (p *Parser) params() (map[string]any, *Error) {
	if p.s.peek() != '{' {
		return nil, p.fieldErr(p.s.pos, "want an object, found "+p.s.describe())
	}
	return p.paramObject(0)
}

// paramObject reads one params object at nesting depth (0 for "params").
func (p *Parser) paramObject(depth int) (map[string]any, *Error) {
	m := map[string]any{}
	base := len(p.path)
	err := p.object(func(key []byte, keyOff int) *Error {
		k := string(key)
		p.path = append(p.path[:base], k)
		if k == "" {
			return p.fieldErr(keyOff, "empty key")
		}
		if _, dup := m[k]; dup {
			return p.fieldErr(keyOff, "key given twice")
		}
		v, err := p.paramValue(depth)
		if err != nil {
			return err
		}
		m[k] = v
		p.path = p.path[:base]
		return nil
	})
	return m, err
}

func (p *Parser) paramValue(depth int) (any, *Error) {
	s := &p.s
	off := s.pos
	switch c := s.peek(); {
	case c == '"':
		return p.plainString()
	case s.hasWord("true"):
		s.pos += len("true")
		return true, nil
	case s.hasWord("false"):
		s.pos += len("false")
		return false, nil
	case c == '{':
		if depth >= MaxParamDepth {
			return nil, &Error{Kind: ErrLimit, Offset: off, Field: p.field(),
				Msg: fmt.Sprintf("params nest deeper than %d levels", MaxParamDepth)}
		}
		return p.paramObject(depth + 1)
	case c == '[':
		return nil, p.fieldErr(off, "a param cannot be an array; flatten it or write it as a string")
	case c == 'N' || c == 'I' || (c == '-' && s.hasWord("-I")):
		return p.bareNonFinite()
	case c == '-' || isDigit(c):
		lit, isInt, err := s.number()
		if err != nil {
			return nil, err
		}
		if isInt {
			// Exact digits, no float64 detour: a seed of 2^53+1 stays itself.
			n, perr := strconv.ParseInt(string(lit), 10, 64)
			if perr != nil {
				return nil, p.fieldErr(off, fmt.Sprintf("integer %s is outside the int64 range", lit))
			}
			return n, nil
		}
		v, ok := parseFloat(lit)
		if !ok {
			return nil, syntaxErr(off, fmt.Sprintf("invalid number %s", lit))
		}
		return v, nil
	}
	return nil, p.fieldErr(off, "want a string, number, boolean or object, found "+s.describe())
}
