// Package compile is the workbook's compile endpoint: it turns a learner's edited program into a
// js/wasm module with the installed Go toolchain, so that `workbook serve` can run edited code at
// compiled speed. The program never runs on the server; it is only built.
//
//	POST <base>__workbook/compile   {"source": "package main ..."}
//	200 application/wasm            the module (starts with "\x00asm")
//	400 application/json            {"errors":[{"line":N,"col":N,"msg":"..."}]}  (lines of the learner's file)
//	403 non-loopback client (unless Options.AllowRemote), 405 not POST, 413 source too large,
//	429 too many compiles at once (Retry-After), 504 compile took longer than Options.Timeout.
//
// Programs may import the standard library and golang.org/x/sync only; cgo is rejected. The build
// runs in a fresh temporary module that requires golang.org/x/sync at the version of the repository's
// go.mod, with GOPROXY=off and GOFLAGS=-mod=mod: nothing is downloaded, the module cache must already
// hold x/sync (it does wherever the examples were built). Results are cached by source hash.
package compile

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure the handler. The zero value is usable: loopback only, 64 KiB, 30 s, 2 at once.
type Options struct {
	GoCmd          string        // the go command; default "go" from PATH (tests inject a fake)
	ModFile        string        // go.mod whose golang.org/x/sync requirement and go line are used; default "go.mod"
	SyncVersion    string        // overrides the x/sync version read from ModFile
	Timeout        time.Duration // per compile; default 30 s, then the process group is killed (504)
	MaxConcurrent  int           // compiles at once; default 2, more answer 429
	MaxSourceBytes int           // default 64 KiB, larger answer 413
	CacheEntries   int           // results kept (LRU); default 64
	CacheDir       string        // when set, compiled modules are kept on disk there instead of in memory
	TempDir        string        // where build directories are made; default os.TempDir()
	AllowRemote    bool          // accept non-loopback clients
	RetryAfter     time.Duration // Retry-After on 429; default 2 s
}

// CompileError is one diagnostic, positioned in the learner's file (line and col from 1; 0 = unknown).
type CompileError struct {
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Msg  string `json:"msg"`
}

type errorBody struct {
	Errors []CompileError `json:"errors"`
}

const fileName = "main.go"

type handler struct {
	opt      Options
	slots    chan struct{}
	cache    *lru
	keyBase  string
	modLines string // go.mod of the temp module
	sumLines string // go.sum lines copied from the repo (optional)

	mu       sync.Mutex
	inflight map[string]*call

	compiles int64 // number of go invocations (tests)
}

type call struct {
	done chan struct{}
	res  result
}

type result struct {
	status int
	body   []byte
	ctype  string
}

// Handler returns the compile endpoint. It answers every path it is given; mount it where it belongs.
func Handler(opt Options) http.Handler {
	h, err := newHandler(opt)
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "compile endpoint misconfigured: "+err.Error(), http.StatusInternalServerError)
		})
	}
	return h
}

