// Crawler: fetches lab pages concurrently but never more than -limit at once.
// errgroup's SetLimit makes g.Go wait for a free slot, so the server is not
// hit by every request at the same moment (a semaphore in one line). The lab
// server takes at most 10 requests at once: set -limit above that and it
// starts refusing pages, as it would refuse an unbounded crawler.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// serverLimit is how many requests the lab server behind these pages accepts
// at once; it answers any more with 503 Service Unavailable.
const serverLimit = 10

func main() {
	tasks := flag.Int("tasks", 10, "number of pages")
	delay := flag.Duration("delay", 500*time.Millisecond, "how long the server takes per page")
	limit := flag.Int("limit", 3, "at most this many requests at once")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	client := &http.Client{Timeout: 10 * time.Second} // a polite crawler also gives up on a server that hangs
	start := time.Now()
	var inFlight, refused atomic.Int32
	var g errgroup.Group
	g.SetLimit(*limit)
	for i := 1; i <= *tasks; i++ {
		g.Go(func() error {
			url := fmt.Sprintf("%slimit/%d/%v/page-%d", *base, serverLimit, *delay, i)
			fmt.Printf("task %d start (in flight: %d)\n", i, inFlight.Add(1))
			defer inFlight.Add(-1)
			resp, err := client.Get(url)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			n, err := io.Copy(io.Discard, resp.Body)
			if resp.StatusCode != http.StatusOK {
				refused.Add(1)
			}
			fmt.Printf("task %d done: %s, %d bytes\n", i, resp.Status, n)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d ok, %d refused by the server\n", *tasks-int(refused.Load()), refused.Load())
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
