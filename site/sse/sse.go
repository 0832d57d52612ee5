// Package sse writes server-sent event streams (text/event-stream), the one-way channel on which
// `workbook serve` pushes to open pages: live reload (site/serve) and follow mode
// (site/classroom).
package sse

import (
	"io"
	"net/http"
	"time"
)

// The streams' timing: a comment every KeepAlive keeps proxies and phones from dropping a quiet
// stream; a write that cannot finish within WriteTimeout (a client that stopped reading) ends it.
const (
	KeepAlive    = 25 * time.Second
	WriteTimeout = 10 * time.Second
)

// Stream is one open event stream.
type Stream struct {
	w  io.Writer
	rc *http.ResponseController
}

// Open makes w an event stream: its headers are set (never stored by a cache), and the response
// starts with the first write.
func Open(w http.ResponseWriter) *Stream {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	return &Stream{w: w, rc: http.NewResponseController(w)}
}

// Event sends an event named name with data (one line, JSON here); it returns false when the
// client is gone or stalled, and the stream should end.
func (s *Stream) Event(name, data string) bool {
	return s.write("event: " + name + "\ndata: " + data + "\n\n")
}

// Comment sends a comment line, which clients ignore: a first byte that opens the stream, or a
// keep-alive. It returns false as Event does.
func (s *Stream) Comment(text string) bool { return s.write(": " + text + "\n\n") }

func (s *Stream) write(text string) bool {
	// Each write gets its own deadline, in place of the server's WriteTimeout, which would end
	// every stream at the same age. Recorders in tests cannot set one; that is fine.
	_ = s.rc.SetWriteDeadline(time.Now().Add(WriteTimeout))
	if _, err := io.WriteString(s.w, text); err != nil {
		return false
	}
	return s.rc.Flush() == nil
}
