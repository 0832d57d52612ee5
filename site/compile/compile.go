// Package compile is the workbook's compile endpoint: it turns a learner's edited program into a
// js/wasm module with the installed Go toolchain, so that `workbook serve` can run edited code at
// compiled speed. The program never runs on the server; it is only built, through gowasm, with
// its limits on time and memory.
//
//	POST <base>__workbook/compile   Content-Type: application/json   {"source": "package main ..."}
//	    with "format": true: 200 application/json {"source": "..."} as gofmt formats it, or 400 its
//	    syntax errors (the editor's Format button; nothing is built)
//	200 application/wasm            the module (starts with "\x00asm")
//	400 application/json            {"errors":[{"line":N,"col":N,"msg":"..."}]}  (lines of the learner's file;
//	                                line 0 for a message about the whole build, e.g. "the compiler ran out of its 1024 MB")
//	403 a request from another computer (unless Options.AllowRemote) or from another site (below)
//	405 not POST, 413 source too large, 415 not application/json,
//	429 too many compiles at once (Retry-After), 504 compile took longer than Options.Timeout.
//
// Every answer but 200 is JSON in that shape, with a message saying why.
//
// Cross-site requests are refused, so that no web page the learner visits can make the laptop
// compile: a browser's request carries Sec-Fetch-Site and Origin, which must say the request
// comes from the page's own origin (scheme and Host of the request); a form or fetch from another
// site (even another port of localhost) fails that, and only JSON is accepted, which a page can
// send to another origin only after a CORS preflight this endpoint never answers. A request
// with neither header comes from no browser (curl, a test) and is allowed; the loopback rule
// still applies. Unless AllowRemote, the Host must also name this computer (localhost or a
// loopback address), so a page of a site whose name an attacker re-pointed at 127.0.0.1 (DNS
// rebinding) is refused although it looks same-origin.
//
// Programs may import the standard library and golang.org/x/sync only; cgo is rejected. A program
// is built as a package of the repository's module (in an overlay, nothing is written there),
// with GOPROXY=off: nothing is downloaded, x/sync comes from the module cache at the version of
// go.mod. Results, and compile errors, are cached by the inputs' hash.
package compile

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"unblocked/internal/hostaddr"
	"unblocked/site/diag"
	"unblocked/site/gowasm"
)

// Options configure the handler. The zero value is usable: loopback only, 64 KiB, 30 s,
// gowasm.DefaultMemoryLimit per compiler process, 2 at once.
type Options struct {
	GoCmd          string        // the go command; default "go" from PATH (tests inject a fake)
	ModFile        string        // go.mod of the module programs are built in (the repository's); default "go.mod"
	Timeout        time.Duration // per compile; default 30 s, then the build's processes are killed (504)
	MemoryLimit    int64         // bytes per compiler process; default gowasm.DefaultMemoryLimit (Linux only, see gowasm)
	MaxConcurrent  int           // compiles at once; default 2, more answer 429
	MaxSourceBytes int           // default 64 KiB, larger answer 413
	CacheEntries   int           // modules kept (least recently used evicted); default 64
	CacheDir       string        // when set, compiled modules are kept on disk there instead of in memory
	AllowRemote    bool          // accept other computers' requests (and any Host)
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

// pkg is where a program is built: a package of the module that exists only in the build's
// overlay. The underscore keeps it out of ./... should it ever reach the disk.
const (
	pkg      = "_compile"
	fileName = "main.go"
	file     = pkg + "/" + fileName
)

type handler struct {
	opt     Options
	builder *gowasm.Builder
	module  string // the module's path: its own packages are not for programs
}

// Handler returns the compile endpoint. It answers every path it is given; mount it where it belongs.
func Handler(opt Options) http.Handler {
	h, err := newHandler(opt)
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeErrors(w, http.StatusInternalServerError, CompileError{Msg: "compile endpoint misconfigured: " + err.Error()})
		})
	}
	return h
}

func newHandler(opt Options) (*handler, error) {
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
	mod, err := os.ReadFile(opt.ModFile)
	if err != nil {
		return nil, err
	}
	return &handler{
		opt: opt,
		builder: gowasm.New(gowasm.Options{
			Root:         filepath.Dir(opt.ModFile),
			GoCmd:        opt.GoCmd,
			CacheDir:     opt.CacheDir,
			CacheEntries: opt.CacheEntries,
			MemoryLimit:  opt.MemoryLimit,
			Timeout:      opt.Timeout,
			MaxBuilds:    opt.MaxConcurrent,
			FailWhenBusy: true,
			// Never download, never write go.mod, and ignore the server's own GOFLAGS.
			Env: []string{"GOPROXY=off", "GOFLAGS=-mod=readonly", "GOWORK=off"},
		}),
		module: modfile.ModulePath(mod),
	}, nil
}

