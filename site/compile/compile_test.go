package compile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"unblocked/site/gowasm/gowasmtest"
)

const hello = `package main

import "fmt"

func main() {
	fmt.Println("hello")
}
`

// request is a same-origin browser request for source, as the editor's fetch makes it.
func request(source string) *http.Request {
	body, _ := json.Marshal(map[string]string{"source": source})
	return raw(string(body))
}

// raw is a same-origin browser request with body.
func raw(body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/__workbook/compile", strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:5555"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func post(t *testing.T, h http.Handler, source string) *httptest.ResponseRecorder {
	t.Helper()
	return serve(h, request(source))
}

func decodeErrors(t *testing.T, rec *httptest.ResponseRecorder) []CompileError {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json (body %q)", ct, rec.Body.String())
	}
	var b errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	if len(b.Errors) == 0 {
		t.Fatalf("no errors in %q", rec.Body.String())
	}
	return b.Errors
}

func opts(fake *gowasmtest.Fake) Options {
	return Options{GoCmd: fake.Cmd, ModFile: "../../go.mod", CacheDir: ""}
}

func okWasm(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusOK || !bytes.HasPrefix(rec.Body.Bytes(), []byte("\x00asm")) || rec.Header().Get("Content-Type") != "application/wasm" {
		t.Fatalf("status %d, %q, body %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
	}
}

func TestOversizedSource(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	o := opts(fake)
	o.MaxSourceBytes = 1024
	h := Handler(o)
	src := hello + "// " + strings.Repeat("x", 2000) + "\n"
	rec := post(t, h, src)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %s", rec.Code, rec.Body)
	}
	decodeErrors(t, rec)
	// A body far beyond the limit is refused without decoding it all.
	if rec := serve(h, raw(`{"source":"`+strings.Repeat("y", 20000)+`"}`)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("huge body: status %d, want 413", rec.Code)
	}
	if n := fake.Calls(t); n != 0 {
		t.Fatalf("go ran %d times for oversized sources", n)
	}
	okWasm(t, post(t, h, hello)) // under the limit compiles
}

func TestTimeoutKillsBuild(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// The slow "build" has a child, like go has compile/link: both must die.
	fake := gowasmtest.New(t, `sleep 60 & echo $! > `+pidFile+`; wait`)
	// On a loaded machine the fake's shell may not have started its child within the first
	// timeout; the deadline doubles until a run had a child to kill (no wall-clock guess).
	var (
		h   http.Handler
		pid []byte
	)
	for timeout := 200 * time.Millisecond; ; timeout *= 2 {
		o := opts(fake)
		o.Timeout = timeout
		h = Handler(o)
		rec := post(t, h, hello)
		if rec.Code != http.StatusGatewayTimeout {
			t.Fatalf("status %d, want 504: %s", rec.Code, rec.Body)
		}
		if msg, want := decodeErrors(t, rec)[0].Msg, "longer than "+timeout.String(); !strings.Contains(msg, want) {
			t.Fatalf("message %q, want %q", msg, want)
		}
		var err error
		if pid, err = os.ReadFile(pidFile); err == nil {
			break
		}
		if timeout > 30*time.Second {
			t.Fatalf("the fake build never started its child: %v", err)
		}
	}
	proc := "/proc/" + strings.TrimSpace(string(pid))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if stat, err := os.ReadFile(proc + "/stat"); err != nil || bytes.Contains(stat, []byte(") Z ")) {
			break // gone, or killed and waiting for init to reap it
		}
		if time.Now().After(deadline) {
			t.Fatalf("the build's child %s is still running", proc)
		}
	}
	// A timeout is not cached: the next request builds again (and times out again).
	before := fake.Calls(t)
	if rec := post(t, h, hello); rec.Code != http.StatusGatewayTimeout || fake.Calls(t) != before+1 {
		t.Fatalf("next request: status %d, %d builds after %d", rec.Code, fake.Calls(t), before)
	}
}

// blocking is a fake go that writes started, then builds once release exists.
func blocking(t *testing.T) (fake *gowasmtest.Fake, started, release string) {
	dir := t.TempDir()
	started, release = filepath.Join(dir, "started"), filepath.Join(dir, "release")
	return gowasmtest.New(t, `echo x >> `+started+`; while [ ! -e `+release+` ]; do sleep 0.01; done; `+gowasmtest.WriteWasm), started, release
}

