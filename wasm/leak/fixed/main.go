// Leak, fixed: the same rounds, and the channel may stay unbuffered. Each
// collecting round has a done channel that it closes when its time is up; a
// late goroutine sends with a select on its result and on done, so once done
// is closed it gives up its send and ends. No round leaves a goroutine stuck.
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
	done := make(chan struct{})
	defer close(done) // when this round stops listening, every late sender gives up
	for i := 1; i <= tasks; i++ {
		stuck.Add(1)
		go func() {
			defer stuck.Add(-1)
			d := delay
			if i%2 == 1 {
				d /= 5
			}
			task(fmt.Sprintf("%s-%d", name, i), d)
			select {
			case results <- i:
			case <-done:
			}
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