func newHandler(opt Options) (*handler, error) {
	if opt.GoCmd == "" {
		opt.GoCmd = "go"
	}
	if opt.ModFile == "" {
		opt.ModFile = "go.mod"
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = 2
	}
	if opt.MaxSourceBytes <= 0 {
		opt.MaxSourceBytes = 64 << 10
	}
	if opt.CacheEntries <= 0 {
		opt.CacheEntries = 64
	}
	if opt.RetryAfter <= 0 {
		opt.RetryAfter = 2 * time.Second
	}
	goLine, syncVersion := "1.22", opt.SyncVersion
	if mod, err := os.ReadFile(opt.ModFile); err == nil {
		if m := regexp.MustCompile(`(?m)^go\s+(\S+)`).FindSubmatch(mod); m != nil {
			goLine = string(m[1])
		}
		if syncVersion == "" {
			if m := regexp.MustCompile(`golang\.org/x/sync\s+(v\S+)`).FindSubmatch(mod); m != nil {
				syncVersion = string(m[1])
			}
		}
	}
	if syncVersion == "" {
		return nil, fmt.Errorf("no golang.org/x/sync version: set Options.SyncVersion or Options.ModFile")
	}
	var sum strings.Builder
	if data, err := os.ReadFile(filepath.Join(filepath.Dir(opt.ModFile), "go.sum")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "golang.org/x/sync "+syncVersion+" ") || strings.HasPrefix(line, "golang.org/x/sync "+syncVersion+"/go.mod ") {
				sum.WriteString(line + "\n")
			}
		}
	}
	if opt.CacheDir != "" {
		if err := os.MkdirAll(opt.CacheDir, 0o755); err != nil {
			return nil, err
		}
	}
	// The key covers everything besides the source that changes the output.
	goID := opt.GoCmd
	if p, err := exec.LookPath(opt.GoCmd); err == nil {
		if fi, err := os.Stat(p); err == nil {
			goID = fmt.Sprintf("%s|%d|%d", p, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return &handler{
		opt:      opt,
		slots:    make(chan struct{}, opt.MaxConcurrent),
		cache:    newLRU(opt.CacheEntries, opt.CacheDir),
		keyBase:  "v1|" + goID + "|" + runtime.Version() + "|" + goLine + "|" + syncVersion,
		modLines: fmt.Sprintf("module play\n\ngo %s\n\nrequire golang.org/x/sync %s\n", goLine, syncVersion),
		sumLines: sum.String(),
		inflight: map[string]*call{},
	}, nil
}

func writeErrors(w http.ResponseWriter, status int, errs ...CompileError) {
	body, _ := json.Marshal(errorBody{Errors: errs})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.opt.AllowRemote && !isLoopback(r.RemoteAddr) {
		writeErrors(w, http.StatusForbidden, CompileError{Msg: "the compile endpoint only answers this computer (loopback)"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeErrors(w, http.StatusMethodNotAllowed, CompileError{Msg: "use POST"})
		return
	}
	// JSON escaping can double a source's size (and \u escapes more); allow for it, then check the source.
	limit := int64(h.opt.MaxSourceBytes)*6 + 1024
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		writeErrors(w, http.StatusBadRequest, CompileError{Msg: "reading request: " + err.Error()})
		return
	}
	tooLarge := CompileError{Msg: fmt.Sprintf("the program is larger than %d KiB", h.opt.MaxSourceBytes>>10)}
	if int64(len(data)) > limit {
		writeErrors(w, http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	var req struct {
		Source *string `json:"source"`
	}
	if err := json.Unmarshal(data, &req); err != nil || req.Source == nil {
		writeErrors(w, http.StatusBadRequest, CompileError{Msg: `expected JSON {"source": "..."}`})
		return
	}
	src := *req.Source
	if len(src) > h.opt.MaxSourceBytes {
		writeErrors(w, http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	if errs := checkSource(src); len(errs) > 0 {
		writeErrors(w, http.StatusBadRequest, errs...)
		return
	}
	sum := sha256.Sum256([]byte(h.keyBase + "\x00" + src))
	key := hex.EncodeToString(sum[:])
	if res, ok := h.cache.get(key); ok {
		w.Header().Set("X-Compile-Cache", "hit")
		h.write(w, res)
		return
	}
	// Identical sources compiling right now share one build.
	h.mu.Lock()
	if c, ok := h.inflight[key]; ok {
		h.mu.Unlock()
		select {
		case <-c.done:
			w.Header().Set("X-Compile-Cache", "shared")
			h.write(w, c.res)
		case <-r.Context().Done():
		}
		return
	}
	select {
	case h.slots <- struct{}{}:
	default:
		h.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int((h.opt.RetryAfter+time.Second-1)/time.Second)))
		writeErrors(w, http.StatusTooManyRequests, CompileError{Msg: fmt.Sprintf("%d programs are compiling already; try again in a moment", h.opt.MaxConcurrent)})
		return
	}
	c := &call{done: make(chan struct{})}
	h.inflight[key] = c
	h.mu.Unlock()

	c.res = h.build(r.Context(), src)
	<-h.slots
	if c.res.status == http.StatusOK || c.res.status == http.StatusBadRequest {
		h.cache.put(key, c.res)
	}
	h.mu.Lock()
	delete(h.inflight, key)
	h.mu.Unlock()
	close(c.done)
	w.Header().Set("X-Compile-Cache", "miss")
	h.write(w, c.res)
}

func (h *handler) write(w http.ResponseWriter, res result) {
	w.Header().Set("Content-Type", res.ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(res.status)
	w.Write(res.body)
}

func jsonResult(status int, errs ...CompileError) result {
	body, _ := json.Marshal(errorBody{Errors: errs})
	return result{status: status, body: body, ctype: "application/json"}
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// checkSource parses the program and rejects what the build would refuse or must not do:
// syntax errors, a package other than main, cgo, and imports outside the standard library and x/sync.
func checkSource(src string) []CompileError {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, fileName, src, parser.SkipObjectResolution)
	if err != nil {
		var list scanner.ErrorList
		if errors.As(err, &list) {
			var out []CompileError
			for i, e := range list {
				if i == 10 {
					break
				}
				out = append(out, CompileError{Line: e.Pos.Line, Col: e.Pos.Column, Msg: e.Msg})
			}
			return out
		}
		return []CompileError{{Msg: err.Error()}}
	}
	if f.Name.Name != "main" {
		p := fset.Position(f.Name.Pos())
		return []CompileError{{Line: p.Line, Col: p.Column, Msg: "the program must be package main"}}
	}
	var out []CompileError
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		p := fset.Position(imp.Path.Pos())
		switch {
		case path == "C":
			out = append(out, CompileError{Line: p.Line, Col: p.Column, Msg: `cgo (import "C") is not available here`})
		case !allowedImport(path):
			out = append(out, CompileError{Line: p.Line, Col: p.Column, Msg: fmt.Sprintf("package %q is not available here: use the standard library and golang.org/x/sync", path)})
		}
	}
	return out
}

func allowedImport(path string) bool {
	if path == "golang.org/x/sync" || strings.HasPrefix(path, "golang.org/x/sync/") {
		return true
	}
	first, _, _ := strings.Cut(path, "/")
	// The standard library's import paths have no dot in their first element.
	return path != "" && !strings.Contains(first, ".") && !strings.HasPrefix(path, "cmd/") &&
		!strings.Contains(path, "internal") && !strings.HasPrefix(path, ".")
}

// diagLine matches the compiler's "./main.go:12:3: msg" (any directory prefix, col optional).
var diagLine = regexp.MustCompile(`^(?:[^:\s]*[/\\])?` + regexp.QuoteMeta(fileName) + `:(\d+)(?::(\d+))?: (.*)$`)

func (h *handler) build(ctx context.Context, src string) result {
	dir, err := os.MkdirTemp(h.opt.TempDir, "unblocked-compile-")
	if err != nil {
		return jsonResult(http.StatusInternalServerError, CompileError{Msg: err.Error()})
	}
	defer os.RemoveAll(dir)
	files := map[string]string{"go.mod": h.modLines, fileName: src}
	if h.sumLines != "" {
		files["go.sum"] = h.sumLines
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return jsonResult(http.StatusInternalServerError, CompileError{Msg: err.Error()})
		}
	}
	out := filepath.Join(dir, "main.wasm")

	ctx, cancel := context.WithTimeout(ctx, h.opt.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.opt.GoCmd, "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(filteredEnv(),
		"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOWORK=off", "GO111MODULE=on",
		"GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOSUMDB=off", "GONOSUMDB=*", "GONOSUMCHECK=1",
		"GOPRIVATE=", "GONOPROXY=", "GOINSECURE=",
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The go command starts compile and link as children: end the whole group.
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
		return nil
	}
	cmd.WaitDelay = 2 * time.Second
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	h.mu.Lock()
	h.compiles++
	h.mu.Unlock()
	runErr := cmd.Run()
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return jsonResult(http.StatusGatewayTimeout, CompileError{Msg: fmt.Sprintf("compiling took longer than %s and was stopped", h.opt.Timeout)})
		}
		return jsonResult(499, CompileError{Msg: "request cancelled"})
	}
	if runErr != nil {
		return jsonResult(http.StatusBadRequest, parseDiagnostics(output.String(), dir)...)
	}
	wasm, err := os.ReadFile(out)
	if err != nil || len(wasm) < 4 || string(wasm[:4]) != "\x00asm" {
		return jsonResult(http.StatusInternalServerError, CompileError{Msg: "the build produced no WebAssembly module"})
	}
	return result{status: http.StatusOK, body: wasm, ctype: "application/wasm"}
}

// filteredEnv is the server's environment without the Go settings the build sets itself.
func filteredEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GO") || k == "CGO_ENABLED" || strings.HasPrefix(k, "CGO_") {
			switch k {
			case "GOPATH", "GOMODCACHE", "GOCACHE", "GOROOT", "GOTMPDIR":
				env = append(env, kv) // where things are, not how to build
			}
			continue
		}
		env = append(env, kv)
	}
	return env
}