func waitLines(t *testing.T, file string, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if data, _ := os.ReadFile(file); bytes.Count(data, []byte("\n")) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d builds did not start", n)
		}
	}
}

func TestTooManyConcurrent(t *testing.T) {
	fake, started, release := blocking(t)
	o := opts(fake)
	o.MaxConcurrent = 2
	h := Handler(o)
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range 2 {
		wg.Go(func() { codes[i] = post(t, h, fmt.Sprintf("%s// %d\n", hello, i)).Code })
	}
	waitLines(t, started, 2)
	// The same source as a running compile joins it: no slot needed, no 429.
	wg.Go(func() { codes[2] = post(t, h, hello+"// 0\n").Code })
	rec := post(t, h, hello+"// third\n")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("third: status %d, Retry-After %q; want 429, 2", rec.Code, rec.Header().Get("Retry-After"))
	}
	decodeErrors(t, rec)
	os.WriteFile(release, nil, 0o644)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("request %d: status %d", i, c)
		}
	}
	// With the slots free again, the third compiles.
	okWasm(t, post(t, h, hello+"// third\n"))
	if n := fake.Calls(t); n != 3 {
		t.Fatalf("go ran %d times, want 3", n)
	}
}

// A learner who gives up (closes the tab, presses Run again) must not fail another waiting for
// the same program: the follower gets the module, not 499.
func TestCancelledLeaderDoesNotFailFollower(t *testing.T) {
	fake, started, release := blocking(t)
	h := Handler(opts(fake))
	ctx, cancel := context.WithCancel(context.Background())
	leader := make(chan *httptest.ResponseRecorder, 1)
	go func() { leader <- serve(h, request(hello).WithContext(ctx)) }()
	waitLines(t, started, 1)
	follower := make(chan *httptest.ResponseRecorder, 1)
	go func() { follower <- post(t, h, hello) }()
	cancel()
	if rec := <-leader; rec.Code != 499 {
		t.Fatalf("cancelled leader: status %d", rec.Code)
	}
	os.WriteFile(release, nil, 0o644)
	okWasm(t, <-follower)
	if n := fake.Calls(t); n != 1 {
		t.Fatalf("go ran %d times, want 1", n)
	}
}

func TestRemoteClientForbidden(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	for _, tc := range []struct {
		addr  string
		allow bool
		want  int
	}{
		{"192.0.2.7:4000", false, http.StatusForbidden},
		{"[2001:db8::1]:4000", false, http.StatusForbidden},
		{"[::1]:4000", false, http.StatusOK},
		{"127.0.0.1:4000", false, http.StatusOK},
		{"192.0.2.7:4000", true, http.StatusOK},
	} {
		o := opts(fake)
		o.AllowRemote = tc.allow
		req := request(hello)
		req.RemoteAddr = tc.addr
		if rec := serve(Handler(o), req); rec.Code != tc.want {
			t.Errorf("%s allow=%v: status %d, want %d", tc.addr, tc.allow, rec.Code, tc.want)
		}
	}
	// The cache answers the later ones; forbidden clients never reach it.
	if n := fake.Calls(t); n != 3 {
		t.Errorf("go ran %d times, want 3 (one per handler that built)", n)
	}
}

