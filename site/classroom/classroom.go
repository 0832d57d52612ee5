// Package classroom is what `workbook serve` adds for a class in one room: the join page
// (B join/: the site's address, large and as a QR code, for the learners' phones) and follow
// mode (the presenter's page reports where it is; learners who follow are moved there over
// server-sent events, as live reload moves an author's pages).
//
// Routes, under the base path B:
//
//	B join/               the join page (GET): the LAN URL, its QR code (inline SVG), a line for learners
//	B join/follow         a learner starts following (GET): 303 to the presenter's page with ?follow
//	B join/card.json      the presenter's join card: {"url", "join", "qr" (SVG), "local", "followers"}
//	B __workbook/follow   the follow stream (GET, text/event-stream): "move" {"url"}; with ?presenter,
//	                      "followers" {"n"} instead (the presenter's count; not counted itself)
//	B __workbook/present  the presenter's page reports where it is (POST, JSON {"url"})
//
// Nothing about a learner is stored or sent anywhere: the server counts open follow streams, and
// the only state is the presenter's URL. The present endpoint trusts no request for coming from
// loopback: the Origin must be the server's own, the body JSON of at most MaxBody bytes, the URL a
// path under B, and updates are rate-limited; on top of that only the presenter's machine may
// present (Options.Presenter).
package classroom

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"unblocked/internal/hostaddr"
	"unblocked/site/sse"
)

// MaxBody bounds a present request's body; MaxURL the URL it names.
const (
	MaxBody = 2 << 10
	MaxURL  = 1 << 10
)

// maxStreams bounds open follow streams (a class's phones, and a bound on what one client holds).
const maxStreams = 512

// Rate of present updates: a presenter stepping fast through sections sends a few a second.
const (
	rateBurst = 20
	ratePerS  = 10
)

// Options configures a Room.
type Options struct {
	Base string // URL base path, "/" or "/sub/"
	// URLs returns the site's addresses for other devices ("http://192.168.1.5:8080/"), known
	// once the server listens; empty when it listens on loopback only.
	URLs func() []string
	// Presenter reports whether a request comes from a device that may present; default: the
	// server's own machine (a loopback peer). It is an extra condition, never a substitute for
	// the origin, size and rate checks.
	Presenter func(*http.Request) bool
	// Subscribed, when set, is called with a stream's request context once it counts (a seam for
	// script tests: site/webtest's TakenUp).
	Subscribed func(context.Context)
}

// Room is one classroom: the presenter's place and the streams that follow it.
type Room struct {
	opt Options

	mu         sync.Mutex
	current    string // the presenter's URL, "" until it reports
	followers  map[chan string]struct{}
	presenters map[chan int]struct{}
	tokens     float64
	lastFill   time.Time
	now        func() time.Time // the rate limiter's clock (tests stop it)

	done chan struct{}
	once sync.Once
}

// New returns an empty room.
func New(opt Options) *Room {
	if opt.Base == "" {
		opt.Base = "/"
	}
	if opt.URLs == nil {
		opt.URLs = func() []string { return nil }
	}
	if opt.Presenter == nil {
		opt.Presenter = func(req *http.Request) bool { return hostaddr.LoopbackPeer(req.RemoteAddr) }
	}
	return &Room{
		opt:        opt,
		followers:  map[chan string]struct{}{},
		presenters: map[chan int]struct{}{},
		tokens:     rateBurst,
		now:        time.Now,
		done:       make(chan struct{}),
	}
}

// Close ends every stream (shutdown).
func (r *Room) Close() { r.once.Do(func() { close(r.done) }) }

// Followers is how many follow streams are open.
func (r *Room) Followers() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.followers)
}

// Current is the presenter's last reported URL ("" before the first).
func (r *Room) Current() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.current
}

// Mount adds the room's routes to mux.
func (r *Room) Mount(mux *http.ServeMux) {
	b := r.opt.Base
	mux.HandleFunc("GET "+b+"join/{$}", r.join)
	mux.HandleFunc("GET "+b+"join/join.css", serveCSS)
	mux.HandleFunc("GET "+b+"join/follow", r.startFollowing)
	mux.HandleFunc("GET "+b+"join/card.json", r.joinCard)
	mux.HandleFunc("GET "+b+"__workbook/follow", r.stream)
	mux.HandleFunc(b+"__workbook/present", r.present)
}

// startFollowing sends a learner to where the presenter is, marked to follow (?follow, which the
// page's follow.js takes off the address again).
func (r *Room) startFollowing(w http.ResponseWriter, req *http.Request) {
	to := r.Current()
	if to == "" {
		to = r.opt.Base
	}
	u, _ := url.Parse(to) // cleanURL made it
	if u.RawQuery != "" {
		u.RawQuery += "&"
	}
	u.RawQuery += "follow"
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, req, u.String(), http.StatusSeeOther)
}

