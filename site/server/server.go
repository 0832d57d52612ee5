// Package server is `workbook serve` as a library: it builds the site (site/build), serves it
// from memory with live reload (site/serve), mounts the lab (site/lab) and the compile endpoint
// (site/compile), watches the sources, listens, and shuts down on request. The CLI, the e2e
// suite and cmd/bench all start the workbook through New and Run, so they serve the same routes
// with the same limits.
//
// Routes, under the base path B ("/" or "/sub/"):
//
//	B…                     the site's files (GET, HEAD), its 404 page for anything unknown
//	B__workbook/reload.js  the live-reload script (GET)
//	B__workbook/events     the live-reload event stream (GET, server-sent events)
//	B__workbook/compile    the compile endpoint for edited code (POST)
//	Blab/…                 the lab endpoints (GET, HEAD)
//	Bjoin/…, B__workbook/follow, B__workbook/present
//	                       the classroom: join page, follow mode (site/classroom)
//	/                      with B other than "/": a redirect to B; anything else outside B is 404
//
// Every response carries the security headers (see securityHeaders); a request naming a host
// the server does not answer to is refused (see allowedHost).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"unblocked/internal/hostaddr"
	"unblocked/site/build"
	"unblocked/site/classroom"
	"unblocked/site/compile"
	"unblocked/site/lab"
	"unblocked/site/serve"
)

// Options configures a Server. The zero value of every field but Root is usable.
type Options struct {
	Root string // repository root: lessons/, wasm/, site/, go.mod
	Base string // URL base path, e.g. "/workbook/"; default "/"
	Addr string // listen address; default DefaultAddr (loopback)
	// OpenCompile lets clients beyond this machine use the compile endpoint. Without it, a
	// server listening beyond loopback builds the interpreter, which other devices use instead.
	OpenCompile bool
	// Hosts are names besides localhost, IP addresses and this machine's name that requests
	// may call the server by (a Host header naming anything else is refused: DNS rebinding).
	Hosts    []string
	CacheDir string // compiled examples and edited code, between runs; default the user cache
	Watch    bool   // rebuild when a file under lessons/, site/ or wasm/ changes, and reload open pages
	Log      io.Writer
	// Build replaces the build of Root: tests serve fixtures, cmd/bench a release build.
	Build serve.BuildFunc
	// CompileTimeout bounds one compile of edited code; default site/compile's.
	CompileTimeout time.Duration
}

// DefaultAddr keeps the server to this machine.
const DefaultAddr = "127.0.0.1:8080"

// sourceDirs are the folders under Root that Watch watches.
var sourceDirs = []string{"lessons", "site", "wasm"}

// limits bound what one request and one connection may take. Tests shorten them.
type limits struct {
	readHeader time.Duration // to send the request line and headers (slow clients)
	read       time.Duration // to send the whole request, body included
	// write bounds a response, a handler's waiting included: above the lab's 30 s and a compile's
	// timeout, below forever. Event streams replace it with a deadline per write.
	write          time.Duration
	idle           time.Duration // a keep-alive connection with no request
	drain          time.Duration // at shutdown, for requests in flight to finish
	maxHeaderBytes int
}

var defaultLimits = limits{
	readHeader:     10 * time.Second,
	read:           time.Minute,
	write:          5 * time.Minute,
	idle:           time.Minute,
	drain:          5 * time.Second,
	maxHeaderBytes: 64 << 10,
}

// Server is a workbook server: its routes (Handler) and, with Run, a listener.
type Server struct {
	opt     Options
	site    *serve.Site
	room    *classroom.Room // join page and follow mode
	lanURLs []string        // set by Run once it listens: the addresses other devices use
	handler http.Handler
	limits  limits
}

// validBase is what a base path may hold: it becomes part of the router's patterns.
var validBase = regexp.MustCompile(`^/([A-Za-z0-9._~-]+/)*$`)

// New prepares a server; nothing is built or listened on until Run.
func New(opt Options) (*Server, error) {
	if opt.Build == nil && opt.Root == "" {
		return nil, errors.New("server: no Root")
	}
	root, err := filepath.Abs(opt.Root)
	if err != nil {
		return nil, err
	}
	opt.Root = root
	opt.Base = build.NormBase(opt.Base)
	if !validBase.MatchString(opt.Base) {
		return nil, fmt.Errorf("base path %q: use letters, digits and . _ ~ - between slashes", opt.Base)
	}
	if opt.Addr == "" {
		opt.Addr = DefaultAddr
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.CacheDir == "" {
		if opt.CacheDir, err = UserCacheDir(); err != nil {
			return nil, err
		}
	}
	if opt.Build == nil {
		// Beyond loopback, and with the compile endpoint kept to this machine, learners on
		// other devices run edited code in the interpreter.
		interp := !hostaddr.Loopback(opt.Addr) && !opt.OpenCompile
		b := build.New(build.Options{Root: root, Base: opt.Base, Dev: true, Interp: interp, CacheDir: opt.CacheDir})
		opt.Build = func(ctx context.Context) (map[string][]byte, error) {
			site, err := b.Build(ctx)
			if err != nil {
				return nil, err
			}
			return site.Files, nil
		}
	}
	s := &Server{
		opt:    opt,
		site:   serve.New(serve.Options{Base: opt.Base, Build: opt.Build, Log: opt.Log}),
		limits: defaultLimits,
	}
	s.room = classroom.New(classroom.Options{Base: opt.Base, URLs: func() []string { return s.lanURLs }})
	s.handler = s.routes()
	return s, nil
}

// UserCacheDir is where the workbook keeps compiled examples between runs, so a restart is quick.
func UserCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "unblocked")
	return dir, os.MkdirAll(dir, 0o755)
}

