package lab

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	srv := httptest.NewServer(http.StripPrefix("/lab/", Handler()))
	defer srv.Close()

	start := time.Now()
	resp, err := http.Get(srv.URL + "/lab/delay/120ms/page-3")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if took := time.Since(start); took < 120*time.Millisecond {
		t.Errorf("answered after %v, want at least 120ms", took)
	}
	if resp.StatusCode != 200 || string(body) != "ok page-3\n" {
		t.Errorf("got %d %q, want 200 \"ok page-3\\n\"", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
}

func TestBadRequests(t *testing.T) {
	h := http.StripPrefix("/lab/", Handler())
	for path, want := range map[string]int{
		"/lab/delay/abc/x":   400,
		"/lab/delay/31s/x":   400,
		"/lab/delay/-1s/x":   400,
		"/lab/other/1s/x":    404,
		"/lab/delay/0s/a/b":  200,
		"/lab/fail/abc/x":    400,
		"/lab/fail/0s/x":     500,
		"/lab/limit/0/1s/x":  400,
		"/lab/limit/x/1s/x":  400,
		"/lab/limit/1001/0s": 400,
		"/lab/limit/2/31s/x": 400,
		"/lab/limit/2/0s/x":  200,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, want)
		}
		if path == "/lab/delay/0s/a/b" && rec.Body.String() != "ok a/b\n" {
			t.Errorf("GET %s: body %q", path, rec.Body.String())
		}
	}
}

// A client that gives up must free the handler at once, or a timeout example
// would leave requests sleeping on the server.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("GET", "/lab/delay/30s/x", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		http.StripPrefix("/lab/", Handler()).ServeHTTP(rec, req)
		close(done)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("handler still waiting after the request was cancelled")
	}
}

func TestFail(t *testing.T) {
	srv := httptest.NewServer(http.StripPrefix("/lab/", Handler()))
	defer srv.Close()
	start := time.Now()
	resp, err := http.Get(srv.URL + "/lab/fail/80ms/page-2")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if took := time.Since(start); took < 80*time.Millisecond {
		t.Errorf("answered after %v, want at least 80ms", took)
	}
	if resp.StatusCode != 500 || string(body) != "fail page-2\n" {
		t.Errorf("got %d %q, want 500 \"fail page-2\\n\"", resp.StatusCode, body)
	}
}

// limit/<n>/…: the (n+1)th request in flight is refused at once; a finished one frees its place;
// other clients have places of their own.
func TestLimit(t *testing.T) {
	h := http.StripPrefix("/lab/", Handler())
	get := func(client, path string) chan *httptest.ResponseRecorder {
		ch := make(chan *httptest.ResponseRecorder, 1)
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = client + ":1234"
		go func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			ch <- rec
		}()
		return ch
	}
	a1, a2 := get("10.0.0.1", "/lab/limit/2/300ms/a1"), get("10.0.0.1", "/lab/limit/2/300ms/a2")
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	a3 := <-get("10.0.0.1", "/lab/limit/2/300ms/a3")
	if a3.Code != 503 || a3.Body.String() != "busy: this server takes at most 2 requests at once\n" || time.Since(start) > 100*time.Millisecond {
		t.Errorf("third at once: %d %q after %v, want 503 at once", a3.Code, a3.Body.String(), time.Since(start))
	}
	b := get("10.0.0.2", "/lab/limit/2/10ms/b") // another client
	if r := <-b; r.Code != 200 {
		t.Errorf("another client: %d %q", r.Code, r.Body.String())
	}
	for _, ch := range []chan *httptest.ResponseRecorder{a1, a2} {
		if r := <-ch; r.Code != 200 || !strings.HasPrefix(r.Body.String(), "ok a") {
			t.Errorf("first two: %d %q", r.Code, r.Body.String())
		}
	}
	if r := <-get("10.0.0.1", "/lab/limit/2/0s/a4"); r.Code != 200 || r.Body.String() != "ok a4\n" {
		t.Errorf("after the first two finished: %d %q", r.Code, r.Body.String())
	}
}
