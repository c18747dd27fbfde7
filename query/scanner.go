package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// scanner splits query text into tokens, one at a time.
type scanner struct {
	src string
	off int
	// errMsg explains the last tIllegal token (an unterminated string, a
	// stray character).
	errMsg string
}

func isLetter(r rune) bool {
	return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isNameChar reports whether r may continue a bare name. Slashes and
// colons are allowed so that metric names such as val/acc need no quotes.
func isNameChar(r rune) bool {
	return isLetter(r) || '0' <= r && r <= '9' || r == '/' || r == ':' || r >= utf8.RuneSelf && unicode.IsDigit(r)
}

func (s *scanner) peekRune(off int) rune {
	if off >= len(s.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s.src[off:])
	return r
}

// next returns the next token.
func (s *scanner) next() token {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			break
		}
		s.off++
	}
	start := s.off
	tok := func(k tokenKind, n int) token {
		s.off += n
		return token{kind: k, pos: Pos(start), end: Pos(s.off), lit: s.src[start:s.off]}
	}
	if s.off >= len(s.src) {
		return token{kind: tEOF, pos: Pos(start), end: Pos(start)}
	}
	c := s.src[s.off]
	two := ""
	if s.off+1 < len(s.src) {
		two = s.src[s.off : s.off+2]
	}
	switch {
	case two == "==":
		return tok(tEq, 2)
	case two == "!=" || two == "<>":
		return tok(tNe, 2)
	case two == "<=":
		return tok(tLe, 2)
	case two == ">=":
		return tok(tGe, 2)
	case two == "..":
		return tok(tRange, 2)
	case two == "=~":
		return tok(tTilde, 2)
	}
	switch c {
	case '=':
		return tok(tEq, 1)
	case '<':
		return tok(tLt, 1)
	case '>':
		return tok(tGt, 1)
	case '~':
		return tok(tTilde, 1)
	case '(':
		return tok(tLParen, 1)
	case ')':
		return tok(tRParen, 1)
	case '{':
		return tok(tLBrace, 1)
	case '}':
		return tok(tRBrace, 1)
	case ',':
		return tok(tComma, 1)
	case '-':
		return tok(tMinus, 1)
	case '+':
		return tok(tPlus, 1)
	case '\'', '"':
		val, n, ok := unquote(s.src[s.off:])
		if !ok {
			s.errMsg = "unterminated string"
			t := tok(tIllegal, len(s.src)-s.off)
			return t
		}
		t := tok(tString, n)
		t.val = val
		return t
	case '`':
		val, n, ok := unquote(s.src[s.off:])
		if !ok {
			s.errMsg = "unterminated quoted name"
			return tok(tIllegal, len(s.src)-s.off)
		}
		t := tok(tQName, n)
		t.val, t.quoted = val, true
		return t
	}
	if isDigit(c) || c == '.' && s.off+1 < len(s.src) && isDigit(s.src[s.off+1]) {
		return tok(tNumber, s.number())
	}
	if r := s.peekRune(s.off); isLetter(r) {
		return s.name()
	}
	r, n := utf8.DecodeRuneInString(s.src[s.off:])
	if r == utf8.RuneError && n <= 1 {
		s.errMsg = "invalid UTF-8"
		return tok(tIllegal, max(n, 1))
	}
	s.errMsg = "unexpected character " + quoteRune(r)
	return tok(tIllegal, n)
}

func quoteRune(r rune) string {
	return "'" + string(r) + "'"
}

// number returns the length of the number at s.off: digits, an optional
// fraction (a dot not followed by another dot), an optional exponent.
func (s *scanner) number() int {
	i := s.off
	for i < len(s.src) && isDigit(s.src[i]) {
		i++
	}
	if i < len(s.src) && s.src[i] == '.' && !(i+1 < len(s.src) && s.src[i+1] == '.') {
		i++
		for i < len(s.src) && isDigit(s.src[i]) {
			i++
		}
	}
	if i < len(s.src) && (s.src[i] == 'e' || s.src[i] == 'E') {
		j := i + 1
		if j < len(s.src) && (s.src[j] == '+' || s.src[j] == '-') {
			j++
		}
		if j < len(s.src) && isDigit(s.src[j]) {
			for j < len(s.src) && isDigit(s.src[j]) {
				j++
			}
			i = j
		}
	}
	return i - s.off
}

// name scans a bare name: segments of name characters separated by dots;
// the last segment may be quoted (params."p.a.r.a.m", metrics.`a b`).
func (s *scanner) name() token {
	start := s.off
	var val strings.Builder
	quoted := false
	i := s.off
	for {
		for i < len(s.src) {
			r, n := utf8.DecodeRuneInString(s.src[i:])
			if !isNameChar(r) {
				break
			}
			i += n
		}
		if i+1 >= len(s.src) || s.src[i] != '.' {
			break
		}
		nx := s.src[i+1]
		if nx == '`' || nx == '"' || nx == '\'' {
			seg, n, ok := unquote(s.src[i+1:])
			if !ok {
				s.off = len(s.src)
				s.errMsg = "unterminated quoted name"
				return token{kind: tIllegal, pos: Pos(i + 1), end: Pos(len(s.src)), lit: s.src[i+1:]}
			}
			val.WriteString(s.src[start:i])
			val.WriteByte('.')
			val.WriteString(seg)
			i += 1 + n
			quoted = true
			break
		}
		if r := s.peekRune(i + 1); !isNameChar(r) {
			break
		}
		i++
	}
	lit := s.src[start:i]
	s.off = i
	t := token{kind: tName, pos: Pos(start), end: Pos(i), lit: lit, quoted: quoted}
	if quoted {
		t.val = val.String()
	} else {
		t.val = lit
	}
	if dot := strings.IndexByte(t.val, '.'); dot >= 0 {
		t.prefix, t.val = t.val[:dot], t.val[dot+1:]
	}
	return t
}

// unquote decodes the quoted text at the start of src, whose first byte
// is the quote character. The quote is escaped by doubling it or with a
// backslash; a backslash escapes a backslash; any other backslash is kept
// as written, so LIKE and regex escapes pass through. It returns the
// decoded text and the length consumed.
func unquote(src string) (string, int, bool) {
	q := src[0]
	var b strings.Builder
	for i := 1; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src) && (src[i+1] == q || src[i+1] == '\\'):
			b.WriteByte(src[i+1])
			i++
		case c == q && i+1 < len(src) && src[i+1] == q:
			b.WriteByte(q)
			i++
		case c == q:
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// quote writes s between q quotes so that unquote gives s back.
func quote(s string, q byte) string {
	var b strings.Builder
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == q || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte(q)
	return b.String()
}
