package serve

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// dirBuild is a stand-in for site/build: it "renders" every file of a folder, and fails when a
// file named BROKEN exists, with its content as the error, as the real build reports
// path:line:col lines.
func dirBuild(dir string) BuildFunc {
	return func(ctx context.Context) (map[string][]byte, error) {
		if b, err := os.ReadFile(filepath.Join(dir, "BROKEN")); err == nil {
			return nil, errors.New(string(b))
		}
		files := map[string][]byte{}
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = b
			return err
		})
		return files, err
	}
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// The default transport would ask for gzip itself and hide the header.
	c := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

const page = `<!doctype html><title>t</title><script defer src="/__workbook/reload.js"></script><p>%s</p>`

// serveSite serves s the way site/server mounts it, under base "/".
func serveSite(t *testing.T, s *Site) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /"+EventsPath, s.Events())
	mux.Handle("GET /"+ReloadPath, ReloadJS())
	mux.Handle("GET /", s)
	ts := httptest.NewServer(mux)
	t.Cleanup(func() { s.Close(); ts.Close() })
	return ts
}

func newSite(t *testing.T, streams int) (*Site, *httptest.Server, string) {
	dir := t.TempDir()
	write(t, dir, "index.html", strings.Replace(page, "%s", "home", 1))
	write(t, dir, "404.html", "<p>lost</p>")
	write(t, dir, "en/intro/index.html", "<p>intro</p>")
	s := New(Options{Build: dirBuild(dir)})
	if streams > 0 {
		s.maxStreams = streams
	}
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, serveSite(t, s), dir
}

// readEvents reads server-sent events into a channel.
func readEvents(t *testing.T, url string) <-chan event {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: %d, Content-Type %q", resp.StatusCode, ct)
	}
	ch := make(chan event, 16)
	go func() {
		defer resp.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		var e event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				e.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.data = strings.TrimPrefix(line, "data: ")
			case line == "" && e.name != "":
				ch <- e
				e = event{}
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return ch
}

// next waits for the event called name; the deadline is for a broken server, not a measurement.
func next(t *testing.T, ch <-chan event, name string) event {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("event stream ended while waiting for %q", name)
			}
			if e.name == name {
				return e
			}
		case <-timeout:
			t.Fatalf("no %q event", name)
		}
	}
}

// A failed rebuild keeps the last good site, and pages learn the errors; the next good rebuild
// makes them reload.
func TestRebuildKeepsLastGoodSite(t *testing.T) {
	s, ts, dir := newSite(t, 0)
	events := readEvents(t, ts.URL+"/__workbook/events")
	if e := next(t, events, "hello"); e.data != `{"build":"`+s.instance+`.1"}` {
		t.Errorf("hello %s", e.data)
	}

	write(t, dir, "BROKEN", "lessons/en/01-intro.md:3:1: front matter: missing title\nlessons/zh/01-intro.md:1: missing")
	if err := s.Rebuild(context.Background()); err == nil {
		t.Fatal("Rebuild: want error")
	}
	e := next(t, events, "build-error")
	if e.data != `{"errors":["lessons/en/01-intro.md:3:1: front matter: missing title","lessons/zh/01-intro.md:1: missing"]}` {
		t.Errorf("build-error data %s", e.data)
	}
	if _, body := get(t, ts.URL+"/en/intro/"); body != "<p>intro</p>" {
		t.Errorf("after a failed build the last good page must be served, got %q", body)
	}
	// A page that connects now hears about the failure at once.
	late := readEvents(t, ts.URL+"/__workbook/events")
	next(t, late, "build-error")

	os.Remove(filepath.Join(dir, "BROKEN"))
	write(t, dir, "en/intro/index.html", "<p>intro v2</p>")
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e := next(t, events, "reload"); e.data != "2" {
		t.Errorf("reload %s", e.data)
	}
	if _, body := get(t, ts.URL+"/en/intro/"); body != "<p>intro v2</p>" {
		t.Errorf("after rebuild got %q", body)
	}
}

