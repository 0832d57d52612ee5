// Server, the baseline: the same clients, all at once, each on its own
// connection, and a server that handles one connection at a time, the way a
// blocking server without threads or an event loop does: accept a
// connection, read its request, do the work, answer, and only then accept
// the next. The clients queue up, and the waits add up.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 100, "number of clients, each on its own connection")
	delay := flag.Duration("delay", time.Second, "how long the server works on each request")
	flag.Parse()

	start := time.Now()
	ln := newPipeListener()
	served := 0
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for { // one connection at a time: accept, serve, close, repeat
			conn, err := ln.Accept()
			if err != nil {
				return // the listener was closed
			}
			served++
			serve(conn, *delay)
		}
	}()

	answered := clients(ln, *tasks)
	fmt.Printf("%d of %d clients answered; done in %v\n", answered, *tasks, time.Since(start).Round(time.Millisecond))
	ln.Close()
	<-stopped
	fmt.Printf("served %d connections in %v\n", served, time.Since(start).Round(time.Millisecond))
}

// serve answers the one request on conn: what http.Server does for each
// connection, without the goroutine.
func serve(conn net.Conn, delay time.Duration) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(delay + 30*time.Second)) // a silent client cannot hold the server for ever
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	id := strings.TrimPrefix(req.URL.Path, "/work/")
	fmt.Printf("task %s start\n", id)
	time.Sleep(delay) // the work, say a database query; nothing else is served meanwhile
	body := fmt.Sprintf("ok %s\n", id)
	resp := &http.Response{
		StatusCode: http.StatusOK, ProtoMajor: 1, ProtoMinor: 1, Close: true,
		ContentLength: int64(len(body)), Body: io.NopCloser(strings.NewReader(body)),
	}
	resp.Write(conn)
	fmt.Printf("task %s done\n", id)
}

// clients sends n requests at once, each on a connection of its own.
func clients(ln *pipeListener, n int) (answered int32) {
	client := &http.Client{Transport: &http.Transport{
		DialContext:       ln.DialContext, // also makes js/wasm use these connections, not fetch
		DisableKeepAlives: true,           // one request per connection
	}}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(fmt.Sprintf("http://memory/work/%d", i))
			if err != nil {
				fmt.Printf("client %d: %v\n", i, err)
				return
			}
			defer resp.Body.Close()
			if _, err := io.ReadAll(resp.Body); err == nil && resp.StatusCode == http.StatusOK {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	return ok.Load()
}

// pipeListener is a net.Listener in memory: DialContext makes a net.Pipe and
// hands the server's end to Accept.
type pipeListener struct {
	conns     chan net.Conn
	closed    chan struct{}
	closeOnce sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return memoryAddr{} }

func (l *pipeListener) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type memoryAddr struct{}

func (memoryAddr) Network() string { return "memory" }
func (memoryAddr) String() string  { return "memory" }
