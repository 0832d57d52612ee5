// Rate limit, the baseline: a polite client of an API that allows 10
// requests per second. One request at a time, each taking delay, and a
// ticker that lets a request start at most every 100 ms. With a delay of a
// second the rate limit never matters: one request at a time is slower
// than ten per second anyway.
package main

import (
	"flag"
	"fmt"
	"time"
)

// every is the rate limit: at most one request starts per interval.
const every = 100 * time.Millisecond

func request(id int, delay time.Duration, since time.Duration) {
	fmt.Printf("task %d start at %v\n", id, since.Round(time.Millisecond))
	time.Sleep(delay) // the API at work
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 15, "number of requests")
	delay := flag.Duration("delay", time.Second, "how long the API takes per request")
	limit := flag.Int("limit", 5, "at most this many requests at once")
	flag.Parse()
	_ = limit // one request at a time here

	start := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := 1; i <= *tasks; i++ {
		<-tick.C // the rate limit: wait for the next tick before starting
		request(i, *delay, time.Since(start))
	}
	fmt.Printf("all %d requests done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
