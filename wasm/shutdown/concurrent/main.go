// Shutdown, gracefully: signal.NotifyContext turns Ctrl-C into a cancelled
// context, and on it srv.Shutdown stops accepting connections, waits for the
// requests in flight to finish, and only then returns, with a deadline of
// its own in case one never does. A browser tab has no Ctrl-C, so the
// program presses it itself, half-way through the requests; natively a real
// Ctrl-C works too.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 5, "number of clients, each on its own connection")
	delay := flag.Duration("delay", time.Second, "how long the server works on each request")
	flag.Parse()

	start := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt) // Ctrl-C cancels ctx
	defer stop()
	ctx, pressCtrlC := context.WithCancel(ctx)
	time.AfterFunc(*delay/2, pressCtrlC) // the browser has no Ctrl-C: press it half-way through

	ln := newPipeListener()
	srv := &http.Server{Handler: handler(*delay), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	answered := make(chan int32)
	go func() { answered <- clients(ln, *tasks) }()

	<-ctx.Done()
	fmt.Printf("^C after %v: shutting down; the requests in flight may finish\n", time.Since(start).Round(time.Millisecond))
	grace, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil { // stops accepting, waits for the handlers
		fmt.Printf("shutdown: %v; closing what is left\n", err)
		srv.Close()
	}
	fmt.Printf("server stopped after %v\n", time.Since(start).Round(time.Millisecond))
	fmt.Printf("%d of %d requests answered; done in %v\n", <-answered, *tasks, time.Since(start).Round(time.Millisecond))
}

// handler works delay on each request, unless the request is cancelled.
func handler(delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
			fmt.Fprintf(w, "ok %s", strings.TrimPrefix(r.URL.Path, "/work/"))
		case <-r.Context().Done(): // the connection was closed under us
		}
	})
}

// clients sends n requests at once, each on a connection of its own.
func clients(ln *pipeListener, n int) (answered int32) {
	client := &http.Client{Transport: &http.Transport{
		DialContext:       ln.DialContext, // also makes js/wasm use these connections, not fetch
		DisableKeepAlives: true,
	}}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Printf("task %d start\n", i)
			resp, err := client.Get(fmt.Sprintf("http://memory/work/%d", i))
			if err != nil {
				fmt.Printf("task %d done: %v\n", i, err)
				return
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				fmt.Printf("task %d done: %v\n", i, err)
				return
			}
			ok.Add(1)
			fmt.Printf("task %d done: %s\n", i, body)
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