// parseDiagnostics turns go build output into errors positioned in the learner's file. Lines that
// are not diagnostics ("# play") are dropped; anything else keeps its text with temp paths removed.
func parseDiagnostics(output, dir string) []CompileError {
	var errs []CompileError
	var other []string
	for _, line := range strings.Split(output, "\n") {
		line = strings.TrimRight(line, "\r")
		line = strings.ReplaceAll(line, dir+string(filepath.Separator), "")
		line = strings.ReplaceAll(line, dir, ".")
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		if m := diagLine.FindStringSubmatch(line); m != nil {
			ln, _ := strconv.Atoi(m[1])
			col, _ := strconv.Atoi(m[2])
			errs = append(errs, CompileError{Line: ln, Col: col, Msg: m[3]})
			continue
		}
		if strings.HasPrefix(line, "\t") && len(errs) > 0 { // continuation ("\thave ...\n\twant ...")
			errs[len(errs)-1].Msg += "\n" + strings.TrimSpace(line)
			continue
		}
		other = append(other, line)
	}
	if len(errs) == 0 {
		msg := strings.TrimSpace(strings.Join(other, "\n"))
		if msg == "" {
			msg = "the build failed"
		}
		errs = append(errs, CompileError{Msg: msg})
	}
	return errs
}

// lru keeps the last n results; with dir set, module bytes live in files there.
type lru struct {
	mu    sync.Mutex
	n     int
	dir   string
	order *list.List // of *entry, front = most recent
	items map[string]*list.Element
}

