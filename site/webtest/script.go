// Package webtest runs HTTP behaviour written down as scripts, in the manner of go.dev's
// internal/webtest: one file of cases, run against anything that answers HTTP — a handler
// in-process, a server over the network, or (through an adapter in e2e) lab.js in a browser
// worker — so "the same behaviour in Go and in JavaScript" lives in one artefact.
//
// # Scripts
//
// A script (testdata/*.txt) is a sequence of cases separated by blank lines. Lines starting with
// # are comments. A case is one request and the checks on its response:
//
//	GET /lab/limit/2/1s/x
//	code == 503
//	body contains busy
//	header Retry-After == 1
//
// The request line is GET, HEAD or POST and a URL path (with query). Lines after it, before the
// checks, customise the request:
//
//	reqheader Accept-Encoding: br, gzip   a request header (Host: sets the host asked for)
//	client alice                          who sends it: targets give each client name its own
//	                                      address (lab.Handler) or its own lab (lab.js in a worker)
//	posttype application/json             POST only: Content-Type (default text/plain)
//	postbody {"source": "…"}              POST only: the body
//	hint text                             printed when the case fails
//
// # Requests in flight
//
// A case may begin with requests that are sent first and kept in flight while its main request is
// answered; they start with "start" and take the same customising lines:
//
//	start GET /lab/limit/2/30s/a
//	start GET /lab/limit/2/30s/b
//	GET /lab/limit/2/0s/c
//	code == 503
//
// The runner sends a started request and waits until the target has taken it up (for the lab:
// admitted and waiting) before sending the next, so "while two are in flight" is a fact, not a
// race. When the case's checks are done, the started requests are abandoned (their context is
// cancelled) and the runner waits until the target has let go of each: the next case starts
// from a quiet target. Their responses are not checked.
//
// # Checks
//
//	<value> [<name>] <op> <text>
//
// Values: code (the status), body (the bytes as sent), decoded (the body with its
// Content-Encoding, br or gzip, undone), header <name> (the first value, "" when absent),
// redirect (Location of a 3xx response, "" otherwise). Operators: == and != (equality),
// contains and !contains (substring), ~ and !~ (a regular expression, multi-line mode).
// The text runs to the end of the line; written as a Go string literal ("ok x\n", "") it is
// unquoted, so newlines and the empty string can be said. A text left off continues on the
// following lines, each indented by one tab (the lines and their newlines, tabs removed).
//
// A case without a code or redirect check must answer 200; with a redirect check, a 3xx.
package webtest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Script is a parsed script file.
type Script struct {
	File  string
	Cases []*Case
}

// Case is one case: requests kept in flight, the request checked, and its checks.
type Case struct {
	Line   int        // of the first line
	Start  []*Request // sent first, kept in flight while Req is answered
	Req    *Request
	Checks []*Check
	Hint   string
}

// Name is a short label for the case, for subtest names and messages.
func (c *Case) Name() string {
	return fmt.Sprintf("line%d_%s_%s", c.Line, c.Req.Method, c.Req.URL)
}

// Request is one request of a case.
type Request struct {
	Line     int
	Method   string
	URL      string // a path, with query
	Header   http.Header
	Client   string // "" is the default client
	Body     string
	PostType string
}

// Check is one check on a response.
type Check struct {
	Line  int
	Value string // code, body, decoded, header, redirect
	Name  string // the header's name
	Op    string
	Want  string
	re    *regexp.Regexp
}

func (c *Check) what() string {
	if c.Name != "" {
		return c.Value + " " + c.Name
	}
	return c.Value
}

// Parse reads a script; file names it in errors (file:line: message).
func Parse(file, text string) (*Script, error) {
	p := &parser{script: &Script{File: file}, blank: true}
	for i, line := range strings.Split(text, "\n") {
		p.lineno = i + 1
		if err := p.line(strings.TrimRight(line, " \t\r")); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, p.lineno, err)
		}
	}
	if err := p.endText(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", file, p.lineno, err)
	}
	for _, c := range p.script.Cases {
		if line, err := finish(c); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, line, err)
		}
	}
	return p.script, nil
}

type parser struct {
	script *Script
	lineno int
	blank  bool     // the previous line was blank (or there was none)
	cas    *Case    // the case being read
	req    *Request // the request being customised, nil once checks begin
	text   *string  // an indented continuation being read
}

