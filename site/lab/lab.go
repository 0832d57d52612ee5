// Package lab serves the slow endpoints the net examples fetch, so a lesson
// can show waiting on IO without depending on the internet.
//
//	GET delay/<duration>/<rest>  →  after <duration>: 200 text/plain "ok <rest>\n"
//
// The same behaviour is implemented by the service worker for static hosting.
package lab

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// MaxDelay bounds how long one request may hold a connection open.
const MaxDelay = 30 * time.Second

// Handler serves the lab endpoints relative to the lab root; mount it with
// http.StripPrefix(base+"lab/", lab.Handler()).
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	// Examples fetch the same URLs again on every run; a cached answer would
	// arrive instantly and hide the delay the lesson is about.
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/")
	rest, ok := strings.CutPrefix(p, "delay/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	durText, tail, _ := strings.Cut(rest, "/")
	d, err := time.ParseDuration(durText)
	if err != nil || d < 0 || d > MaxDelay {
		http.Error(w, fmt.Sprintf("bad delay %q: want a Go duration between 0s and %s", durText, MaxDelay), http.StatusBadRequest)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		// The client gave up (a timeout example, or Stop): nothing to send.
		return
	case <-t.C:
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "ok %s\n", tail)
}