// Pages are stamped with their build, compressed on the fly, and the compressed copies are those
// of the current build.
func TestPagesStampedAndCompressed(t *testing.T) {
	s, ts, dir := newSite(t, 0)
	stamped := func(gen, text string) string {
		return strings.Replace(strings.Replace(page, "%s", text, 1), "reload.js", "reload.js?v="+s.instance+"."+gen, 1)
	}
	if resp, body := get(t, ts.URL+"/"); body != stamped("1", "home") || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("identity: %q %q", resp.Header.Get("Content-Encoding"), body)
	}
	brPage := func() string {
		resp, body := get(t, ts.URL+"/", "Accept-Encoding", "gzip, br")
		if resp.Header.Get("Content-Encoding") != "br" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("headers %v", resp.Header)
		}
		b, err := io.ReadAll(brotli.NewReader(strings.NewReader(body)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got := brPage(); got != stamped("1", "home") {
		t.Errorf("br page %q", got)
	}
	write(t, dir, "index.html", strings.Replace(page, "%s", "edited", 1))
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := brPage(); got != stamped("2", "edited") {
		t.Errorf("br page after rebuild %q", got)
	}
	if len(s.pages.m) != 1 {
		t.Errorf("page cache holds %d entries, want only this build's one", len(s.pages.m))
	}
}

// With no good build at all, every page is the error list with the reload script, so the
// browser recovers by itself.
func TestFirstBuildFails(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "BROKEN", "wasm/sleep/sync/main.go:12:2: undefined: <wg>")
	s := New(Options{Base: "/", Build: dirBuild(dir)})
	if s.Rebuild(context.Background()) == nil {
		t.Fatal("want error")
	}
	ts := serveSite(t, s)
	resp, body := get(t, ts.URL+"/en/intro/")
	if resp.StatusCode != 500 || !strings.Contains(body, "wasm/sleep/sync/main.go:12:2: undefined: &lt;wg&gt;") ||
		!strings.Contains(body, `src="/__workbook/reload.js"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("status %d body %s", resp.StatusCode, body)
	}
	if _, js := get(t, ts.URL+"/__workbook/reload.js"); !strings.Contains(js, "EventSource") {
		t.Errorf("reload.js: %s", js)
	}
}

// Saving a file under a watched folder rebuilds and reloads pages; a new folder is watched too.
func TestWatchRebuilds(t *testing.T) {
	s, ts, dir := newSite(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	ready := make(chan struct{})
	go func() { done <- s.Watch(ctx, dir, []string{"en"}, func() { close(ready) }) }()
	events := readEvents(t, ts.URL+"/__workbook/events")
	next(t, events, "hello")
	<-ready
	write(t, dir, "en/intro/index.html", "<p>edited</p>")
	next(t, events, "reload")
	if _, body := get(t, ts.URL+"/en/intro/"); body != "<p>edited</p>" {
		t.Errorf("got %q", body)
	}
	// The new folder is watched before the rebuild its creation causes, so once that reload
	// has arrived, an edit inside it is seen.
	write(t, dir, "en/new/index.html", "<p>new</p>")
	next(t, events, "reload")
	write(t, dir, "en/new/index.html", "<p>new v2</p>")
	for {
		next(t, events, "reload")
		if _, body := get(t, ts.URL+"/en/new/"); body == "<p>new v2</p>" {
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Close ends open event streams, so that a Ctrl-C shutdown does not hang.
func TestCloseEndsStreams(t *testing.T) {
	s, ts, _ := newSite(t, 0)
	events := readEvents(t, ts.URL+"/__workbook/events")
	next(t, events, "hello")
	s.Close()
	for range events {
	}
}

// Event streams are bounded: one more than the bound is refused.
func TestMaxStreams(t *testing.T) {
	_, ts, _ := newSite(t, 2)
	next(t, readEvents(t, ts.URL+"/__workbook/events"), "hello")
	next(t, readEvents(t, ts.URL+"/__workbook/events"), "hello")
	resp, body := get(t, ts.URL+"/__workbook/events")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "too many open pages (2)") {
		t.Errorf("third stream: %d %q", resp.StatusCode, body)
	}
}

// A stream whose client has gone gives its place back.
func TestStreamFreesItsPlace(t *testing.T) {
	s := New(Options{Build: dirBuild(t.TempDir())})
	s.maxStreams = 1
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := 0; i < 2; i++ {
		rec := httptest.NewRecorder()
		s.Events().ServeHTTP(rec, httptest.NewRequest("GET", "/__workbook/events", nil).WithContext(ctx))
		if !bytes.HasPrefix(rec.Body.Bytes(), []byte("event: hello\n")) {
			t.Errorf("stream %d: %d %q", i+1, rec.Code, rec.Body.String())
		}
	}
}

func TestAcceptsEncoding(t *testing.T) {
	for _, c := range []struct {
		header, token string
		want          bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip", "br", false},
		{"br;q=0, gzip", "br", false},
		{"br; q=0.000", "br", false},
		{"br;q=0.5", "br", true},
		{"BR", "br", true},
		{"*", "gzip", true},
		{"*;q=0", "gzip", false},
		{"br;q=0, *", "br", false},
		{"br;q=oops", "br", false},
		{"", "gzip", false},
	} {
		if got := acceptsEncoding(c.header, c.token); got != c.want {
			t.Errorf("acceptsEncoding(%q, %q) = %v", c.header, c.token, got)
		}
	}
}

func TestCacheControl(t *testing.T) {
	for name, want := range map[string]string{
		"assets/site.0123abcd89.css":     "public, max-age=31536000, immutable",
		"wasm/examples.0123456789.wasm":  "public, max-age=31536000, immutable",
		"assets/wasm_exec.89abcdef01.js": "public, max-age=31536000, immutable",
		"assets/site.css":                "no-cache",
		"assets/site.nothex12.css":       "no-cache",
		"sw.js":                          "no-cache",
		"index.html":                     "no-cache",
		"en/intro/index.html":            "no-cache",
		"e2e/labprobe.wasm":              "no-cache",
		"favicon.svg":                    "no-cache",
		// Run Python's runtime: a folder named by its hash, files by Pyodide's own names
		"assets/pyodide.0123456789/pyodide.asm.wasm": "public, max-age=31536000, immutable",
		"assets/pyodide/pyodide.asm.wasm":            "no-cache",
	} {
		if got := cacheControl(name); got != want {
			t.Errorf("cacheControl(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestEngineCode(t *testing.T) {
	for rel, want := range map[string]bool{
		"site/build/build.go":                 true,
		"site/templates/layout.templ":         true,
		"site/assets/css/site.css":            false,
		"wasm/sleep/sync/main.go":             false,
		"lessons/en/01-sync-vs-concurrent.md": false,
	} {
		if got := engineCode(rel); got != want {
			t.Errorf("engineCode(%q) = %v", rel, got)
		}
	}
}