func writeErrors(w http.ResponseWriter, status int, errs ...CompileError) {
	body, _ := json.Marshal(errorBody{Errors: errs})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.opt.AllowRemote && !hostaddr.LoopbackPeer(r.RemoteAddr) {
		writeErrors(w, http.StatusForbidden, CompileError{Msg: "the compile endpoint only answers this computer (loopback)"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeErrors(w, http.StatusMethodNotAllowed, CompileError{Msg: "use POST"})
		return
	}
	if msg := h.crossSite(r); msg != "" {
		writeErrors(w, http.StatusForbidden, CompileError{Msg: msg})
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		writeErrors(w, http.StatusUnsupportedMediaType, CompileError{Msg: `send the program as Content-Type: application/json, {"source": "..."}`})
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
		Format bool    `json:"format"`
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
	if req.Format {
		writeFormatted(w, src)
		return
	}
	if errs := h.checkSource(src); len(errs) > 0 {
		writeErrors(w, http.StatusBadRequest, errs...)
		return
	}
	wasm, err := h.builder.Build(r.Context(), gowasm.Job{Package: pkg, Files: traced(src, h.module)})
	if err != nil {
		h.writeBuildError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/wasm")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(wasm)))
	w.Write(wasm)
}

// writeFormatted answers a format request: the source as gofmt formats it, or its syntax errors.
func writeFormatted(w http.ResponseWriter, src string) {
	out, err := format.Source([]byte(src))
	if err != nil {
		var errs []CompileError
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				errs = append(errs, CompileError{Line: e.Pos.Line, Col: e.Pos.Column, Msg: e.Msg})
			}
		} else {
			errs = append(errs, CompileError{Msg: err.Error()})
		}
		writeErrors(w, http.StatusBadRequest, errs...)
		return
	}
	body, _ := json.Marshal(struct {
		Source string `json:"source"`
	}{string(out)})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// crossSite says why r comes from another site, or "" when it does not (see the package doc).
func (h *handler) crossSite(r *http.Request) string {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return fmt.Sprintf("the compile endpoint only answers its own pages (this request is %s)", site)
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		scheme := "http://"
		if r.TLS != nil {
			scheme = "https://"
		}
		if !strings.EqualFold(origin, scheme+r.Host) {
			return fmt.Sprintf("the compile endpoint only answers its own pages (Origin %s is not %s%s)", origin, scheme, r.Host)
		}
	}
	if !h.opt.AllowRemote && !hostaddr.Loopback(r.Host) {
		return fmt.Sprintf("the compile endpoint only answers requests addressed to this computer (Host %s)", r.Host)
	}
	return ""
}

// writeBuildError answers a failed build.
func (h *handler) writeBuildError(w http.ResponseWriter, r *http.Request, err error) {
	var (
		list    diag.List
		memory  *gowasm.MemoryError
		timeout *gowasm.TimeoutError
	)
	switch {
	case errors.As(err, &list):
		var errs []CompileError
		for _, e := range list {
			if e.Path == file {
				errs = append(errs, CompileError{Line: e.Line, Col: e.Col, Msg: e.Msg})
			} else {
				errs = append(errs, CompileError{Msg: e.Error()})
			}
		}
		writeErrors(w, http.StatusBadRequest, errs...)
	case errors.As(err, &memory):
		writeErrors(w, http.StatusBadRequest, CompileError{Msg: memory.Error()})
	case errors.As(err, &timeout):
		writeErrors(w, http.StatusGatewayTimeout, CompileError{Msg: timeout.Error()})
	case errors.Is(err, gowasm.ErrBusy):
		w.Header().Set("Retry-After", strconv.Itoa(int((h.opt.RetryAfter+time.Second-1)/time.Second)))
		writeErrors(w, http.StatusTooManyRequests, CompileError{Msg: fmt.Sprintf("%d programs are compiling already; try again in a moment", h.opt.MaxConcurrent)})
	case r.Context().Err() != nil:
		// The client is gone (the build goes on for anyone else waiting for it); 499 is what
		// servers log for that.
		writeErrors(w, 499, CompileError{Msg: "request cancelled"})
	default:
		writeErrors(w, http.StatusInternalServerError, CompileError{Msg: err.Error()})
	}
}

// checkSource parses the program and rejects what the build would refuse or must not do:
// syntax errors, a package other than main, cgo, and imports outside the standard library and x/sync.
func (h *handler) checkSource(src string) []CompileError {
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
		case !h.allowedImport(path):
			out = append(out, CompileError{Line: p.Line, Col: p.Column, Msg: fmt.Sprintf("package %q is not available here: use the standard library and golang.org/x/sync", path)})
		}
	}
	return out
}

func (h *handler) allowedImport(path string) bool {
	if path == "golang.org/x/sync" || strings.HasPrefix(path, "golang.org/x/sync/") {
		return true
	}
	if h.module != "" && (path == h.module || strings.HasPrefix(path, h.module+"/")) {
		return false // the repository's own packages: the program is built inside its module
	}
	first, _, _ := strings.Cut(path, "/")
	// The standard library's import paths have no dot in their first element.
	return path != "" && !strings.Contains(first, ".") && !strings.HasPrefix(path, "cmd/") &&
		!strings.Contains(path, "internal") && !strings.HasPrefix(path, ".") && !strings.HasPrefix(path, "vendor/")
}
