package serve

import (
	"bufio"
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
)

// dirBuild is a stand-in for site/build: it "renders" every file of a
// folder, and fails when a file named BROKEN exists, with its content as the
// error, as the real build reports path:line:col lines.
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
	tr := &http.Transport{DisableCompression: true}
	c := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func newSite(t *testing.T, base string) (*Server, *httptest.Server, string) {
	dir := t.TempDir()
	write(t, dir, "index.html", "<p>home</p>")
	write(t, dir, "404.html", "<p>lost</p>")
	write(t, dir, "en/intro/index.html", "<p>intro</p>")
	write(t, dir, "assets/site.0123abcd.css", "body{}")
	write(t, dir, "assets/site.0123abcd.css.br", "BROTLI")
	write(t, dir, "assets/site.0123abcd.css.gz", "GZIP")
	write(t, dir, "wasm/sleep-sync.89abcdef.wasm", "\x00asm")
	s := New(Options{Base: base, Build: dirBuild(dir), Mounts: map[string]http.Handler{
		"lab/": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "lab "+r.URL.Path) }),
	}})
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { s.Close(); ts.Close() })
	return s, ts, dir
}

func TestServeFiles(t *testing.T) {
	_, ts, _ := newSite(t, "/sub/")
	cases := []struct {
		path, accept                     string
		status                           int
		body, ctype, encoding, cacheCtrl string
	}{
		{"/sub/", "", 200, "<p>home</p>", "text/html; charset=utf-8", "", "no-cache"},
		{"/sub/en/intro/", "", 200, "<p>intro</p>", "text/html; charset=utf-8", "", "no-cache"},
		{"/sub/en/intro", "", 301, "", "", "", ""},
		{"/sub/nope/", "", 404, "<p>lost</p>", "text/html; charset=utf-8", "", ""},
		{"/sub/assets/site.0123abcd.css", "gzip, deflate, br", 200, "BROTLI", "text/css; charset=utf-8", "br", "public, max-age=31536000, immutable"},
		{"/sub/assets/site.0123abcd.css", "gzip", 200, "GZIP", "text/css; charset=utf-8", "gzip", "public, max-age=31536000, immutable"},
		{"/sub/assets/site.0123abcd.css", "br;q=0, gzip", 200, "GZIP", "text/css; charset=utf-8", "gzip", ""},
		{"/sub/assets/site.0123abcd.css", "", 200, "body{}", "text/css; charset=utf-8", "", ""},
		{"/sub/wasm/sleep-sync.89abcdef.wasm", "br", 200, "\x00asm", "application/wasm", "", "public, max-age=31536000, immutable"},
		{"/sub/lab/delay/1ms/x", "", 200, "lab /delay/1ms/x", "", "", ""},
		{"/elsewhere", "", 404, "", "", "", ""},
	}
	for _, c := range cases {
		resp, body := get(t, ts.URL+c.path, "Accept-Encoding", c.accept)
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.path, resp.StatusCode, c.status)
			continue
		}
		if c.body != "" && !strings.Contains(body, c.body) {
			t.Errorf("%s (Accept-Encoding %q): body %q, want %q", c.path, c.accept, body, c.body)
		}
		if c.ctype != "" && resp.Header.Get("Content-Type") != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.path, resp.Header.Get("Content-Type"), c.ctype)
		}
		if got := resp.Header.Get("Content-Encoding"); got != c.encoding {
			t.Errorf("%s (Accept-Encoding %q): Content-Encoding %q, want %q", c.path, c.accept, got, c.encoding)
		}
		if c.cacheCtrl != "" && resp.Header.Get("Cache-Control") != c.cacheCtrl {
			t.Errorf("%s: Cache-Control %q, want %q", c.path, resp.Header.Get("Cache-Control"), c.cacheCtrl)
		}
	}
}

// sse reads server-sent events from the server into a channel.
func sse(t *testing.T, url string) <-chan event {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: Content-Type %q", ct)
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

func next(t *testing.T, ch <-chan event, name string) event {
	t.Helper()
	timeout := time.After(10 * time.Second)
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
			t.Fatalf("no %q event within 10s", name)
		}
	}
}

