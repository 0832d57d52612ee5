//go:build unix

package main

import (
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// workbook serve as a user runs it: it serves compressed pages with the security headers, and
// Ctrl-C (SIGINT) with a request in flight ends it with status 0.
func TestServeUntilInterrupt(t *testing.T) {
	root := fixtureRepo(t)
	out := &lines{ch: make(chan string, 100)}
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "-root", root, "-addr", "127.0.0.1:0", "-cache", t.TempDir()}, io.Discard, out)
	}()
	var url string
	for url == "" {
		select {
		case l := <-out.ch:
			if rest, ok := strings.CutPrefix(l, "serving "); ok {
				url, _, _ = strings.Cut(rest, " ")
			}
		case c := <-code:
			t.Fatalf("serve exited with %d before serving", c)
		}
	}
	req, _ := http.NewRequest("GET", url+"en/one/", nil)
	req.Header.Set("Accept-Encoding", "br")
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "br" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("page: %d %v", resp.StatusCode, resp.Header)
	}
	// a lab request in flight when the interrupt comes
	inFlight := make(chan error, 1)
	go func() {
		resp, err := http.Get(url + "lab/delay/30s/x")
		if err == nil {
			resp.Body.Close()
		}
		inFlight <- err
	}()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit status %d after Ctrl-C, want 0", c)
		}
	case <-time.After(20 * time.Second): // far below the lab's 30 s: the drain is bounded
		t.Fatal("serve still running after Ctrl-C")
	}
	<-inFlight
}