// present takes the presenter's new place and moves every follower there.
func (r *Room) present(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	if msg := crossSite(req); msg != "" {
		http.Error(w, msg, http.StatusForbidden)
		return
	}
	if !r.opt.Presenter(req) {
		http.Error(w, "only the machine running workbook serve can present", http.StatusForbidden)
		return
	}
	if ct := req.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		http.Error(w, "send JSON (Content-Type: application/json)", http.StatusUnsupportedMediaType)
		return
	}
	if req.ContentLength > MaxBody {
		http.Error(w, fmt.Sprintf("body larger than %d bytes", MaxBody), http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, MaxBody))
	if err != nil {
		http.Error(w, fmt.Sprintf("body larger than %d bytes", MaxBody), http.StatusRequestEntityTooLarge)
		return
	}
	var msg struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		http.Error(w, "body: "+err.Error(), http.StatusBadRequest)
		return
	}
	to, err := r.cleanURL(msg.URL)
	if err != nil {
		http.Error(w, "url: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !r.take() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many updates; slow down", http.StatusTooManyRequests)
		return
	}
	n := r.move(to)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"followers":%d}`+"\n", n)
}

// crossSite explains why a request from another site's page is refused, or returns "".
// Browsers send Origin on every POST and Sec-Fetch-Site on every request; a page elsewhere
// (or one on a name rebound to this machine) cannot forge either.
func crossSite(req *http.Request) string {
	if s := req.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" {
		return "cross-site request refused (Sec-Fetch-Site: " + s + ")"
	}
	o := req.Header.Get("Origin")
	if o == "" {
		return "request without Origin refused"
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Host, req.Host) {
		return "cross-origin request refused (Origin " + o + ")"
	}
	return ""
}

// cleanURL accepts a path under the base with its query and fragment, nothing else (no other
// host, no scheme, no server internals).
func (r *Room) cleanURL(s string) (string, error) {
	if s == "" || len(s) > MaxURL {
		return "", fmt.Errorf("want a path of 1 to %d bytes", MaxURL)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	switch {
	case u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "":
		return "", fmt.Errorf("%q is not a path on this site", s)
	case !strings.HasPrefix(u.Path, r.opt.Base) || strings.Contains(u.Path, "//") || strings.Contains(u.Path, "/../"):
		return "", fmt.Errorf("%q is not under %s", s, r.opt.Base)
	case strings.HasPrefix(u.Path, r.opt.Base+"__workbook/") || strings.HasPrefix(u.Path, r.opt.Base+"join/"):
		return "", fmt.Errorf("%q is not a page to follow", s)
	case strings.ContainsAny(s, "\r\n\x00"):
		return "", fmt.Errorf("control characters in the URL")
	}
	q := u.Query()
	q.Del("present")
	q.Del("follow")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// take spends one update from the token bucket.
func (r *Room) take() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.lastFill.IsZero() {
		r.tokens = min(rateBurst, r.tokens+now.Sub(r.lastFill).Seconds()*ratePerS)
	}
	r.lastFill = now
	if r.tokens < 1 {
		return false
	}
	r.tokens--
	return true
}

// move records the presenter's place and sends it to every follower; it returns their count.
func (r *Room) move(to string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current = to
	for ch := range r.followers {
		select {
		case <-ch: // an undelivered older place is replaced: only the latest matters
		default:
		}
		select {
		case ch <- to:
		default:
		}
	}
	return len(r.followers)
}

// stream is a follower's (or, with ?presenter, the presenter's) event stream.
func (r *Room) stream(w http.ResponseWriter, req *http.Request) {
	presenter := req.URL.Query().Has("presenter")
	var moves chan string
	var counts chan int
	r.mu.Lock()
	if len(r.followers)+len(r.presenters) >= maxStreams {
		r.mu.Unlock()
		w.Header().Set("Retry-After", "10")
		http.Error(w, fmt.Sprintf("too many followers (%d)", maxStreams), http.StatusServiceUnavailable)
		return
	}
	if presenter {
		counts = make(chan int, 1)
		r.presenters[counts] = struct{}{}
	} else {
		moves = make(chan string, 1)
		r.followers[moves] = struct{}{}
	}
	current, n := r.current, len(r.followers)
	if !presenter {
		r.notifyLocked()
	}
	r.mu.Unlock()
	if r.opt.Subscribed != nil {
		r.opt.Subscribed(req.Context())
	}
	defer func() {
		r.mu.Lock()
		delete(r.presenters, counts)
		if !presenter {
			delete(r.followers, moves)
			r.notifyLocked()
		}
		r.mu.Unlock()
	}()

	stream := sse.Open(w)
	move := func(to string) bool {
		b, _ := json.Marshal(map[string]string{"url": to})
		return stream.Event("move", string(b))
	}
	count := func(n int) bool { return stream.Event("followers", `{"n":`+strconv.Itoa(n)+`}`) }

	var opened bool
	switch {
	case presenter:
		opened = count(n)
	case current != "":
		opened = move(current)
	default:
		opened = stream.Comment("hello")
	}
	if !opened {
		return
	}
	tick := time.NewTicker(sse.KeepAlive)
	defer tick.Stop()
	for {
		select {
		case to := <-moves:
			if !move(to) {
				return
			}
		case n := <-counts:
			if !count(n) {
				return
			}
		case <-tick.C:
			if !stream.Comment("keep-alive") {
				return
			}
		case <-req.Context().Done():
			return
		case <-r.done:
			return
		}
	}
}

// notifyLocked sends the follower count to the presenters' streams (r.mu held).
func (r *Room) notifyLocked() {
	n := len(r.followers)
	for ch := range r.presenters {
		select {
		case <-ch:
		default:
		}
		select {
		case ch <- n:
		default:
		}
	}
}