// routes is the whole server as one handler.
func (s *Server) routes() http.Handler {
	b := s.opt.Base
	mux := http.NewServeMux()
	mux.Handle(b, s.site)
	mux.Handle("GET "+b+serve.ReloadPath, serve.ReloadJS())
	mux.Handle("GET "+b+serve.EventsPath, s.site.Events())
	mux.Handle(b+"__workbook/compile", compile.Handler(compile.Options{
		ModFile:     filepath.Join(s.opt.Root, "go.mod"),
		CacheDir:    filepath.Join(s.opt.CacheDir, "compile"),
		AllowRemote: s.opt.OpenCompile,
		Timeout:     s.opt.CompileTimeout,
	}))
	mux.Handle(b+"lab/", http.StripPrefix(b+"lab", lab.Handler()))
	s.room.Mount(mux) // join/, __workbook/follow, __workbook/present
	if b != "/" {
		mux.Handle("GET /{$}", http.RedirectHandler(b, http.StatusFound))
		mux.Handle("/", s.site) // its 404 page
	}
	return s.guard(mux)
}

// Handler returns the server's routes, for tests that serve them themselves. The site is empty
// until Rebuild.
func (s *Server) Handler() http.Handler { return s.handler }

// Rebuild builds the site now (Run does it before it serves).
func (s *Server) Rebuild(ctx context.Context) error { return s.site.Rebuild(ctx) }

// BuildError returns the last build's error, nil after a good one: a caller of Run that needs
// a good site (a test) checks it when ready is called.
func (s *Server) BuildError() error { return s.site.BuildError() }

// Run listens on Options.Addr, builds the site, serves it, and watches the sources when asked,
// until ctx ends; then it drains (see Shutdown below) and returns nil. ready, when non-nil, is
// called with the site's URL ("http://127.0.0.1:8080/") once the site is built, served and —
// with Watch — watched, so a save after ready is seen. A failed first build still serves: pages
// show the errors and recover by themselves once the author fixes them.
//
// Shutdown: the event streams end, the contexts of requests in flight are cancelled (a lab
// delay or a compile stops waiting), and what is still being sent gets the drain to finish
// before its connection is closed.
func (s *Server) Run(ctx context.Context, ready func(url string)) error {
	ln, err := net.Listen("tcp", s.opt.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	s.lanURLs = classroom.LANURLs(ln.Addr().String(), s.opt.Base)
	if err := s.site.Rebuild(ctx); err != nil && ctx.Err() != nil {
		return nil
	}
	if s.opt.Watch {
		s.watch(ctx)
	}

	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.limits.readHeader,
		ReadTimeout:       s.limits.read,
		WriteTimeout:      s.limits.write,
		IdleTimeout:       s.limits.idle,
		MaxHeaderBytes:    s.limits.maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          log.New(s.opt.Log, "serve: ", 0),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	url := "http://" + ln.Addr().String() + s.opt.Base
	fmt.Fprintf(s.opt.Log, "serving %s (Ctrl-C to stop)\n", url)
	if !hostaddr.Loopback(ln.Addr().String()) {
		if s.opt.OpenCompile {
			fmt.Fprintln(s.opt.Log, "note: listening beyond loopback; the compile endpoint is open to every client")
		} else {
			fmt.Fprintln(s.opt.Log, "note: listening beyond loopback; the compile endpoint is still loopback-only (-open-compile opens it): other devices run edited code in the interpreter")
		}
	}
	for _, u := range s.lanURLs {
		fmt.Fprintf(s.opt.Log, "join: %sjoin/ (learners open this; it shows a QR code)\n", u)
	}
	if ready != nil {
		ready(url)
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(s.opt.Log, "shutting down")
	s.site.Close()
	s.room.Close()
	cancelBase()
	dctx, cancel := context.WithTimeout(context.Background(), s.limits.drain)
	defer cancel()
	if err := hs.Shutdown(dctx); err != nil {
		// Past the drain: close what is left. Stopping was asked for; that is not a failure.
		fmt.Fprintf(s.opt.Log, "closing the connections left after the drain (%v)\n", err)
		hs.Close()
	}
	return nil
}

// watch starts the file watcher and returns once it watches every folder. A watcher that
// cannot start (the system's limit on watches, say) is reported and serving goes on without
// live reload.
func (s *Server) watch(ctx context.Context) {
	ready := make(chan struct{})
	failed := make(chan error, 1)
	go func() {
		if err := s.site.Watch(ctx, s.opt.Root, sourceDirs, func() { close(ready) }); err != nil {
			failed <- err
		}
	}()
	select {
	case <-ready:
	case err := <-failed:
		fmt.Fprintf(s.opt.Log, "watch: %v: pages will not reload on save\n", err)
	case <-ctx.Done():
	}
}
