// Pipeline, the baseline: the same sensor, a reading every 100 ms, and one
// loop that takes a reading and processes it before it takes the next.
// While the loop is busy the sensor keeps ticking, and time.Ticker does what
// it says it does for a slow receiver: it drops ticks. The loop never sees
// those readings, and the ones it does see are late.
package main

import (
	"flag"
	"fmt"
	"time"
)

// every is how often a reading arrives.
const every = 100 * time.Millisecond

func main() {
	tasks := flag.Int("tasks", 20, "readings to collect")
	delay := flag.Duration("delay", 300*time.Millisecond, "how long processing one reading takes")
	limit := flag.Int("limit", 4, "number of workers")
	flag.Parse()
	_ = limit // one loop, no workers

	start := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	collected, dropped, last := 0, 0, 0
	lag := time.Duration(0)
	for collected < *tasks {
		t := <-tick.C
		at := t.Sub(start)
		id := int((at + every/2) / every) // which reading this tick is
		if missed := id - last - 1; missed > 0 {
			dropped += missed
			fmt.Printf("readings %d to %d dropped: the loop was busy\n", last+1, id-1)
		}
		last = id
		fmt.Printf("task %d start (taken at %v)\n", id, at.Round(time.Millisecond))
		time.Sleep(*delay) // the processing
		l := time.Since(start) - at
		fmt.Printf("task %d done: %v after it was taken\n", id, l.Round(time.Millisecond))
		collected++
		lag += l
	}
	fmt.Printf("collected %d readings, on average %v after they were taken; %d dropped\n",
		collected, (lag / time.Duration(collected)).Round(time.Millisecond), dropped)
	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
}
