package query

import "fmt"

// Pos is a byte offset into the query text, starting at 0. [Error]
// renders it as line:column.
type Pos int

// tokenKind is the lexical class of a token.
type tokenKind uint8

// Token kinds. Keywords are not token kinds: they are names the parser
// recognizes in context (case-insensitively), so that a field may be
// called "limit" as long as it is prefixed or quoted.
const (
	tEOF     tokenKind = iota
	tName              // bare or dotted name, possibly ending in a quoted segment
	tQName             // `backquoted` name
	tString            // 'single' or "double" quoted string
	tNumber            // 12, 0.5, 1e-3
	tEq                // = or ==
	tNe                // != or <>
	tLt                // <
	tLe                // <=
	tGt                // >
	tGe                // >=
	tTilde             // ~ (regex match)
	tLParen            // (
	tRParen            // )
	tLBrace            // {
	tRBrace            // }
	tComma             // ,
	tRange             // ..
	tMinus             // -
	tPlus              // +
	tIllegal           // a character the language does not use
)

var tokenNames = [...]string{
	tEOF: "end of query", tName: "name", tQName: "quoted name", tString: "string",
	tNumber: "number", tEq: "'='", tNe: "'!='", tLt: "'<'", tLe: "'<='", tGt: "'>'",
	tGe: "'>='", tTilde: "'~'", tLParen: "'('", tRParen: "')'", tLBrace: "'{'",
	tRBrace: "'}'", tComma: "','", tRange: "'..'", tMinus: "'-'", tPlus: "'+'",
	tIllegal: "illegal character",
}

// String names the kind for error messages.
func (k tokenKind) String() string {
	if int(k) < len(tokenNames) {
		return tokenNames[k]
	}
	return fmt.Sprintf("token(%d)", uint8(k))
}

// token is one lexical token.
type token struct {
	kind tokenKind
	pos  Pos    // offset of the first byte
	end  Pos    // offset after the last byte
	lit  string // the source text
	// val is the decoded text: a string's or quoted name's content, a
	// name's text with its quoted segment unquoted.
	val string
	// prefix is, for a dotted tName, the part before the first dot, and
	// val the rest; empty for an undotted name.
	prefix string
	// quoted is set on a tName whose last segment was quoted, and on a
	// tQName: such a name is never a keyword.
	quoted bool
}

// describe renders the token for "found X" in an error message.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of query"
	case tName, tNumber:
		return fmt.Sprintf("%q", t.lit)
	case tString, tQName:
		s := t.lit
		if len(s) > 24 {
			s = s[:21] + "..."
		}
		return "string " + s
	case tIllegal:
		return fmt.Sprintf("illegal character %q", t.lit)
	}
	return t.kind.String()
}
