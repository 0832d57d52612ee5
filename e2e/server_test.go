package e2e

import (
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// staticServer serves a built site folder the way a plain static host would: index.html for
// folders, 404.html with status 404, precompressed .br/.gz siblings with Content-Encoding, and
// application/wasm for .wasm. Nothing answers lab/: the worker running a program must.
type staticServer struct {
	URL string // "http://127.0.0.1:PORT"
	srv *http.Server
	ln  net.Listener

	hold func(path string) bool // set by holdUntil
	gate <-chan struct{}

	mu    sync.Mutex
	paths []string // every path requested, in order
	bytes int64    // body bytes sent (as sent: compressed where it was)
}

// staticOption changes how a server from startStatic answers.
type staticOption func(*staticServer)

// holdUntil holds back the response to every path hold accepts until gate is closed, or the
// browser gives up on it: a test can then act for certain while the page still waits for that
// file (a click before a module is in).
func holdUntil(gate <-chan struct{}, hold func(path string) bool) staticOption {
	return func(s *staticServer) { s.hold, s.gate = hold, gate }
}

// Bytes returns the body bytes sent so far.
func (s *staticServer) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

// counting counts what a handler writes into its server's total.
type counting struct {
	http.ResponseWriter
	s *staticServer
}

func (c counting) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.s.mu.Lock()
	c.s.bytes += int64(n)
	c.s.mu.Unlock()
	return n, err
}

// Paths returns the paths requested so far that start with prefix.
func (s *staticServer) Paths(prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.paths {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	return out
}

func startStatic(dir string, opts ...staticOption) (*staticServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &staticServer{URL: "http://" + ln.Addr().String(), ln: ln}
	for _, o := range opts {
		o(s)
	}
	s.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		if s.hold != nil && s.hold(r.URL.Path) {
			select {
			case <-s.gate:
			case <-r.Context().Done():
				return
			}
		}
		serveStatic(dir, counting{w, s}, r)
	})}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *staticServer) Close() { s.srv.Close() }

// ownOrigin serves the site on a port of its own for the test: its own localStorage, so no
// edits or progress stored by the tests running alongside (tabs share one profile). Every test
// that edits code uses one: an edit left on the shared origin would run instead of an example's
// own code in another test (a table of its bars, a trace of its goroutines).
func ownOrigin(t *testing.T) string {
	t.Helper()
	return ownServer(t).URL
}

// ownServer is ownOrigin for a test that also asks the server what it sent (Paths, Bytes),
// stops it or holds a file back; it is closed when the test ends.
func ownServer(t *testing.T, opts ...staticOption) *staticServer {
	t.Helper()
	srv, err := startStatic(siteDir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func serveStatic(dir string, w http.ResponseWriter, r *http.Request) {
	name := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	file := filepath.Join(dir, filepath.FromSlash(name))
	st, err := os.Stat(file)
	if err == nil && st.IsDir() {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	status := http.StatusOK
	if err != nil {
		// the 404 page of the folder holding the base (the site root)
		status = http.StatusNotFound
		file = filepath.Join(dir, "404.html")
		name = "/404.html"
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".wasm":
		ctype = "application/wasm"
	case ".html":
		ctype = "text/html; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Vary", "Accept-Encoding")
	if strings.Contains(name, "/assets/") || strings.Contains(name, "/wasm/") {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	accept := r.Header.Get("Accept-Encoding")
	for _, enc := range []struct{ token, ext, name string }{{"br", ".br", "br"}, {"gzip", ".gz", "gzip"}} {
		if !strings.Contains(accept, enc.token) {
			continue
		}
		if b, err := os.ReadFile(file + enc.ext); err == nil {
			h.Set("Content-Encoding", enc.name)
			w.WriteHeader(status)
			if r.Method != http.MethodHead {
				w.Write(b)
			}
			return
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}
