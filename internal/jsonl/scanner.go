package jsonl

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner walks one line byte by byte. It knows JSON's lexical grammar and
// nothing of the line schema; Parser drives it.
type scanner struct {
	b   []byte
	pos int
}

func (s *scanner) eof() bool { return s.pos >= len(s.b) }

// peek returns the byte at pos, or 0 at the end of the line. NUL never
// starts a valid token, so 0 doubles as "nothing here".
func (s *scanner) peek() byte {
	if s.pos < len(s.b) {
		return s.b[s.pos]
	}
	return 0
}

func (s *scanner) skipWS() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// hasWord reports whether the bytes at pos spell w.
func (s *scanner) hasWord(w string) bool {
	return len(s.b)-s.pos >= len(w) && string(s.b[s.pos:s.pos+len(w)]) == w
}

// describe names what starts at pos, for "expected X, found Y" messages.
func (s *scanner) describe() string {
	if s.eof() {
		return "end of line"
	}
	switch c := s.b[s.pos]; {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case s.hasWord("true"), s.hasWord("false"):
		return "a boolean"
	case s.hasWord("null"):
		return "null"
	case c == '-' || isDigit(c) || s.hasWord("NaN") || s.hasWord("Infinity"):
		return "a number"
	case isLetter(c):
		// A misspelt literal (tru, nul, nan): show the word, not its first letter.
		end := s.pos
		for end < len(s.b) && end-s.pos < 16 && isLetter(s.b[end]) {
			end++
		}
		return fmt.Sprintf("%q", s.b[s.pos:end])
	default:
		r, _ := utf8.DecodeRune(s.b[s.pos:])
		return fmt.Sprintf("%q", r)
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// str scans the string starting at pos (which holds '"') and returns its
// decoded bytes. Without escapes the result aliases the line; with escapes
// it is decoded into *scratch. Either way it is only valid until the next
// call, so callers convert it to a string before scanning on.
func (s *scanner) str(scratch *[]byte) ([]byte, *Error) {
	start := s.pos + 1
	i := start
	ascii := true
	for i < len(s.b) {
		c := s.b[i]
		switch {
		case c == '"':
			if !ascii && !utf8.Valid(s.b[start:i]) {
				return nil, s.badUTF8(start, i)
			}
			s.pos = i + 1
			return s.b[start:i], nil
		case c == '\\':
			if !ascii && !utf8.Valid(s.b[start:i]) {
				return nil, s.badUTF8(start, i)
			}
			return s.strEscaped(start, i, scratch)
		case c < 0x20:
			return nil, syntaxErr(i, fmt.Sprintf("control character %#02x in string; write it as an escape", c))
		case c >= utf8.RuneSelf:
			ascii = false
		}
		i++
	}
	return nil, syntaxErr(s.pos, "unterminated string")
}

// strEscaped decodes a string from its first backslash at i on, after the
// plain bytes b[start:i].
func (s *scanner) strEscaped(start, i int, scratch *[]byte) ([]byte, *Error) {
	out := append((*scratch)[:0], s.b[start:i]...)
	defer func() { *scratch = out[:0] }()
	for i < len(s.b) {
		c := s.b[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return out, nil
		case c == '\\':
			if i+1 >= len(s.b) {
				return nil, syntaxErr(i, "unterminated escape")
			}
			switch e := s.b[i+1]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, n, err := s.unicodeEscape(i)
				if err != nil {
					return nil, err
				}
				out = utf8.AppendRune(out, r)
				i += n
				continue
			default:
				return nil, syntaxErr(i, fmt.Sprintf("invalid escape %q", "\\"+string(rune(e))))
			}
			i += 2
		case c < 0x20:
			return nil, syntaxErr(i, fmt.Sprintf("control character %#02x in string; write it as an escape", c))
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(s.b[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, syntaxErr(i, "invalid UTF-8 in string")
			}
			out = append(out, s.b[i:i+n]...)
			i += n
		}
	}
	return nil, syntaxErr(s.pos, "unterminated string")
}

// unicodeEscape decodes \uXXXX at i, joining a UTF-16 surrogate pair into
// one rune. A lone surrogate cannot be written as UTF-8: rather than
// replace it with U+FFFD and store something other than what was sent, the
// line is rejected.
func (s *scanner) unicodeEscape(i int) (rune, int, *Error) {
	hi, ok := hex4(s.b, i+2)
	if !ok {
		return 0, 0, syntaxErr(i, `invalid \u escape: want 4 hex digits`)
	}
	if !utf16.IsSurrogate(hi) {
		return hi, 6, nil
	}
	if hi < 0xDC00 && i+7 < len(s.b) && s.b[i+6] == '\\' && s.b[i+7] == 'u' {
		if lo, ok := hex4(s.b, i+8); ok {
			if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
				return r, 12, nil
			}
		}
	}
	return 0, 0, syntaxErr(i, fmt.Sprintf(`lone UTF-16 surrogate \u%04x`, hi))
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// badUTF8 reports the first invalid byte of b[start:end].
func (s *scanner) badUTF8(start, end int) *Error {
	i := start
	for i < end {
		r, n := utf8.DecodeRune(s.b[i:end])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		i += n
	}
	return syntaxErr(i, "invalid UTF-8 in string")
}

// number scans a number literal at pos by JSON's grammar,
//
//	-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
//
// and returns it with isInt set when it has neither fraction nor exponent.
func (s *scanner) number() (lit []byte, isInt bool, err *Error) {
	start, i := s.pos, s.pos
	b := s.b
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && isDigit(b[i]):
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return nil, false, syntaxErr(i, "invalid number: want a digit after '-'")
	}
	isInt = true
	if i < len(b) && b[i] == '.' {
		isInt = false
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return nil, false, syntaxErr(i, "invalid number: want a digit after '.'")
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		isInt = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return nil, false, syntaxErr(i, "invalid number: want a digit in the exponent")
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (isDigit(b[i]) || b[i] == '.') {
		// "01" or "1.2.3": JSON forbids leading zeros and one dot is all.
		return nil, false, syntaxErr(i, "invalid number: unexpected "+fmt.Sprintf("%q", b[i]))
	}
	s.pos = i
	return b[start:i], isInt, nil
}

func syntaxErr(off int, msg string) *Error {
	return &Error{Kind: ErrSyntax, Offset: off, Msg: msg}
}
