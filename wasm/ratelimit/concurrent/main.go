// Rate limit and concurrency limit, side by side: a pool of -limit workers
// takes requests from a jobs channel, so at most -limit run at once (the
// concurrency limit), and every worker waits for the same ticker before it
// starts one, so at most one starts per 100 ms (the rate limit). Which of
// the two sets the pace depends on delay: long requests fill the pool,
// short ones wait for the ticker.
package main

import (
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// every is the rate limit: at most one request starts per interval.
const every = 100 * time.Millisecond

var inFlight atomic.Int32

func request(id int, delay time.Duration, since time.Duration) {
	fmt.Printf("task %d start at %v (in flight: %d)\n", id, since.Round(time.Millisecond), inFlight.Add(1))
	time.Sleep(delay) // the API at work
	inFlight.Add(-1)
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 15, "number of requests")
	delay := flag.Duration("delay", time.Second, "how long the API takes per request")
	limit := flag.Int("limit", 5, "at most this many requests at once")
	flag.Parse()

	start := time.Now()
	tick := time.NewTicker(every) // shared by all workers: one tick, one start
	defer tick.Stop()

	jobs := make(chan int)
	go func() {
		defer close(jobs) // no more jobs: each worker's range loop ends
		for i := 1; i <= *tasks; i++ {
			jobs <- i
		}
	}()

	var wg sync.WaitGroup
	for range *limit { // the concurrency limit: this many workers, no more
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				<-tick.C // the rate limit
				request(id, *delay, time.Since(start))
			}
		}()
	}
	wg.Wait()
	fmt.Printf("all %d requests done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