// TestCrossSiteRefused is the probe of the issue: any web page could POST text/plain to the
// endpoint and make the laptop compile.
func TestCrossSiteRefused(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	h := Handler(opts(fake))
	for _, tc := range []struct {
		name    string
		headers map[string]string // "" deletes
		host    string
		want    int
		msg     string
	}{
		{"cross-site text/plain form", map[string]string{"Content-Type": "text/plain", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, "", 403, "only answers its own pages"},
		{"cross-site JSON", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, "", 403, "cross-site"},
		{"other port of localhost", map[string]string{"Origin": "http://127.0.0.1:3000", "Sec-Fetch-Site": "same-site"}, "", 403, "same-site"},
		{"Origin only, another site", map[string]string{"Origin": "http://localhost:3000", "Sec-Fetch-Site": ""}, "", 403, "Origin http://localhost:3000 is not http://127.0.0.1:8080"},
		{"opaque origin", map[string]string{"Origin": "null", "Sec-Fetch-Site": ""}, "", 403, "Origin null"},
		{"DNS rebinding", map[string]string{"Origin": "http://evil.example:8080"}, "evil.example:8080", 403, "Host evil.example:8080"},
		{"same origin, wrong type", map[string]string{"Content-Type": "text/plain"}, "", 415, "application/json"},
		{"same origin, no type", map[string]string{"Content-Type": ""}, "", 415, "application/json"},
		{"same origin", nil, "", 200, ""},
		{"same origin, charset", map[string]string{"Content-Type": "application/json; charset=utf-8"}, "", 200, ""},
		{"localhost", map[string]string{"Origin": "http://localhost:8080"}, "localhost:8080", 200, ""},
		{"no browser (curl)", map[string]string{"Origin": "", "Sec-Fetch-Site": ""}, "", 200, ""},
	} {
		req := request(hello + "// " + tc.name + "\n")
		if tc.host != "" {
			req.Host = tc.host
		}
		for k, v := range tc.headers {
			if v == "" {
				req.Header.Del(k)
			} else {
				req.Header.Set(k, v)
			}
		}
		rec := serve(h, req)
		if rec.Code != tc.want {
			t.Errorf("%s: status %d, want %d (%s)", tc.name, rec.Code, tc.want, rec.Body)
			continue
		}
		if tc.want != 200 {
			if errs := decodeErrors(t, rec); !strings.Contains(errs[0].Msg, tc.msg) {
				t.Errorf("%s: message %q, want it to say %q", tc.name, errs[0].Msg, tc.msg)
			}
		}
	}
	if n := fake.Calls(t); n != 4 {
		t.Errorf("go ran %d times, want 4 (only the allowed requests build)", n)
	}
	// AllowRemote serves a classroom: any Host, still only same-origin pages.
	o := opts(fake)
	o.AllowRemote = true
	h = Handler(o)
	for origin, want := range map[string]int{"http://192.168.1.20:8080": 200, "http://evil.example": 403} {
		req := request(hello)
		req.Host, req.RemoteAddr = "192.168.1.20:8080", "192.168.1.33:5000"
		req.Header.Set("Origin", origin)
		if rec := serve(h, req); rec.Code != want {
			t.Errorf("remote, Origin %s: %d, want %d", origin, rec.Code, want)
		}
	}
}

func TestMethodAndBadJSON(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	h := Handler(opts(fake))
	req := request(hello)
	req.Method = http.MethodGet
	if rec := serve(h, req); rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET: status %d", rec.Code)
	}
	for _, body := range []string{`{"src": 1}`, `{"source": 1}`, `not json`} {
		if rec := serve(h, raw(body)); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d", body, rec.Code)
		}
	}
	if n := fake.Calls(t); n != 0 {
		t.Errorf("go ran %d times", n)
	}
}

func TestRejectedBeforeBuilding(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	h := Handler(opts(fake))
	for _, tc := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"syntax", "package main\n\nfunc main() {\n\tx := \n}\n", 5, ""},
		{"cgo", "package main\n\n// #include <stdio.h>\nimport \"C\"\n\nfunc main() {}\n", 4, "cgo"},
		{"third-party", "package main\n\nimport (\n\t\"fmt\"\n\t\"github.com/x/y\"\n)\n\nfunc main() { fmt.Println(y.Z) }\n", 5, "not available"},
		{"internal", "package main\n\nimport \"internal/poll\"\n\nfunc main() {}\n", 3, "not available"},
		{"the repository's own", "package main\n\nimport _ \"unblocked/site/lab\"\n\nfunc main() {}\n", 3, "not available"},
		{"not main", "package lib\n\nfunc F() {}\n", 1, "package main"},
	} {
		rec := post(t, h, tc.src)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tc.name, rec.Code)
			continue
		}
		errs := decodeErrors(t, rec)
		if errs[0].Line != tc.line || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("%s: got %+v, want line %d containing %q", tc.name, errs, tc.line, tc.msg)
		}
	}
	if n := fake.Calls(t); n != 0 {
		t.Errorf("go ran %d times", n)
	}
}

