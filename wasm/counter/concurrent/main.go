// Counter, the mistake: the same tasks in goroutines, all adding to one
// counter with a plain counter++. That is a data race even though nothing
// waits between the read and the write: counter++ is a load, an add and a
// store, and two goroutines running at the same moment on two cores both
// load the same value. Natively additions are lost and `go run -race`
// reports the race. In the browser there is one thread and a running loop is
// never interrupted, so the count comes out right there: the bug is still
// in the program, only hidden. Fix it with a sync.Mutex around the
// increment, an atomic.Int64, or one goroutine that owns the counter.
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

const adds = 10_000_000 // additions per task

var counter int

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start\n", id)
	time.Sleep(delay)
	for range adds {
		counter++ // several goroutines at once: a data race
	}
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 4, "number of tasks")
	delay := flag.Duration("delay", 100*time.Millisecond, "how long each task waits before it counts")
	flag.Parse()

	start := time.Now()
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task(i, *delay)
		}()
	}
	wg.Wait()
	want := *tasks * adds
	fmt.Printf("expected %d, got %d: %d additions lost\n", want, counter, want-counter)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
