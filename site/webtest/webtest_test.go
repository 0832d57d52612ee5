package webtest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestParse(t *testing.T) {
	s, err := Parse("x.txt", `# a comment

start GET /hold/a
client alice
start GET /hold/b
GET /q?x=1
reqheader Accept-Encoding: br, gzip
client bob
hint look at the handler
code == 503
body == "busy\n"
header Retry-After != ""
body ==
	two
	lines

POST /p
posttype application/json
postbody {"a": 1}
body ~ ^ok$
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cases) != 2 {
		t.Fatalf("%d cases", len(s.Cases))
	}
	c := s.Cases[0]
	if c.Line != 3 || len(c.Start) != 2 || c.Start[0].Client != "alice" || c.Start[1].Client != "" || c.Start[1].URL != "/hold/b" {
		t.Errorf("start requests: %+v %+v", c.Start[0], c.Start[1])
	}
	if c.Req.URL != "/q?x=1" || c.Req.Client != "bob" || c.Req.Header.Get("Accept-Encoding") != "br, gzip" || c.Hint != "look at the handler" {
		t.Errorf("request: %+v", c.Req)
	}
	var got []string
	for _, chk := range c.Checks {
		got = append(got, fmt.Sprintf("%d %s %s %q", chk.Line, chk.what(), chk.Op, chk.Want))
	}
	want := []string{`10 code == "503"`, `11 body == "busy\n"`, `12 header Retry-After != ""`, `13 body == "two\nlines\n"`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("checks\n%q\nwant\n%q", got, want)
	}
	p := s.Cases[1]
	if p.Req.Method != "POST" || p.Req.PostType != "application/json" || p.Req.Body != `{"a": 1}` {
		t.Errorf("post: %+v", p.Req)
	}
	if last := p.Checks[len(p.Checks)-1]; last.Value != "code" || last.Want != "200" {
		t.Errorf("no implied code == 200: %+v", last)
	}
}

func TestParseErrors(t *testing.T) {
	for script, want := range map[string]string{
		"code == 200\n":                         "x.txt:1: \"code\" outside a case",
		"GET /\nbody is x\n":                    "x.txt:2: unknown operator \"is\"",
		"GET /\nsize == 3\n":                    "x.txt:2: unknown line \"size\"",
		"GET /\nbody ==\n\nGET /b\n":            "x.txt:3: missing text",
		"GET /\ncode == 200\nclient a\n":        "x.txt:3: client after a check",
		"GET /\nGET /b\n":                       "x.txt:2: a second request in one case",
		"start GET /a\n\nGET /b\n":              "x.txt:1: the case has only start requests",
		"GET /\npostbody x\n":                   "x.txt:2: postbody needs a POST",
		"GET x\n":                               "x.txt:1: GET needs a URL path",
		"GET /\nbody == \"unterminated\n":       "x.txt:2: bad quoted text",
		"GET /\nbody ~ (\n":                     "x.txt:2: error parsing regexp",
		"start PUT /\n":                         "x.txt:1: start needs GET, HEAD or POST",
		"GET /\n  code == 200\n":                "x.txt:2: unexpected indented line",
		"GET /\nreqheader Accept-Encoding br\n": "x.txt:2: reqheader wants Name: value",
	} {
		_, err := Parse("x.txt", script)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %s…", script, err, want)
		}
	}
}

// toy answers /hold/<name> by taking one of two places and keeping it until the client gives up,
// /q by saying how many places are taken, /gz with a gzip body, and tells the target when a hold
// is in flight.
type toy struct {
	target *Handler
	mu     sync.Mutex
	held   int
}

func (h *toy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/hold/"):
		h.mu.Lock()
		if h.held == 2 {
			h.mu.Unlock()
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		h.held++
		h.mu.Unlock()
		defer func() { h.mu.Lock(); h.held--; h.mu.Unlock() }()
		h.target.TakenUp(r.Context())
		<-r.Context().Done()
	case r.URL.Path == "/q":
		h.mu.Lock()
		fmt.Fprintf(w, "%d held, from %s\n", h.held, r.RemoteAddr)
		h.mu.Unlock()
	case r.URL.Path == "/gz":
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, "unzipped")
		zw.Close()
	default:
		http.Redirect(w, r, "/q", http.StatusFound)
	}
}

func newToy() (*toy, *Handler) {
	h := &toy{}
	h.target = NewHandler(h)
	return h, h.target
}

func run(t *testing.T, target Target, script string) error {
	t.Helper()
	s, err := Parse("toy.txt", script)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, c := range s.Cases {
		if err := runCase(context.Background(), s.File, c, target); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if errs == nil {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(errs, "\n"))
}

// Started requests are in flight when the main one is answered, and let go of before the next
// case; clients get addresses of their own.
func TestRunInFlight(t *testing.T) {
	_, target := newToy()
	err := run(t, target, `
start GET /hold/a
start GET /hold/b
GET /hold/c
code == 503

start GET /hold/a
GET /q
client alice
body == "1 held, from 198.51.100.1:1234\n"

GET /q
body == "0 held, from 192.0.2.1:1234\n"

GET /elsewhere
redirect == /q

GET /gz
header Content-Encoding == gzip
decoded == unzipped
body != unzipped
`)
	if err != nil {
		t.Error(err)
	}
}

// A failing check names the script line, the value and what was wanted; a hint is shown.
func TestRunFails(t *testing.T) {
	_, target := newToy()
	err := run(t, target, `
GET /q
hint the toy counts holds
body contains 7 held
header X-Nope == yes

GET /elsewhere
`)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`toy.txt:4: body is "0 held, from 192.0.2.1:1234\n", want contains "7 held"`,
		`toy.txt:5: header X-Nope is "", want == "yes"`,
		"hint: the toy counts holds",
		`toy.txt:7: code is "302", want == "200"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// The network target sees headers as sent (no transparent gzip, no redirects followed) and
// counts a request as taken up when its headers arrive.
func TestServerTarget(t *testing.T) {
	h, _ := newToy()
	srv := httptest.NewServer(h)
	defer srv.Close()
	target := NewServer(srv.URL)
	if err := run(t, target, `
GET /gz
reqheader Accept-Encoding: gzip
header Content-Encoding == gzip
decoded == unzipped

GET /elsewhere
code == 302
redirect == /q
`); err != nil {
		t.Error(err)
	}
	if err := run(t, target, "GET /q\nclient bob\n"); err == nil || !strings.Contains(err.Error(), "one client") {
		t.Errorf("client on a network target: %v", err)
	}
}

func TestDecode(t *testing.T) {
	if _, err := decode("zstd", nil); err == nil {
		t.Error("zstd decoded")
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("x"))
	zw.Close()
	if got, err := decode("gzip", b.Bytes()); err != nil || string(got) != "x" {
		t.Errorf("gzip: %q %v", got, err)
	}
}