func TestCompileErrorsInTheLearnersLines(t *testing.T) {
	// As the compiler reports them once gowasm has named the overlaid file: the file's path in
	// the build. A message about another file keeps its position in its text.
	fake := gowasmtest.New(t, `echo "# unblocked/_compile"; echo "_compile/main.go:7:14: undefined: x"; echo "	have int"; echo "other/x.go:1:2: elsewhere"; exit 1`)
	h := Handler(opts(fake))
	rec := post(t, h, hello)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	got := decodeErrors(t, rec)
	want := []CompileError{{7, 14, "undefined: x\n\thave int"}, {0, 0, "other/x.go:1:2: elsewhere"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	// Compile errors are cached like modules.
	post(t, h, hello)
	if n := fake.Calls(t); n != 1 {
		t.Errorf("go ran %d times for one broken program, want 1", n)
	}
}

func TestMemoryBombShortMessage(t *testing.T) {
	// The crash of a compiler that hit the cap (what gowasm's own tests produce for real).
	fake := gowasmtest.New(t, `echo "# unblocked/_compile"; echo "runtime: out of memory: cannot allocate 71303168-byte block (150667264 in use)"; echo "fatal error: out of memory"; echo; echo "goroutine 1 gp=0x1 m=0 [running]:"; echo "runtime.throw(...)"; exit 2`)
	o := opts(fake)
	o.MemoryLimit = 512 << 20
	rec := post(t, Handler(o), hello)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	errs := decodeErrors(t, rec)
	if len(errs) != 1 || errs[0] != (CompileError{Msg: "the compiler ran out of its 512 MB"}) {
		t.Fatalf("errors %+v, want only the short message", errs)
	}
}

func TestCacheBounded(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	for _, cacheDir := range []string{"", t.TempDir()} {
		before := fake.Calls(t)
		o := opts(fake)
		o.CacheDir = cacheDir
		o.CacheEntries = 2
		h := Handler(o)
		a, b, c := hello+"// a\n", hello+"// b\n", hello+"// c\n"
		for _, src := range []string{a, a, a, b, a} {
			okWasm(t, post(t, h, src))
		}
		if n := fake.Calls(t) - before; n != 2 {
			t.Fatalf("cacheDir=%q: go ran %d times for 2 distinct sources, want 2", cacheDir, n)
		}
		// c evicts the least recently used (b) from a cache of 2.
		post(t, h, c)
		post(t, h, b)
		if n := fake.Calls(t) - before; n != 4 {
			t.Fatalf("cacheDir=%q: go ran %d times after eviction, want 4", cacheDir, n)
		}
		if cacheDir != "" {
			if files, _ := filepath.Glob(filepath.Join(cacheDir, "*.wasm")); len(files) != 2 {
				t.Fatalf("%d files in the cache dir, want 2", len(files))
			}
		}
	}
}

func TestFormatRequest(t *testing.T) {
	fake := gowasmtest.New(t, `echo built >> `+filepath.Join(t.TempDir(), "x")+`; exit 1`)
	h := Handler(opts(fake))
	body, _ := json.Marshal(map[string]any{"source": "package main\nfunc main(){\nprintln( 1 )\n}\n", "format": true})
	rec := serve(h, raw(string(body)))
	var got struct{ Source string }
	if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != http.StatusOK || err != nil || got.Source != "package main\n\nfunc main() {\n\tprintln(1)\n}\n" {
		t.Fatalf("status %d, body %q", rec.Code, rec.Body.String())
	}
	body, _ = json.Marshal(map[string]any{"source": "package main\n\nfunc main() {\n\tx := (1\n}\n", "format": true})
	rec = serve(h, raw(string(body)))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("syntax error: status %d", rec.Code)
	}
	if errs := decodeErrors(t, rec); errs[0].Line != 4 {
		t.Errorf("errors %+v, want line 4 first", errs)
	}
	// the endpoint's guards hold for formatting too
	req := raw(string(body))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if rec := serve(h, req); rec.Code != http.StatusForbidden {
		t.Errorf("cross-site format request: status %d", rec.Code)
	}
}
