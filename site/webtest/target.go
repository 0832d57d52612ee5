package webtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Handler is a Target that calls an http.Handler in-process, each request in its own goroutine.
// A request counts as taken up when the handler returns or calls TakenUp with its context —
// handlers that wait (the lab's delays) do that from a seam, so started requests are known to
// be in flight. Client names become addresses of their own in RemoteAddr (198.51.100.N); the
// default client is httptest's 192.0.2.1. A HEAD response has its body dropped, as a server
// would.
type Handler struct {
	h http.Handler

	mu      sync.Mutex
	clients map[string]int // name → N of its address
}

// NewHandler returns a Target calling h.
func NewHandler(h http.Handler) *Handler {
	return &Handler{h: h, clients: map[string]int{}}
}

type pendingKey struct{}

// pending is one request being answered by the handler.
type pending struct {
	taken chan struct{} // closed by TakenUp
	once  sync.Once
}

// TakenUp marks the request whose context (or a context derived from it) is ctx as in flight.
// It does nothing for contexts that did not come from this target.
func (ht *Handler) TakenUp(ctx context.Context) {
	if p, ok := ctx.Value(pendingKey{}).(*pending); ok {
		p.once.Do(func() { close(p.taken) })
	}
}

// Start implements Target.
func (ht *Handler) Start(ctx context.Context, req *Request) (func() (*Response, error), error) {
	var body io.Reader
	if req.Method == "POST" {
		body = strings.NewReader(req.Body)
	}
	p := &pending{taken: make(chan struct{})}
	r := httptest.NewRequestWithContext(context.WithValue(ctx, pendingKey{}, p), req.Method, req.URL, body)
	setHeader(r, req)
	if req.Method == "POST" {
		r.Header.Set("Content-Type", postType(req))
	}
	if req.Client != "" {
		r.RemoteAddr = ht.addr(req.Client)
	}
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		ht.h.ServeHTTP(rec, r)
	}()
	select {
	case <-p.taken:
	case <-done:
	case <-ctx.Done():
		<-done
		return nil, fmt.Errorf("not taken up: %v", ctx.Err())
	}
	return func() (*Response, error) {
		<-done
		res := rec.Result()
		b, _ := io.ReadAll(res.Body)
		if req.Method == "HEAD" {
			b = nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return &Response{Code: res.StatusCode, Header: res.Header, Body: b}, nil
	}, nil
}

func (ht *Handler) addr(client string) string {
	ht.mu.Lock()
	defer ht.mu.Unlock()
	n, ok := ht.clients[client]
	if !ok {
		n = len(ht.clients) + 1
		ht.clients[client] = n
	}
	return fmt.Sprintf("198.51.100.%d:1234", n)
}

// setHeader copies the script's request headers; Host is the request's host, not a header.
func setHeader(r *http.Request, req *Request) {
	for k, v := range req.Header {
		r.Header[k] = v
	}
	if h := req.Header.Get("Host"); h != "" {
		r.Host = h
		r.Header.Del("Host")
	}
}

func postType(req *Request) string {
	if req.PostType != "" {
		return req.PostType
	}
	return "text/plain; charset=utf-8"
}

// Server is a Target that sends requests over HTTP to a running server at URL (an origin,
// "http://127.0.0.1:PORT"). It asks for no compression itself and follows no redirects, so
// scripts see the headers as sent. A request counts as taken up when its response headers have
// arrived (a stream has begun). Client names are not supported: every request comes from here.
type Server struct {
	URL    string
	client *http.Client
}

// NewServer returns a Target for the server at origin.
func NewServer(origin string) *Server {
	return &Server{URL: strings.TrimSuffix(origin, "/"), client: &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Start implements Target.
func (s *Server) Start(ctx context.Context, req *Request) (func() (*Response, error), error) {
	if req.Client != "" {
		return nil, fmt.Errorf("client %q: a network target has one client", req.Client)
	}
	var body io.Reader
	if req.Method == "POST" {
		body = strings.NewReader(req.Body)
	}
	r, err := http.NewRequestWithContext(ctx, req.Method, s.URL+req.URL, body)
	if err != nil {
		return nil, err
	}
	setHeader(r, req)
	if req.Method == "POST" {
		r.Header.Set("Content-Type", postType(req))
	}
	res, err := s.client.Do(r)
	if err != nil {
		return nil, err
	}
	return func() (*Response, error) {
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			return nil, err
		}
		return &Response{Code: res.StatusCode, Header: res.Header, Body: b}, nil
	}, nil
}
