// Package diag is the one error shape for content problems: a position in a
// file of the repository and a message, printed as path:line:col: message.
// Every stage (lessons, examples, build, check, serve) reports through it so
// an author sees the same line in the terminal, in `check` and in the browser.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem at a position. Path is relative to the repository
// root with forward slashes; Line and Col are 1-based, 0 when unknown.
type Error struct {
	Path string
	Line int
	Col  int
	Msg  string
}

func (e Error) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	case e.Path != "":
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return e.Msg
}

// Errorf builds an Error at path:line:col.
func Errorf(path string, line, col int, format string, args ...any) Error {
	return Error{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// List collects every problem found, so a single run reports all of them
// instead of stopping at the first.
type List []Error

// Add appends err, flattening Lists and wrapping foreign errors without a position.
func (l *List) Add(err error) {
	switch e := err.(type) {
	case nil:
	case Error:
		*l = append(*l, e)
	case List:
		*l = append(*l, e...)
	default:
		*l = append(*l, Error{Msg: err.Error()})
	}
}

// Sort orders by path, then line, then column, so output is stable.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Error) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Err returns nil for an empty list, so callers can `return l.Err()`.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error prints one problem per line.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
