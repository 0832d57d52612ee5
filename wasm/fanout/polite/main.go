// Fanout, polite: the same pages, with errgroup's SetLimit keeping at most 5
// requests in flight. g.Go waits for a free slot before it starts the next
// goroutine, so no "start" line appears while five are running, the server
// (which takes 10 at once) never refuses one, and 30 pages take six rounds.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// serverLimit is how many requests the lab server behind these pages accepts
// at once; it answers any more with 503 Service Unavailable.
const serverLimit = 10

// inFlight is how many requests this program allows at once: below the
// server's limit, as a polite client should be.
const inFlight = 5

func main() {
	tasks := flag.Int("tasks", 30, "number of pages")
	delay := flag.Duration("delay", 200*time.Millisecond, "how long the server takes per page")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	client := &http.Client{Timeout: 10*time.Second + *delay}
	start := time.Now()
	var refused atomic.Int32
	var g errgroup.Group
	g.SetLimit(inFlight)
	for i := 1; i <= *tasks; i++ {
		g.Go(func() error {
			url := fmt.Sprintf("%slimit/%d/%v/page-%d", *base, serverLimit, *delay, i)
			fmt.Printf("task %d start\n", i)
			resp, err := client.Get(url)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				return fmt.Errorf("page %d: %w", i, err)
			}
			if resp.StatusCode == http.StatusServiceUnavailable {
				refused.Add(1)
				fmt.Printf("task %d done: %s, %s\n", i, resp.Status, strings.TrimSpace(string(body)))
				return nil
			}
			fmt.Printf("task %d done: %s\n", i, resp.Status)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		fmt.Println("error:", err)
	}
	fmt.Printf("%d ok, %d refused by the server\n", *tasks-int(refused.Load()), refused.Load())
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
