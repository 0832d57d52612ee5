package lab

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"unblocked/site/webtest"
)

// The lab's behaviour is the script in testdata/lab.txt; e2e/lab_test.go runs the same file
// against lab.js in a browser worker.
func TestScript(t *testing.T) {
	h := newHandler()
	target := webtest.NewHandler(http.StripPrefix("/lab", h))
	h.sleep = func(ctx context.Context, d time.Duration) bool {
		target.TakenUp(ctx) // admitted and waiting: in flight
		return sleep(ctx, d)
	}
	webtest.Test(t, "testdata/*.txt", target)
}

// Each endpoint waits exactly the duration in its URL, and answers only after it.
func TestWaitsItsDelay(t *testing.T) {
	for path, want := range map[string]time.Duration{
		"/delay/120ms/page-3": 120 * time.Millisecond,
		"/fail/1.5s/x":        1500 * time.Millisecond,
		"/limit/2/30s/x":      MaxDelay,
		"/delay/0/x":          0,
	} {
		h := newHandler()
		asked, release := make(chan time.Duration, 1), make(chan struct{})
		h.sleep = func(ctx context.Context, d time.Duration) bool {
			asked <- d
			<-release
			return true
		}
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			close(done)
		}()
		if d := <-asked; d != want {
			t.Errorf("GET %s waited %v, want %v", path, d, want)
		}
		select {
		case <-done:
			t.Errorf("GET %s answered before its delay was over", path)
		default:
		}
		close(release)
		<-done
		if rec.Code/100 != 2 && rec.Code != 500 || rec.Body.Len() == 0 {
			t.Errorf("GET %s: %d %q", path, rec.Code, rec.Body.String())
		}
	}
}

// A client that gives up frees the handler at once, or a timeout example would leave requests
// sleeping on the server.
func TestCancelEndsTheWait(t *testing.T) {
	h := newHandler()
	waiting := make(chan struct{})
	h.sleep = func(ctx context.Context, d time.Duration) bool {
		close(waiting)
		return sleep(ctx, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/limit/1/30s/x", nil).WithContext(ctx))
		close(done)
	}()
	<-waiting
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second): // a failure deadline, far below the 30 s asked for
		t.Fatal("handler still waiting after the request was cancelled")
	}
	if rec.Body.Len() != 0 {
		t.Errorf("a cancelled request got %q", rec.Body.String())
	}
	if len(h.inFlight) != 0 {
		t.Errorf("places still taken: %v", h.inFlight)
	}
}
