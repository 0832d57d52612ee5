package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"unblocked/site/build"
	"unblocked/site/compile"
	"unblocked/site/lab"
	"unblocked/site/serve"
)

// runServe builds the site, serves it from memory, and rebuilds and reloads
// open pages whenever a lesson, an example or an asset is saved.
func runServe(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (loopback by default; 0.0.0.0:8080 opens it to the network)")
	root := fs.String("root", ".", "repository root (lessons/, wasm/, site/)")
	base := fs.String("base", "/", "URL base path, e.g. /workbook/")
	openCompile := fs.Bool("open-compile", false, "let non-loopback clients use the compile endpoint for edited code")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serveMain(ctx, *addr, *root, normBase(*base), *openCompile, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "workbook serve:", err)
		return 1
	}
	return 0
}

// serveMain runs until ctx ends. ready, when non-nil, receives the bound
// address once the server accepts connections (tests listen on port 0).
func serveMain(ctx context.Context, addr, root, base string, openCompile bool, log io.Writer, ready chan<- string) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	cache, err := cacheDir()
	if err != nil {
		return err
	}
	// Beyond loopback, and with the compile endpoint kept to this machine, learners on other
	// devices run edited code in the interpreter.
	interp := !isLoopbackAddr(addr) && !openCompile
	b := build.New(build.Options{Root: root, Base: base, Dev: true, Interp: interp, CacheDir: cache})
	srv := serve.New(serve.Options{
		Base: base,
		Build: func(ctx context.Context) (map[string][]byte, error) {
			site, err := b.Build(ctx)
			if err != nil {
				return nil, err
			}
			return site.Files, nil
		},
		Mounts: map[string]http.Handler{
			"lab/": lab.Handler(),
			"__workbook/compile": compile.Handler(compile.Options{
				ModFile:     filepath.Join(root, "go.mod"),
				CacheDir:    filepath.Join(cache, "compile"),
				AllowRemote: openCompile,
			}),
		},
		Log: log,
	})
	defer srv.Close()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// A failed first build still serves: pages show the errors and recover
	// by themselves once the author fixes them.
	srv.Rebuild(ctx)

	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go srv.Watch(ctx, root, []string{"lessons", "site", "wasm"}, 25*time.Millisecond)

	url := "http://" + ln.Addr().String() + base
	fmt.Fprintf(log, "serving %s (Ctrl-C to stop)\n", url)
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(log, "note: listening beyond loopback; the compile endpoint is %s\n", map[bool]string{true: "open to every client",
			false: "still loopback-only (-open-compile opens it): other devices run edited code in the interpreter"}[openCompile])
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(log, "shutting down")
	srv.Close() // end the live-reload streams so Shutdown need not wait for them
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// isLoopbackAddr reports whether a listen address accepts only this machine's clients.
func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cacheDir keeps compiled examples between runs so a restart is quick.
func cacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "unblocked")
	return dir, os.MkdirAll(dir, 0o755)
}