// A failed rebuild keeps the last good site, and pages learn the errors; the
// next good rebuild makes them reload.
func TestRebuildKeepsLastGoodSite(t *testing.T) {
	s, ts, dir := newSite(t, "/")
	events := sse(t, ts.URL+"/__workbook/events")
	next(t, events, "hello")

	write(t, dir, "BROKEN", "lessons/en/01-intro.md:3:1: front matter: missing title\nlessons/zh/01-intro.md:1: missing")
	if err := s.Rebuild(context.Background()); err == nil {
		t.Fatal("Rebuild: want error")
	}
	e := next(t, events, "build-error")
	if !strings.Contains(e.data, `lessons/en/01-intro.md:3:1: front matter: missing title`) || !strings.Contains(e.data, `lessons/zh/01-intro.md:1: missing`) {
		t.Errorf("build-error data %s", e.data)
	}
	if _, body := get(t, ts.URL+"/en/intro/"); body != "<p>intro</p>" {
		t.Errorf("after a failed build the last good page must be served, got %q", body)
	}
	// A page that connects now hears about the failure at once.
	late := sse(t, ts.URL+"/__workbook/events")
	next(t, late, "build-error")

	os.Remove(filepath.Join(dir, "BROKEN"))
	write(t, dir, "en/intro/index.html", "<p>intro v2</p>")
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	next(t, events, "reload")
	if _, body := get(t, ts.URL+"/en/intro/"); body != "<p>intro v2</p>" {
		t.Errorf("after rebuild got %q", body)
	}
}

// With no good build at all, every page is the error list with the reload
// script, so the browser recovers by itself.
func TestFirstBuildFails(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "BROKEN", "wasm/sleep/sync/main.go:12:2: undefined: wg")
	s := New(Options{Base: "/", Build: dirBuild(dir)})
	if s.Rebuild(context.Background()) == nil {
		t.Fatal("want error")
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	defer s.Close()
	resp, body := get(t, ts.URL+"/en/intro/")
	if resp.StatusCode != 500 || !strings.Contains(body, "wasm/sleep/sync/main.go:12:2: undefined: wg") || !strings.Contains(body, `src="/__workbook/reload.js"`) {
		t.Errorf("status %d body %s", resp.StatusCode, body)
	}
	if _, js := get(t, ts.URL+"/__workbook/reload.js"); !strings.Contains(js, "EventSource") {
		t.Errorf("reload.js: %s", js)
	}
}

// Saving a file under a watched folder rebuilds once and reloads pages.
func TestWatchRebuilds(t *testing.T) {
	s, ts, dir := newSite(t, "/")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx, dir, []string{"en"}, 20*time.Millisecond) }()
	events := sse(t, ts.URL+"/__workbook/events")
	next(t, events, "hello")
	time.Sleep(50 * time.Millisecond) // let the watcher register before the edit
	write(t, dir, "en/intro/index.html", "<p>edited</p>")
	next(t, events, "reload")
	if _, body := get(t, ts.URL+"/en/intro/"); body != "<p>edited</p>" {
		t.Errorf("got %q", body)
	}
	// A new folder is watched too.
	write(t, dir, "en/new/index.html", "<p>new</p>")
	next(t, events, "reload")
	time.Sleep(50 * time.Millisecond)
	write(t, dir, "en/new/index.html", "<p>new v2</p>")
	next(t, events, "reload")
	if _, body := get(t, ts.URL+"/en/new/"); body != "<p>new v2</p>" {
		t.Errorf("got %q", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Close ends open event streams, so that a Ctrl-C shutdown does not hang.
func TestCloseEndsStreams(t *testing.T) {
	s, ts, _ := newSite(t, "/")
	events := sse(t, ts.URL+"/__workbook/events")
	next(t, events, "hello")
	s.Close()
	select {
	case _, ok := <-events:
		for ok {
			_, ok = <-events
		}
	case <-time.After(5 * time.Second):
		t.Fatal("event stream still open after Close")
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
