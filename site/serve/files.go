package serve

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/fnv"
	"html"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// ServeHTTP answers GET and HEAD for the site's files (405 for other methods):
// index.html for a folder, a redirect to the folder for its name without the slash, and the
// site's 404 page with status 404 for anything else — a path outside the base included.
// A file is sent precompressed (br, then gzip) when the client accepts it; the .br and .gz
// siblings themselves are not addressable. Pages are stamped with the build they came from
// (see reload.js) and compressed as they are first asked for.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	snap := s.snapshot()
	if snap.files == nil {
		s.notBuilt(w, snap.errText)
		return
	}
	rel, inside := strings.CutPrefix(r.URL.Path, s.opt.Base)
	if !inside {
		s.notFound(w, r, snap)
		return
	}
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	body, ok := snap.files[name]
	if !ok || isVariant(snap.files, name) {
		if _, dir := snap.files[name+"/index.html"]; dir {
			target := s.opt.Base + name + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery // the playground's parameters
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, snap)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("Cache-Control", cacheControl(name))
	enc, body := s.encode(r, snap, name, body)
	h.Set("Vary", "Accept-Encoding")
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	// An ETag of the exact bytes sent: Last-Modified has one-second granularity, too coarse
	// for saves a moment apart, and each encoding is a representation of its own.
	sum := fnv.New64a()
	sum.Write(body)
	h.Set("ETag", fmt.Sprintf(`"%x"`, sum.Sum64()))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// cacheControl is the Cache-Control of a file of the site: content-hashed files under assets/
// and wasm/ are kept for a year, since a change gives them a new name; everything else, pages
// and sw.js first, is revalidated on every load, so an edit shows on the next reload and a new
// service worker is found.
func cacheControl(name string) string {
	if (strings.HasPrefix(name, "assets/") || strings.HasPrefix(name, "wasm/")) && (isHashed(name) || isHashed(path.Dir(name)+".d")) {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

// isHashed reports whether a file name carries a content hash: name.<hex, 8 or more>.ext. (A
// file in a hashed folder, assets/pyodide.<hash>/x, is asked as "assets/pyodide.<hash>.d".)
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

// types are the files a build writes. A fixed table, because mime.TypeByExtension also reads
// the machine's mime.types, which differ from one laptop to the next.
var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".xml":  "text/xml; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".png":  "image/png",
	".ico":  "image/x-icon",
}

func contentType(name string) string {
	ext := path.Ext(name)
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// encodings are the precompressed variants a build writes, in order of preference.
var encodings = []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// isVariant reports whether name is the .br or .gz sibling of another file: those are the
// server's way of answering Accept-Encoding, not files of their own (asked for directly they
// would arrive as bytes of an unknown type).
func isVariant(files map[string][]byte, name string) bool {
	for _, e := range encodings {
		if orig, ok := strings.CutSuffix(name, e.ext); ok {
			if _, ok := files[orig]; ok {
				return true
			}
		}
	}
	return false
}

// encode picks the bytes to send for name and their Content-Encoding ("" for none).
func (s *Site) encode(r *http.Request, snap snapshot, name string, body []byte) (string, []byte) {
	accept := r.Header.Get("Accept-Encoding")
	page := isPage(name, body)
	for _, e := range encodings {
		if !acceptsEncoding(accept, e.token) {
			continue
		}
		if page {
			return e.token, s.pages.get(snap.gen, name, e.token, func() []byte {
				return compress(e.token, s.stampPage(body, snap.gen))
			})
		}
		if z, ok := snap.files[name+e.ext]; ok {
			return e.token, z
		}
	}
	if page {
		return "", s.stampPage(body, snap.gen)
	}
	return "", body
}

var reloadRef = []byte(internal + `reload.js"`)

// isPage reports whether a file is a page with the reload script, which serve stamps.
func isPage(name string, body []byte) bool {
	return strings.HasSuffix(name, ".html") && bytes.Contains(body, reloadRef)
}

// stampPage adds the build a page came from to its reload script's URL, so that the script
// notices a rebuild that happened before it connected.
func (s *Site) stampPage(body []byte, gen int) []byte {
	stamp := fmt.Sprintf("%s?v=%s\"", reloadRef[:len(reloadRef)-1], s.stamp(gen))
	return bytes.Replace(body, reloadRef, []byte(stamp), 1)
}

// pageCache keeps the compressed stamped pages of one generation: a page is compressed once per
// build and encoding, and a rebuild drops them all, so the cache never outgrows the site.
type pageCache struct {
	mu  sync.Mutex
	gen int
	m   map[string][]byte
}

func (c *pageCache) get(gen int, name, enc string, build func() []byte) []byte {
	key := enc + " " + name
	c.mu.Lock()
	if c.gen != gen {
		c.gen, c.m = gen, map[string][]byte{}
	}
	b, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return b
	}
	b = build() // outside the lock: two first requests may both compress, which is harmless
	c.mu.Lock()
	if c.gen == gen {
		c.m[key] = b
	}
	c.mu.Unlock()
	return b
}

// compress at the levels the build uses for Dev (fast: a page is compressed on every save).
func compress(enc string, data []byte) []byte {
	var b bytes.Buffer
	if enc == "br" {
		w := brotli.NewWriterLevel(&b, 4)
		w.Write(data)
		w.Close()
	} else {
		w, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
		w.Write(data)
		w.Close()
	}
	return b.Bytes()
}

// acceptsEncoding reports whether an Accept-Encoding header allows token: named, or covered
// by *, with a q-value above 0.
func acceptsEncoding(header, token string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.TrimSpace(name)
		ok := qValue(params) > 0
		switch {
		case strings.EqualFold(name, token):
			return ok
		case name == "*":
			star = ok
		}
	}
	return star
}

// qValue reads "q=0.5" from an Accept-Encoding item's parameters; 1 when absent, 0 when bad.
func qValue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0
			}
			return q
		}
	}
	return 1
}

// notFound answers with the site's 404 page and status 404.
func (s *Site) notFound(w http.ResponseWriter, r *http.Request, snap snapshot) {
	body, ok := snap.files["404.html"]
	if !ok {
		http.NotFound(w, r)
		return
	}
	enc, body := s.encode(r, snap, "404.html", body)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusNotFound)
	w.Write(body)
}

// notBuilt is every page while no build has succeeded: the errors, with the reload script so
// the browser recovers by itself once the author fixes them.
func (s *Site) notBuilt(w http.ResponseWriter, errText []string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, errorPage, s.opt.Base)
	for _, l := range errText {
		fmt.Fprintf(w, "%s\n", html.EscapeString(l))
	}
	fmt.Fprint(w, "</pre></main></body></html>\n")
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
