package compile

import (
	"bytes"
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
)

const hello = `package main

import "fmt"

func main() {
	fmt.Println("hello")
}
`

// fakeGo writes a shell script standing in for the go command. body runs with $out set to the -o
// argument; every invocation appends a line to the returned log file.
func fakeGo(t *testing.T, body string) (cmd, log string) {
	t.Helper()
	dir := t.TempDir()
	log = filepath.Join(dir, "calls.log")
	script := `#!/bin/sh
out=""
prev=""
for a in "$@"; do
  if [ "$prev" = "-o" ]; then out="$a"; fi
  prev="$a"
done
echo call >> "` + log + `"
` + body + "\n"
	cmd = filepath.Join(dir, "go")
	if err := os.WriteFile(cmd, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return cmd, log
}

const writeWasm = `printf '\000asm\001\000\000\000' > "$out"`

func calls(t *testing.T, log string) int {
	data, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "call\n")
}

func post(t *testing.T, h http.Handler, source string) *httptest.ResponseRecorder {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"source": source})
	req := httptest.NewRequest(http.MethodPost, "/__workbook/compile", bytes.NewReader(body))
	req.RemoteAddr = "127.0.0.1:5555"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
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

func opts(goCmd string) Options {
	return Options{GoCmd: goCmd, ModFile: "../../go.mod"}
}

func TestOversizedSource(t *testing.T) {
	goCmd, log := fakeGo(t, writeWasm)
	o := opts(goCmd)
	o.MaxSourceBytes = 1024
	h := Handler(o)
	src := hello + "// " + strings.Repeat("x", 2000) + "\n"
	rec := post(t, h, src)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %s", rec.Code, rec.Body)
	}
	decodeErrors(t, rec)
	// A body far beyond the limit is refused without decoding it all.
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"source":"`+strings.Repeat("y", 20000)+`"}`))
	req.RemoteAddr = "127.0.0.1:1"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("huge body: status %d, want 413", rec.Code)
	}
	if n := calls(t, log); n != 0 {
		t.Fatalf("go ran %d times for oversized sources", n)
	}
	// Just under the limit compiles.
	if rec := post(t, h, hello); rec.Code != http.StatusOK {
		t.Fatalf("small source: status %d: %s", rec.Code, rec.Body)
	}
}

func TestTimeoutKillsBuild(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// The slow "build" has a child, like go has compile/link: both must die.
	goCmd, _ := fakeGo(t, `sleep 30 & echo $! > `+pidFile+`; wait`)
	o := opts(goCmd)
	o.Timeout = 300 * time.Millisecond
	h := Handler(o)
	start := time.Now()
	rec := post(t, h, hello)
	if rec.Code != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504: %s", rec.Code, rec.Body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("timeout answered after %s", d)
	}
	errs := decodeErrors(t, rec)
	if !strings.Contains(errs[0].Msg, "longer than") {
		t.Fatalf("message %q", errs[0].Msg)
	}
	pid, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, err := os.Stat("/proc/" + strings.TrimSpace(string(pid))); os.IsNotExist(err) {
			break
		}
		if stat, _ := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/stat"); bytes.Contains(stat, []byte(") Z ")) {
			break // killed, waiting to be reaped by init
		}
		if time.Now().After(deadline) {
			t.Fatalf("the build's child process %s is still running", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A timeout is not cached: the next request builds again (and times out again).
	if rec := post(t, h, hello); rec.Code != http.StatusGatewayTimeout {
		t.Fatalf("second request: status %d", rec.Code)
	}
}

func TestTooManyConcurrent(t *testing.T) {
	dir := t.TempDir()
	release := filepath.Join(dir, "release")
	goCmd, log := fakeGo(t, `while [ ! -e `+release+` ]; do sleep 0.02; done; `+writeWasm)
	o := opts(goCmd)
	o.MaxConcurrent = 2
	h := Handler(o)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = post(t, h, fmt.Sprintf("%s// %d\n", hello, i)).Code
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for calls(t, log) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the two builds did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	rec := post(t, h, hello+"// third\n")
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("third: status %d, want 429", rec.Code)
	}
	if ra := rec.Header().Get("Retry-After"); ra == "" {
		t.Fatal("429 without Retry-After")
	}
	os.WriteFile(release, nil, 0o644)
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("request %d: status %d", i, c)
		}
	}
	// With the slots free again, the third compiles.
	if rec := post(t, h, hello+"// third\n"); rec.Code != http.StatusOK {
		t.Fatalf("third after release: status %d", rec.Code)
	}
}

func TestRemoteClientForbidden(t *testing.T) {
	goCmd, log := fakeGo(t, writeWasm)
	body, _ := json.Marshal(map[string]string{"source": hello})
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
		o := opts(goCmd)
		o.AllowRemote = tc.allow
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.RemoteAddr = tc.addr
		rec := httptest.NewRecorder()
		Handler(o).ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s allow=%v: status %d, want %d", tc.addr, tc.allow, rec.Code, tc.want)
		}
	}
	if n := calls(t, log); n != 3 {
		t.Errorf("go ran %d times, want 3 (forbidden clients must not build)", n)
	}
}

func TestMethodAndBadJSON(t *testing.T) {
	goCmd, _ := fakeGo(t, writeWasm)
	h := Handler(opts(goCmd))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = "127.0.0.1:1"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d", rec.Code)
	}
	req = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"src": 1}`))
	req.RemoteAddr = "127.0.0.1:1"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("bad JSON: status %d", rec.Code)
	}
}