func (p *parser) line(line string) error {
	if strings.HasPrefix(line, "\t") && p.text != nil {
		*p.text += line[1:] + "\n"
		return nil
	}
	if err := p.endText(); err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(line, "#"):
		return nil
	case line == "":
		p.blank = true
		return nil
	case line[0] == ' ' || line[0] == '\t':
		return fmt.Errorf("unexpected indented line")
	}
	word, rest := cut(line)
	started := word == "start"
	if started {
		word, rest = cut(rest)
	}
	if isMethod(word) {
		return p.request(started, word, rest)
	}
	if started {
		return fmt.Errorf("start needs GET, HEAD or POST, not %q", word)
	}
	if p.cas == nil || p.blank {
		return fmt.Errorf("%q outside a case: a case starts with GET, HEAD or POST", word)
	}
	switch word {
	case "hint":
		return p.setText(&p.cas.Hint, rest)
	case "client", "reqheader", "postbody", "posttype":
		if p.req == nil {
			return fmt.Errorf("%s after a check: request lines come before the checks", word)
		}
		return p.modify(word, rest)
	}
	return p.check(word, rest)
}

func (p *parser) request(started bool, method, url string) error {
	if url == "" || !strings.HasPrefix(url, "/") {
		return fmt.Errorf("%s needs a URL path starting with /", method)
	}
	r := &Request{Line: p.lineno, Method: method, URL: url, Header: http.Header{}}
	switch {
	case p.blank:
		p.cas = &Case{Line: p.lineno}
		p.script.Cases = append(p.script.Cases, p.cas)
	case p.cas.Req != nil:
		return fmt.Errorf("a second request in one case (separate cases with a blank line)")
	}
	p.blank = false
	if started {
		p.cas.Start = append(p.cas.Start, r)
	} else {
		p.cas.Req = r
	}
	p.req = r
	return nil
}

func (p *parser) modify(word, rest string) error {
	r := p.req
	switch word {
	case "client":
		if rest == "" {
			return fmt.Errorf("client needs a name")
		}
		r.Client = rest
	case "reqheader":
		name, value, ok := strings.Cut(rest, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("reqheader wants Name: value")
		}
		r.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	case "posttype", "postbody":
		if r.Method != "POST" {
			return fmt.Errorf("%s needs a POST, not %s", word, r.Method)
		}
		if word == "posttype" {
			r.PostType = rest
			return nil
		}
		return p.setText(&r.Body, rest)
	}
	return nil
}

func (p *parser) check(value, rest string) error {
	if p.cas.Req == nil {
		return fmt.Errorf("check %q before the case's request (a case ends with one request without start)", value)
	}
	p.req = nil
	c := &Check{Line: p.lineno, Value: value}
	switch value {
	case "code", "body", "decoded", "redirect":
	case "header":
		c.Name, rest = cut(rest)
		if c.Name == "" {
			return fmt.Errorf("header needs a name")
		}
	default:
		return fmt.Errorf("unknown line %q", value)
	}
	c.Op, rest = cut(rest)
	switch c.Op {
	case "==", "!=", "contains", "!contains", "~", "!~":
	default:
		return fmt.Errorf("unknown operator %q (want ==, !=, contains, !contains, ~ or !~)", c.Op)
	}
	p.cas.Checks = append(p.cas.Checks, c)
	return p.setText(&c.Want, rest)
}

// setText sets a line's text, unquoting a Go string literal, or starts an indented continuation.
func (p *parser) setText(dst *string, text string) error {
	if text == "" {
		p.text = dst
		return nil
	}
	if strings.HasPrefix(text, `"`) {
		s, err := strconv.Unquote(text)
		if err != nil {
			return fmt.Errorf("bad quoted text %s: %v", text, err)
		}
		text = s
	}
	*dst = text
	return nil
}

func (p *parser) endText() error {
	if p.text != nil && *p.text == "" {
		return fmt.Errorf("missing text (on this line, or on the next lines indented by a tab)")
	}
	p.text = nil
	return nil
}

// finish checks what needs the whole case and adds the implied status check. The error comes
// with the line it is about.
func finish(c *Case) (int, error) {
	if c.Req == nil {
		return c.Line, fmt.Errorf("the case has only start requests: add the request to check")
	}
	status := false
	for _, chk := range c.Checks {
		if chk.Value == "code" || chk.Value == "redirect" {
			status = true
		}
		if chk.Op == "~" || chk.Op == "!~" {
			re, err := regexp.Compile("(?m)" + chk.Want)
			if err != nil {
				return chk.Line, err
			}
			chk.re = re
		}
	}
	if !status {
		c.Checks = append(c.Checks, &Check{Line: c.Line, Value: "code", Op: "==", Want: "200"})
	}
	return 0, nil
}

func isMethod(s string) bool { return s == "GET" || s == "HEAD" || s == "POST" }

func cut(s string) (word, rest string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}
