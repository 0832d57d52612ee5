package lab

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
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
		"/lab/delay/abc/x":  400,
		"/lab/delay/31s/x":  400,
		"/lab/delay/-1s/x":  400,
		"/lab/other/1s/x":   404,
		"/lab/delay/0s/a/b": 200,
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
