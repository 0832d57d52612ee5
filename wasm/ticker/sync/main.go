// Ticker: a heartbeat is due every 100ms, but the slow calls run on the same
// goroutine, so the heartbeat only gets a turn between calls. The ticker keeps
// ticking meanwhile; its channel holds just one missed tick, the rest are lost.
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
	beats := 0
	for i := 1; i <= *tasks; i++ {
		slowCall(i, *delay)
		select {
		case <-tick.C:
			beats++
			fmt.Printf("heartbeat at %v\n", time.Since(start).Round(time.Millisecond))
		default:
		}
	}
	fmt.Printf("all %d tasks done in %v with %d heartbeats\n", *tasks, time.Since(start).Round(time.Millisecond), beats)
}
