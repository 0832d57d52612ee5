package sse

import (
	"net/http/httptest"
	"testing"
)

func TestStream(t *testing.T) {
	rec := httptest.NewRecorder()
	s := Open(rec)
	if !s.Comment("hello") || !s.Event("move", `{"url":"/a/"}`) {
		t.Fatal("a write to a recorder failed")
	}
	if ct, cc := rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"); ct != "text/event-stream" || cc != "no-store" {
		t.Errorf("headers %q, %q", ct, cc)
	}
	if want := ": hello\n\nevent: move\ndata: {\"url\":\"/a/\"}\n\n"; rec.Body.String() != want || !rec.Flushed {
		t.Errorf("body %q (flushed %v), want %q flushed", rec.Body.String(), rec.Flushed, want)
	}
}
