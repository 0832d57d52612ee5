// Leak: every other task is slow (delay; the rest take a fifth of it). We
// start them all in goroutines, take the results that arrive within half of
// delay, and move on. The late tasks then send on a channel nobody reads any
// more: with an unbuffered channel they block forever, a leak that lives as
// long as the program. A buffer with room for every result lets each send
// complete, so each goroutine can finish.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

var stuck atomic.Int32 // goroutines that have not got past their send

func task(id string, d time.Duration) {
	fmt.Printf("task %s start\n", id)
	time.Sleep(d)
	fmt.Printf("task %s done\n", id)
}

func collect(name string, tasks int, delay time.Duration, results chan int) int {
	for i := 1; i <= tasks; i++ {
		stuck.Add(1)
		go func() {
			defer stuck.Add(-1)
			d := delay
			if i%2 == 1 {
				d /= 5
			}
			task(fmt.Sprintf("%s-%d", name, i), d)
			results <- i
		}()
	}
	got, timeout := 0, time.After(delay/2)
	for ; got < tasks; got++ {
		select {
		case <-results:
		case <-timeout:
			return got
		}
	}
	return got
}

func main() {
	tasks := flag.Int("tasks", 5, "number of tasks")
	delay := flag.Duration("delay", time.Second, "how long a slow task takes")
	flag.Parse()

	start := time.Now()
	for _, buffer := range []int{0, *tasks} {
		name := "unbuffered"
		if buffer > 0 {
			name = "buffered"
		}
		before := stuck.Load()
		got := collect(name, *tasks, *delay, make(chan int, buffer))
		time.Sleep(*delay) // every task has finished its work by now
		// In the browser NumGoroutine also counts one goroutine of the
		// runtime's own (it waits for JavaScript events), so it reads one more.
		fmt.Printf("%s: %d of %d results; goroutines stuck: %d (runtime.NumGoroutine: %d)\n",
			name, got, *tasks, stuck.Load()-before, runtime.NumGoroutine())
	}
	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
}
