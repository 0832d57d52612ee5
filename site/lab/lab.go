// Package lab serves the slow endpoints the net examples fetch, so a lesson
// can show waiting on IO without depending on the internet.
//
//	GET delay/<duration>/<rest>       after <duration>: 200 text/plain "ok <rest>\n"
//	GET fail/<duration>/<rest>        after <duration>: 500 "fail <rest>\n" (a page that breaks)
//	GET limit/<n>/<duration>/<rest>   a server that takes at most n requests at once: while n of
//	                                  the same client's are in flight, 503 "busy: …" at once;
//	                                  otherwise as delay
//
// The same behaviour is implemented in the browser by site/assets/js/lab.js (the worker running a
// program answers its lab requests itself, on any host and offline). One script,
// testdata/lab.txt, holds both to it: lab_test.go runs it against Handler, e2e/lab_test.go
// against lab.js in a Chromium worker.
package lab

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxDelay bounds how long one request may hold a connection open.
const MaxDelay = 30 * time.Second

// MaxLimit bounds the n of limit/<n>/….
const MaxLimit = 1000

// Handler serves the lab endpoints relative to the lab root; mount it with
// http.StripPrefix(base+"lab", lab.Handler()).
func Handler() http.Handler { return newHandler() }

func newHandler() *handler {
	return &handler{inFlight: map[string]int{}, sleep: sleep}
}

type handler struct {
	mu       sync.Mutex
	inFlight map[string]int // client + n → requests of limit/<n>/… being answered

	// sleep waits d, or until ctx ends (then false). Tests wrap it to learn that a request
	// is in flight.
	sleep func(ctx context.Context, d time.Duration) bool
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Examples fetch the same URLs again on every run; a cached answer would
	// arrive instantly and hide the delay the lesson is about.
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	kind, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	status, body := http.StatusOK, "ok"
	switch kind {
	case "delay":
	case "fail":
		status, body = http.StatusInternalServerError, "fail"
	case "limit":
		nText, after, _ := strings.Cut(rest, "/")
		n, err := strconv.Atoi(nText)
		if err != nil || n < 1 || n > MaxLimit {
			http.Error(w, fmt.Sprintf("bad limit %q: want a whole number from 1 to %d", nText, MaxLimit), http.StatusBadRequest)
			return
		}
		if _, err := parseDelay(after); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		// per client: a classroom shares one serve, and one learner's run must not
		// make another's busy
		client, _, _ := net.SplitHostPort(r.RemoteAddr)
		key := client + "/" + nText
		h.mu.Lock()
		busy := h.inFlight[key] >= n
		if !busy {
			h.inFlight[key]++
		}
		h.mu.Unlock()
		if busy {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "busy: this server takes at most %d requests at once\n", n)
			return
		}
		defer func() {
			h.mu.Lock()
			if h.inFlight[key]--; h.inFlight[key] == 0 {
				delete(h.inFlight, key)
			}
			h.mu.Unlock()
		}()
		rest = after
	default:
		http.NotFound(w, r)
		return
	}
	durText, tail, _ := strings.Cut(rest, "/")
	d, err := parseDelay(durText)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !h.sleep(r.Context(), d) {
		// The client gave up (a timeout example, or Stop): nothing to send.
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "%s %s\n", body, tail)
}

// parseDelay reads the <duration> of a lab URL (the part before the next slash). A sign is
// refused, "+1s" and "-0s" included, as lab.js refuses it.
func parseDelay(s string) (time.Duration, error) {
	s, _, _ = strings.Cut(s, "/")
	d, err := time.ParseDuration(s)
	signed := strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-")
	if err != nil || signed || d > MaxDelay {
		return 0, fmt.Errorf("bad delay %q: want a Go duration between 0s and %s", s, MaxDelay)
	}
	return d, nil
}
