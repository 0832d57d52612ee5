// Package serve is the authors' preview server: it serves the site that the
// one render path (site/build) produced, from memory, rebuilds when a lesson,
// an example or an asset changes, and tells open pages to reload over
// server-sent events. A failed rebuild keeps the last good site and shows the
// errors (path:line:col) as an overlay on every open page.
package serve

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BuildFunc renders the whole site into memory. Serve and build share it, so
// what an author previews is byte for byte what `workbook build` writes.
type BuildFunc func(ctx context.Context) (map[string][]byte, error)

// Options configures a Server.
type Options struct {
	Base  string // URL base path, "/" or "/sub/"
	Build BuildFunc
	// Mounts are extra handlers under Base, keyed by the path below Base;
	// a key ending in "/" matches a prefix ("lab/" → the lab endpoints).
	Mounts map[string]http.Handler
	Log    io.Writer
}

// Server holds the last good site and the state of the last build.
type Server struct {
	opt      Options
	instance string // changes when the process restarts, so pages reload after a restart

	mu      sync.RWMutex
	files   map[string][]byte
	gen     int
	errText []string // non-nil when the last build failed

	buildMu sync.Mutex // one build at a time

	subMu sync.Mutex
	subs  map[chan event]struct{}
	done  chan struct{}
	once  sync.Once
}

type event struct {
	name string
	data string
}

// New returns a server that has not built anything yet; call Rebuild.
func New(opt Options) *Server {
	if opt.Base == "" {
		opt.Base = "/"
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	return &Server{
		opt:      opt,
		instance: strconv.FormatInt(time.Now().UnixNano(), 36),
		subs:     map[chan event]struct{}{},
		done:     make(chan struct{}),
	}
}

// Rebuild runs the build and, when it succeeds, swaps in the new site and
// tells pages to reload. When it fails the old site stays and pages get the
// errors instead. It returns the build error.
func (s *Server) Rebuild(ctx context.Context) error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	start := time.Now()
	files, err := s.opt.Build(ctx)
	if err != nil {
		lines := splitErrors(err)
		s.mu.Lock()
		s.errText = lines
		s.mu.Unlock()
		fmt.Fprintf(s.opt.Log, "build failed (%d problems):\n%s\n", len(lines), strings.Join(lines, "\n"))
		data, _ := json.Marshal(map[string][]string{"errors": lines})
		s.broadcast(event{"build-error", string(data)})
		return err
	}
	s.mu.Lock()
	s.files = files
	s.gen++
	gen := s.gen
	s.errText = nil
	s.mu.Unlock()
	fmt.Fprintf(s.opt.Log, "built %d files in %v\n", len(files), time.Since(start).Round(time.Millisecond))
	s.broadcast(event{"reload", strconv.Itoa(gen)})
	return nil
}

func splitErrors(err error) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// Close ends every event stream so that http.Server.Shutdown does not wait
// for pages that will never hang up by themselves.
func (s *Server) Close() { s.once.Do(func() { close(s.done) }) }

func (s *Server) broadcast(e event) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- e:
		default: // a stuck page must not hold up the others; it reloads on reconnect
		}
	}
}

// Handler serves the site, the mounts and the live-reload endpoints.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

