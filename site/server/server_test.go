package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"unblocked/site/webtest"
)

// fixture is a stand-in for site/build's output for base: pages with the reload script, a 404
// page, hashed assets with their precompressed siblings, as a Dev build writes them.
func fixture(base string) func(context.Context) (map[string][]byte, error) {
	page := func(h1 string) []byte {
		return []byte(fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
<script defer src="%s__workbook/reload.js"></script></head><body><h1>%s</h1>%s</body></html>`,
			h1, base, h1, strings.Repeat("<p>Some text that compresses well.</p>", 20)))
	}
	files := map[string][]byte{
		"index.html":                    page("Home"),
		"en/intro/index.html":           page("Intro"),
		"404.html":                      page("Not found"),
		"assets/site.0123abcd89.css":    []byte("body{color:rebeccapurple}"),
		"wasm/examples.0123456789.wasm": []byte("\x00asm\x01\x00\x00\x00"),
		"sw.js":                         []byte("self.UNBLOCKED = {};\n"),
		"sitemap.xml":                   []byte("<urlset></urlset>\n"),
		"favicon.svg":                   []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"),
	}
	for _, name := range []string{"index.html", "en/intro/index.html", "404.html", "assets/site.0123abcd89.css"} {
		var br, gz bytes.Buffer
		bw := brotli.NewWriter(&br)
		bw.Write(files[name])
		bw.Close()
		gw := gzip.NewWriter(&gz)
		gw.Write(files[name])
		gw.Close()
		files[name+".br"], files[name+".gz"] = br.Bytes(), gz.Bytes()
	}
	return func(context.Context) (map[string][]byte, error) { return files, nil }
}

func newServer(t *testing.T, base string, edit ...func(*Options)) *Server {
	t.Helper()
	opt := Options{Root: "../..", Base: base, Build: fixture(base), CacheDir: t.TempDir(), Hosts: []string{"workbook.test"}}
	for _, e := range edit {
		e(&opt)
	}
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The served site's HTTP behaviour is the scripts in testdata: serve.txt for base "/",
// serve-sub.txt for "/sub/".
func TestScripts(t *testing.T) {
	for base, script := range map[string]string{"/": "testdata/serve.txt", "/sub/": "testdata/serve-sub.txt"} {
		t.Run("base"+strings.TrimSuffix(base, "/"), func(t *testing.T) {
			s := newServer(t, base)
			if err := s.Rebuild(context.Background()); err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(s.Handler())
			defer ts.Close()
			webtest.Test(t, script, webtest.NewServer(ts.URL))
		})
	}
}

func TestNewRefusesOddBase(t *testing.T) {
	for _, base := range []string{"/a b/", "/{x}/", "/a%2f/"} {
		if _, err := New(Options{Root: ".", Base: base, Build: fixture(base)}); err == nil {
			t.Errorf("base %q accepted", base)
		}
	}
	if _, err := New(Options{Root: ".", Base: "sub", Build: fixture("/sub/")}); err != nil {
		t.Errorf("base sub: %v", err)
	}
}

// running is a Server started with Run on a free port.
type running struct {
	url  string
	log  *syncBuffer
	stop context.CancelFunc
	done chan error
}

// start runs a server made by newServer on a free port until the test ends.
func start(t *testing.T, base string, edit ...func(*Options)) (*Server, *running) {
	t.Helper()
	r := &running{log: &syncBuffer{}, done: make(chan error, 1)}
	s := newServer(t, base, append(edit, func(o *Options) { o.Addr = "127.0.0.1:0"; o.Log = r.log })...)
	return s, r
}

// run calls Run and returns once the server is ready.
func (r *running) run(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r.stop = cancel
	ready := make(chan string, 1)
	go func() { r.done <- s.Run(ctx, func(url string) { ready <- url }) }()
	select {
	case r.url = <-ready:
	case err := <-r.done:
		t.Fatalf("Run: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
}

// wait returns Run's result once it has returned; the deadline is for a hang, not a measurement.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err // for Cleanup
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("Run has not returned; log:\n%s", r.log)
		return nil
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Stopping with requests in flight: the event stream ends, a lab delay stops waiting, Run
// returns nil well before the delay would have ended.
func TestRunStopsWithRequestsInFlight(t *testing.T) {
	s, r := start(t, "/")
	inLab := make(chan struct{}, 1)
	routes := s.handler
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasPrefix(req.URL.Path, "/lab/") {
			inLab <- struct{}{}
		}
		routes.ServeHTTP(w, req)
	})
	r.run(t, s)
	if !strings.Contains(r.log.String(), "serving "+r.url) {
		t.Errorf("log: %s", r.log)
	}
	events, err := http.Get(r.url + "__workbook/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	hello, _ := bufio.NewReader(events.Body).ReadString('\n')
	if hello != "event: hello\n" {
		t.Fatalf("stream began %q", hello)
	}
	labDone := make(chan string, 1)
	go func() {
		resp, err := http.Get(r.url + "lab/delay/30s/x")
		if err != nil {
			labDone <- "error"
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		labDone <- string(b)
	}()
	<-inLab
	r.stop()
	if err := r.wait(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	if got := <-labDone; strings.HasPrefix(got, "ok") {
		t.Errorf("the lab request was answered %q instead of being ended", got)
	}
	if rest, err := io.ReadAll(events.Body); err != nil && !strings.Contains(err.Error(), "EOF") {
		t.Logf("event stream ended with %v after %q", err, rest)
	}
	if log := r.log.String(); !strings.Contains(log, "shutting down") || strings.Contains(log, "after the drain") {
		t.Errorf("want a shutdown that the lab request did not hold up to the drain's end; log:\n%s", log)
	}
}

// A handler that ignores its context is given the drain, then its connection is closed, and
// Run still returns nil.
func TestRunDrainIsBounded(t *testing.T) {
	s, r := start(t, "/")
	s.limits.drain = 50 * time.Millisecond
	stuck, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	routes := s.handler
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/stuck" { // a handler that ignores its context
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			close(stuck)
			<-release
			return
		}
		routes.ServeHTTP(w, req)
	})
	r.run(t, s)
	resp, err := http.Get(r.url + "stuck")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	<-stuck
	r.stop()
	if err := r.wait(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	if !strings.Contains(r.log.String(), "after the drain") {
		t.Errorf("log: %s", r.log)
	}
}

// An idle keep-alive connection is closed after the idle timeout (300 of them used to stay
// open for ever).
func TestRunClosesIdleConnections(t *testing.T) {
	s, r := start(t, "/")
	s.limits.idle = 50 * time.Millisecond
	r.run(t, s)
	c, addr := r.dial(t)
	fmt.Fprintf(c, "GET /sw.js HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first request: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	closedByServer(t, c, "idle keep-alive connection")
}

// A connection that never finishes its headers is closed after the header timeout.
func TestRunClosesSlowConnections(t *testing.T) {
	s, r := start(t, "/")
	s.limits.readHeader = 50 * time.Millisecond
	r.run(t, s)
	c, addr := r.dial(t)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\n", addr) // and never the blank line
	closedByServer(t, c, "connection with unfinished headers")
}

// dial opens a connection of the test's own to the server, and returns it with host:port.
func (r *running) dial(t *testing.T) (net.Conn, string) {
	t.Helper()
	addr := strings.TrimSuffix(strings.TrimPrefix(r.url, "http://"), "/")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, addr
}

// closedByServer waits for the server to close c; the deadline is for a server that never does.
func closedByServer(t *testing.T, c net.Conn, what string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err := io.ReadAll(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Errorf("%s still open", what)
	}
}

// The http.Server has every limit set.
func TestLimitsSet(t *testing.T) {
	l := defaultLimits
	for name, d := range map[string]time.Duration{"readHeader": l.readHeader, "read": l.read, "write": l.write, "idle": l.idle, "drain": l.drain} {
		if d <= 0 {
			t.Errorf("%s limit unset", name)
		}
	}
	if l.write <= 30*time.Second {
		t.Errorf("write limit %v would end lab delays of up to 30 s", l.write)
	}
	if l.maxHeaderBytes <= 0 {
		t.Error("header size unlimited")
	}
}

// With Watch, ready comes once the sources are watched: a save right after it reloads pages.
func TestRunWatchReady(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root+"/lessons/en/01-x.md", "before")
	s, r := start(t, "/", func(o *Options) { o.Root = root; o.Watch = true })
	r.run(t, s)
	events, err := http.Get(r.url + "__workbook/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	sc := bufio.NewScanner(events.Body)
	sc.Scan() // event: hello
	writeFile(t, root+"/lessons/en/01-x.md", "saved")
	for sc.Scan() {
		if sc.Text() == "event: reload" {
			return
		}
	}
	t.Fatalf("no reload after a save: %v; log:\n%s", sc.Err(), r.log)
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAllowedHost(t *testing.T) {
	names := map[string]bool{"teacher-laptop": true, "teacher-laptop.local": true}
	for host, want := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:8080": true, "192.168.1.20": true, "localhost": true, "LOCALHOST:80": true,
		"app.localhost:8080": true, "teacher-laptop:8080": true, "Teacher-Laptop.local": true, "": true,
		"attacker.example": false, "127.0.0.1.attacker.example:8080": false, "localhost.attacker.example": false,
	} {
		if got := allowedHost(host, names); got != want {
			t.Errorf("allowedHost(%q) = %v, want %v", host, got, want)
		}
	}
}
