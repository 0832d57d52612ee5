// Server: an http.Server and its clients in one program. The clients dial
// an in-memory listener (net.Pipe), so this runs in a browser tab, where a
// program cannot open a socket, and there net/http uses these connections
// instead of the browser's fetch because the Transport has a DialContext.
// Every connection gets a goroutine of its own from http.Server, so while
// each request waits delay (the "database"), the others are served; on one
// thread, thousands of connections take about one delay. A handler that
// waits also watches r.Context(), which is cancelled when the client goes
// away or the server shuts down, so nobody's work goes on for nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
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
	var served atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /work/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		fmt.Printf("task %s start\n", id)
		select {
		case <-time.After(*delay): // the work, say a database query
			fmt.Fprintf(w, "ok %s\n", id)
			fmt.Printf("task %s done\n", id)
		case <-r.Context().Done(): // the client went away, or the server is closing: stop
			fmt.Printf("task %s done: cancelled (%v)\n", id, r.Context().Err())
		}
	})
	srv := &http.Server{
		Handler: mux,
		// Timeouts, so a slow or silent client cannot hold a connection for
		// ever. Generous ones: on one thread, thousands of clients take
		// seconds just to send their requests.
		ReadHeaderTimeout: 30 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      *delay + 30*time.Second,
		IdleTimeout:       60 * time.Second,
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				served.Add(1)
			}
		},
	}
	go srv.Serve(ln) // one goroutine per connection, started by Serve

	answered := clients(ln, *tasks)
	fmt.Printf("%d of %d clients answered; done in %v\n", answered, *tasks, time.Since(start).Round(time.Millisecond))
	srv.Shutdown(context.Background()) // waits for every handler to return
	fmt.Printf("served %d connections in %v\n", served.Load(), time.Since(start).Round(time.Millisecond))
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
