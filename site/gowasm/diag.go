package gowasm

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"unblocked/site/diag"
)

var (
	// errLine is a compiler or go-command diagnostic: file.go:line:col: msg (col optional).
	errLine = regexp.MustCompile(`^(\S+?\.go):(\d+)(?::(\d+))?: (.*)$`)
	// traceStart begins a crash's stack dump, which nobody editing a program needs to read.
	traceStart = regexp.MustCompile(`^(goroutine \d+ \[|runtime stack:|\[signal )`)
)

// parseDiagnostics turns go build output into errors whose paths are relative to root (slash
// separated). Continuation lines (a tab first: "\thave int") join the message above them; lines
// without a position (a missing module, "too many errors") are kept as messages, so nothing the
// author needs is dropped; "# pkg" headers and stack dumps are.
func parseDiagnostics(out, root string) diag.List {
	var errs diag.List
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\r\n")
		if traceStart.MatchString(line) {
			break
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		if strings.HasPrefix(line, "\t") && len(errs) > 0 {
			errs[len(errs)-1].Msg += "\n" + line
			continue
		}
		m := errLine.FindStringSubmatch(line)
		if m == nil {
			errs = append(errs, diag.Error{Msg: line})
			continue
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		errs = append(errs, diag.Error{Path: relPath(root, m[1]), Line: ln, Col: col, Msg: m[4]})
	}
	return errs
}

// relPath is p relative to root when it is inside it, slash separated, without "./".
func relPath(root, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		if rel, err := filepath.Rel(root, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			p = rel
		}
	}
	return strings.TrimPrefix(filepath.ToSlash(p), "./")
}

// positioned reports whether errs name a place in a file: such a failure is the program's and
// happens again for the same inputs, unlike a message from the go command (a module it could not
// find, a disk it could not write).
func positioned(errs diag.List) bool {
	for _, e := range errs {
		if e.Line > 0 {
			return true
		}
	}
	return false
}