func TestRejectedBeforeBuilding(t *testing.T) {
	goCmd, log := fakeGo(t, writeWasm)
	h := Handler(opts(goCmd))
	for _, tc := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"syntax", "package main\n\nfunc main() {\n\tx := \n}\n", 5, ""},
		{"cgo", "package main\n\n// #include <stdio.h>\nimport \"C\"\n\nfunc main() {}\n", 4, "cgo"},
		{"third-party", "package main\n\nimport (\n\t\"fmt\"\n\t\"github.com/x/y\"\n)\n\nfunc main() { fmt.Println(y.Z) }\n", 5, "not available"},
		{"internal", "package main\n\nimport \"internal/poll\"\n\nfunc main() {}\n", 3, "not available"},
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
	if n := calls(t, log); n != 0 {
		t.Errorf("go ran %d times", n)
	}
}

func TestCacheHit(t *testing.T) {
	goCmd, log := fakeGo(t, writeWasm)
	for _, cacheDir := range []string{"", t.TempDir()} {
		os.Remove(log)
		o := opts(goCmd)
		o.CacheDir = cacheDir
		o.CacheEntries = 2
		h := Handler(o)
		a, b, c := hello+"// a\n", hello+"// b\n", hello+"// c\n"
		for _, src := range []string{a, a, a, b, a} {
			if rec := post(t, h, src); rec.Code != http.StatusOK || !bytes.HasPrefix(rec.Body.Bytes(), []byte("\x00asm")) {
				t.Fatalf("status %d body %q", rec.Code, rec.Body.Bytes())
			}
		}
		if n := calls(t, log); n != 2 {
			t.Fatalf("cacheDir=%q: go ran %d times for 2 distinct sources, want 2", cacheDir, n)
		}
		if rec := post(t, h, a); rec.Header().Get("X-Compile-Cache") != "hit" {
			t.Fatalf("cacheDir=%q: X-Compile-Cache = %q", cacheDir, rec.Header().Get("X-Compile-Cache"))
		}
		// c evicts the least recently used (b) from a cache of 2.
		post(t, h, c)
		post(t, h, b)
		if n := calls(t, log); n != 4 {
			t.Fatalf("cacheDir=%q: go ran %d times after eviction, want 4", cacheDir, n)
		}
		if cacheDir != "" {
			files, _ := filepath.Glob(filepath.Join(cacheDir, "*.wasm"))
			if len(files) != 2 {
				t.Fatalf("%d files in the cache dir, want 2", len(files))
			}
		}
	}
}

func TestParseDiagnostics(t *testing.T) {
	dir := "/tmp/unblocked-compile-123"
	out := "# play\n./main.go:7:2: undefined: x\n/tmp/unblocked-compile-123/main.go:9:14: cannot use y (variable of type int) as string value\n\thave int\nmain.go:12: something without col\n"
	got := parseDiagnostics(out, dir)
	want := []CompileError{{7, 2, "undefined: x"}, {9, 14, "cannot use y (variable of type int) as string value\nhave int"}, {12, 0, "something without col"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	got = parseDiagnostics("go: something odd in /tmp/unblocked-compile-123/go.mod\n", dir)
	if len(got) != 1 || strings.Contains(got[0].Msg, "unblocked-compile") {
		t.Fatalf("temp path not stripped: %+v", got)
	}
}

// The tests below run the real go command (js/wasm, offline, x/sync from the module cache).

func TestRealCompile(t *testing.T) {
	h := Handler(Options{ModFile: "../../go.mod", Timeout: 3 * time.Minute})
	src := `package main

import (
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	for i := range 3 {
		g.Go(func() error { time.Sleep(time.Millisecond); fmt.Println("task", i, "done"); return nil })
	}
	g.Wait()
}
`
	start := time.Now()
	rec := post(t, h, src)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	t.Logf("compiled %d bytes in %s", rec.Body.Len(), time.Since(start))
	if !bytes.HasPrefix(rec.Body.Bytes(), []byte("\x00asm\x01\x00\x00\x00")) {
		t.Fatalf("not a wasm module: % x", rec.Body.Bytes()[:8])
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/wasm" {
		t.Fatalf("Content-Type %q", ct)
	}
	start = time.Now()
	if rec := post(t, h, src); rec.Code != http.StatusOK || rec.Header().Get("X-Compile-Cache") != "hit" || time.Since(start) > time.Second {
		t.Fatalf("second compile: status %d cache %q in %s", rec.Code, rec.Header().Get("X-Compile-Cache"), time.Since(start))
	}
}

func TestRealTypeError(t *testing.T) {
	h := Handler(Options{ModFile: "../../go.mod", Timeout: 3 * time.Minute})
	src := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"a\")\n\tfmt.Println(undefinedThing)\n}\n"
	rec := post(t, h, src)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	errs := decodeErrors(t, rec)
	if errs[0].Line != 7 || errs[0].Col != 14 || !strings.Contains(errs[0].Msg, "undefined: undefinedThing") {
		t.Fatalf("errors %+v", errs)
	}
	if strings.Contains(rec.Body.String(), "unblocked-compile") || strings.Contains(rec.Body.String(), os.TempDir()+"/") {
		t.Fatalf("temp path leaked: %s", rec.Body)
	}
}
