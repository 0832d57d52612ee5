// Ticker: the same slow calls, one after another, but in their own goroutine.
// Main is free to wait on two things at once with select: the next tick and
// the end of the work, so the heartbeat keeps its rhythm. The calls take just
// as long as before; what changes is that main is never stuck inside one.
package main

import (
	"flag"
	"fmt"
	"time"
)

func slowCall(id int, delay time.Duration) {
	fmt.Printf("task %d start: slow call of %v\n", id, delay)
	time.Sleep(delay)
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 3, "number of slow calls")
	delay := flag.Duration("delay", 500*time.Millisecond, "how long each call takes")
	flag.Parse()

	start := time.Now()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	done := make(chan struct{})
	go func() {
		for i := 1; i <= *tasks; i++ {
			slowCall(i, *delay)
		}
		close(done)
	}()
	beats := 0
	for {
		select {
		case <-tick.C:
			beats++
			fmt.Printf("heartbeat at %v\n", time.Since(start).Round(time.Millisecond))
		case <-done:
			fmt.Printf("all %d tasks done in %v with %d heartbeats\n", *tasks, time.Since(start).Round(time.Millisecond), beats)
			return
		}
	}
}