type entry struct {
	key string
	res result // body is nil when stored on disk
}

func newLRU(n int, dir string) *lru {
	return &lru{n: n, dir: dir, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) file(key string) string { return filepath.Join(c.dir, key+".wasm") }

func (c *lru) get(key string) (result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok && c.dir != "" {
		// Survives restarts: a file from an earlier run is a hit too.
		if data, err := os.ReadFile(c.file(key)); err == nil {
			c.addLocked(key, result{status: http.StatusOK, ctype: "application/wasm"})
			return result{status: http.StatusOK, body: data, ctype: "application/wasm"}, true
		}
		return result{}, false
	}
	if !ok {
		return result{}, false
	}
	c.order.MoveToFront(el)
	res := el.Value.(*entry).res
	if res.body == nil && c.dir != "" {
		data, err := os.ReadFile(c.file(key))
		if err != nil {
			c.order.Remove(el)
			delete(c.items, key)
			return result{}, false
		}
		res.body = data
	}
	return res, true
}

func (c *lru) put(key string, res result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; ok {
		return
	}
	if c.dir != "" && res.status == http.StatusOK {
		tmp := c.file(key) + ".tmp"
		if os.WriteFile(tmp, res.body, 0o644) == nil && os.Rename(tmp, c.file(key)) == nil {
			res.body = nil
		}
	}
	c.addLocked(key, res)
}

func (c *lru) addLocked(key string, res result) {
	c.items[key] = c.order.PushFront(&entry{key: key, res: res})
	for c.order.Len() > c.n {
		el := c.order.Back()
		e := el.Value.(*entry)
		c.order.Remove(el)
		delete(c.items, e.key)
		if c.dir != "" && e.res.status == http.StatusOK {
			os.Remove(c.file(e.key))
		}
	}
}
