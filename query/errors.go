package query

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Limits on what a query may ask for. A query over a limit fails with the
// matching sentinel error before any work is done (text, nesting) or as
// soon as the limit is crossed (result size).
const (
	// MaxQueryLen is the longest query text accepted, in bytes.
	MaxQueryLen = 64 << 10
	// MaxNesting is the deepest nesting of parentheses and NOT accepted.
	MaxNesting = 64
	// MaxListLen is the most values an IN list may hold.
	MaxListLen = 10000
	// DefaultMaxPoints is the most points a result may hold unless
	// [Options.MaxPoints] says otherwise.
	DefaultMaxPoints = 10_000_000
	// MaxDownsample is the largest N of DOWNSAMPLE N.
	MaxDownsample = 1_000_000
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers test with errors.Is.
var (
	// ErrSyntax is returned for text that is not a query: an unexpected
	// token, an unterminated string, a malformed number.
	ErrSyntax = errors.New("trackdb/query: syntax error")
	// ErrInvalid is returned for a well-formed query that means nothing:
	// an unknown field prefix, a string compared with a metric, an
	// aggregate mixed with plain series.
	ErrInvalid = errors.New("trackdb/query: invalid query")
	// ErrTooLong is returned for query text longer than MaxQueryLen or an
	// IN list longer than MaxListLen.
	ErrTooLong = errors.New("trackdb/query: query too long")
	// ErrTooDeep is returned for nesting deeper than MaxNesting.
	ErrTooDeep = errors.New("trackdb/query: query nested too deeply")
	// ErrTooLarge is returned when a result would hold more points than
	// the limit (DefaultMaxPoints or Options.MaxPoints).
	ErrTooLarge = errors.New("trackdb/query: result too large")
	// ErrPageToken is returned for a page token this package did not
	// write.
	ErrPageToken = errors.New("trackdb/query: invalid page token")
)

// Error is one positioned error in a query's text. Its message renders as
// line:column, the message, then the offending line with a caret under
// the position:
//
//	1:10: expected a value, found '='
//	  tags.a = = 'x'
//	           ^
type Error struct {
	Pos  Pos    // byte offset of the fault
	Line int    // 1-based line of Pos
	Col  int    // 1-based column of Pos, in bytes
	Msg  string // what is wrong, without position
	Kind error  // the sentinel it wraps: ErrSyntax, ErrInvalid, ...
	// Snippet is the line holding Pos and a caret line under it.
	Snippet string
}

// Error implements error.
func (e *Error) Error() string {
	s := fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	if e.Snippet != "" {
		s += "\n" + e.Snippet
	}
	return s
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Kind }

// newError builds an Error at pos of src.
func newError(src string, pos Pos, kind error, msg string) *Error {
	if int(pos) > len(src) {
		pos = Pos(len(src))
	}
	p := max(int(pos), 0)
	lineStart := strings.LastIndexByte(src[:p], '\n') + 1
	lineEnd := strings.IndexByte(src[p:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src)
	} else {
		lineEnd += p
	}
	line := 1 + strings.Count(src[:lineStart], "\n")
	text := strings.TrimRight(src[lineStart:lineEnd], "\r")
	caret := make([]byte, 0, p-lineStart+1)
	for i := lineStart; i < p && i-lineStart < len(text); i++ {
		if src[i] == '\t' {
			caret = append(caret, '\t')
		} else if src[i]&0xC0 != 0x80 { // one caret column per rune
			caret = append(caret, ' ')
		}
	}
	caret = append(caret, '^')
	return &Error{
		Pos: pos, Line: line, Col: p - lineStart + 1, Msg: msg, Kind: kind,
		Snippet: "  " + text + "\n  " + string(caret),
	}
}

// ErrorList is the list of errors of one query, sorted by position. The
// parser stops at the first error, so it holds one today; callers should
// not rely on that.
type ErrorList []*Error

// Error renders the first error and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s\n(and %d more errors)", l[0], len(l)-1)
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// sort orders the list by position.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Pos < l[j].Pos })
}

// err returns the list as an error, or nil when it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}
