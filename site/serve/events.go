package serve

import (
	_ "embed"
	"fmt"
	"net/http"
	"time"

	"unblocked/site/sse"
)

// internal is the folder under the base that serve answers itself; build never writes it.
const internal = "__workbook/"

// ReloadPath and EventsPath are the live-reload script and its event stream, under the base.
const (
	ReloadPath = internal + "reload.js"
	EventsPath = internal + "events"
)

//go:embed reload.js
var reloadJS []byte

// ReloadJS serves the live-reload script (reload.js).
func ReloadJS() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(reloadJS)
	})
}

type event struct {
	name string
	data string
}

func (s *Site) broadcast(e event) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- e:
		default: // a stuck page must not hold up the others; it reloads on reconnect
		}
	}
}

// subscribe adds a stream, or returns nil when maxStreams are open.
func (s *Site) subscribe() chan event {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	if len(s.subs) >= s.maxStreams {
		return nil
	}
	ch := make(chan event, 4)
	s.subs[ch] = struct{}{}
	return ch
}

func (s *Site) unsubscribe(ch chan event) {
	s.subMu.Lock()
	delete(s.subs, ch)
	s.subMu.Unlock()
}

// Events serves the event stream open pages listen to: "hello" with the current build's stamp
// on connect (a page from another build reloads), then "reload" after each good rebuild and
// "build-error" (JSON {"errors": ["path:line:col: msg", …]}) after a failed one, at connect too
// while the last build is failing. Streams end when the client goes, when a write stalls, and
// on Close.
func (s *Site) Events() http.Handler { return http.HandlerFunc(s.events) }

func (s *Site) events(w http.ResponseWriter, r *http.Request) {
	ch := s.subscribe()
	if ch == nil {
		w.Header().Set("Retry-After", "10")
		http.Error(w, fmt.Sprintf("too many open pages (%d)", s.maxStreams), http.StatusServiceUnavailable)
		return
	}
	defer s.unsubscribe(ch)
	stream := sse.Open(w)
	send := func(e event) bool { return stream.Event(e.name, e.data) }

	snap := s.snapshot()
	if !send(event{"hello", fmt.Sprintf(`{"build":%q}`, s.stamp(snap.gen))}) {
		return
	}
	if snap.errText != nil && !send(event{"build-error", errorsJSON(snap.errText)}) {
		return
	}
	tick := time.NewTicker(sse.KeepAlive)
	defer tick.Stop()
	for {
		select {
		case e := <-ch:
			if !send(e) {
				return
			}
		case <-tick.C:
			if !stream.Comment("keep-alive") {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}