const internal = "__workbook/"

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	base := s.opt.Base
	if !strings.HasPrefix(r.URL.Path, base) {
		if r.URL.Path+"/" == base {
			http.Redirect(w, r, base, http.StatusFound)
			return
		}
		http.NotFound(w, r)
		return
	}
	rel := strings.TrimPrefix(r.URL.Path, base)
	switch rel {
	case internal + "reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(reloadJS)
		return
	case internal + "events":
		s.events(w, r)
		return
	}
	for key, h := range s.opt.Mounts {
		if rel == key || strings.HasSuffix(key, "/") && strings.HasPrefix(rel, key) {
			http.StripPrefix(base+strings.TrimSuffix(key, "/"), h).ServeHTTP(w, r)
			return
		}
	}
	s.serveFile(w, r, rel)
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rel string) {
	s.mu.RLock()
	files, errText, gen := s.files, s.errText, s.gen
	s.mu.RUnlock()
	if files == nil {
		// No good build yet: show the errors, with the reload script so the
		// page recovers by itself once the author fixes them.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, errorPage, s.opt.Base)
		for _, l := range errText {
			fmt.Fprintf(w, "%s\n", htmlEscape(l))
		}
		io.WriteString(w, "</pre></main></body></html>\n")
		return
	}
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	body, ok := files[name]
	if !ok {
		if _, dir := files[name+"/index.html"]; dir {
			http.Redirect(w, r, s.opt.Base+name+"/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusNotFound)
		w.Write(files["404.html"])
		return
	}
	h := w.Header()
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(body)
	}
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", cacheControl(name))
	h.Add("Vary", "Accept-Encoding")
	if strings.HasSuffix(name, ".html") && bytes.Contains(body, reloadRef) {
		// Stamp the page with the build it came from, so that the reload
		// script notices a rebuild that happened before it connected.
		stamp := fmt.Sprintf("%s?v=%s.%d\"", reloadRef[:len(reloadRef)-1], s.instance, gen)
		body = bytes.Replace(body, reloadRef, []byte(stamp), 1)
		serveBytes(w, r, name, body)
		return
	}
	for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if acceptsEncoding(r.Header.Get("Accept-Encoding"), enc.token) {
			if zipped, ok := files[name+enc.ext]; ok {
				h.Set("Content-Encoding", enc.token)
				body = zipped
				break
			}
		}
	}
	serveBytes(w, r, name, body)
}

// serveBytes answers with an ETag of the exact bytes sent: Last-Modified
// has one-second granularity, too coarse for saves a moment apart.
func serveBytes(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	h := fnv.New64a()
	h.Write(body)
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, h.Sum64()))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// cacheControl lets browsers keep content-hashed files forever and makes
// them revalidate everything else, so an edit shows on the next reload.
func cacheControl(name string) string {
	if strings.HasPrefix(name, "assets/") || strings.HasPrefix(name, "wasm/") {
		if isHashed(name) {
			return "public, max-age=31536000, immutable"
		}
	}
	return "no-cache"
}

// isHashed reports whether a file name carries a content hash: name.<hash>.ext.
func isHashed(name string) bool {
	parts := strings.Split(path.Base(name), ".")
	if len(parts) < 3 {
		return false
	}
	h := parts[len(parts)-2]
	if len(h) < 8 {
		return false
	}
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		params = strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	ch := make(chan event, 4)
	s.subMu.Lock()
	s.subs[ch] = struct{}{}
	s.subMu.Unlock()
	defer func() {
		s.subMu.Lock()
		delete(s.subs, ch)
		s.subMu.Unlock()
	}()

	s.mu.RLock()
	hello := fmt.Sprintf(`{"build":"%s.%d"}`, s.instance, s.gen)
	errText := s.errText
	s.mu.RUnlock()
	write := func(e event) bool {
		_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
		flusher.Flush()
		return err == nil
	}
	// A page whose build stamp differs from the current one missed a rebuild
	// or a restart while it was loading or disconnected, and must reload.
	write(event{"hello", hello})
	if errText != nil {
		data, _ := json.Marshal(map[string][]string{"errors": errText})
		write(event{"build-error", string(data)})
	}
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case e := <-ch:
			if !write(e) {
				return
			}
		case <-keepAlive.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}

const errorPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed — Unblocked</title>
<script defer src="%s__workbook/reload.js"></script>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;background:#fff;color:#1a1a1a}
pre{background:#fdecea;color:#8a1c13;padding:1rem;white-space:pre-wrap}
@media (prefers-color-scheme:dark){body{background:#15171a;color:#e8e8e8}pre{background:#3a1714;color:#ffb4a9}}</style>
</head><body><main><h1>The workbook did not build</h1>
<p>Fix these and save; this page reloads by itself.</p><pre>`

var reloadRef = []byte(internal + `reload.js"`)

//go:embed reload.js
var reloadJS []byte
