// Starve: tasks that compute instead of wait. Each keeps the CPU busy for delay
// without ever blocking. A heartbeat goroutine tries to print every 100ms.
//
// Natively the heartbeat runs on another OS thread and keeps its rhythm. In
// the browser (js/wasm) there is only one thread and Go cannot interrupt a
// running loop there, so the heartbeat waits until main is done.
package main

import (
	"flag"
	"fmt"
	"time"
)

// work keeps the CPU busy for n rounds and returns how long that took.
func work(n int) time.Duration {
	t := time.Now()
	for i := 0; i < n; i++ {
		_ = time.Since(t)
	}
	return time.Since(t)
}

// calibrate finds how many rounds of work take d here, so every task does a
// fixed amount of computing. Watching the clock instead would be wrong: a
// loop that is paused still sees its time run out, and would hide the pause.
func calibrate(d time.Duration) int {
	n := 1000
	for work(n) < 20*time.Millisecond {
		n *= 2
	}
	return int(float64(n) * float64(d) / float64(work(n)))
}

func spin(id, n int) {
	fmt.Printf("task %d start: computing\n", id)
	work(n)
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 3, "number of tasks")
	delay := flag.Duration("delay", 500*time.Millisecond, "CPU time per task")
	flag.Parse()

	n := calibrate(*delay)
	start := time.Now()
	go func() {
		for range time.Tick(100 * time.Millisecond) {
			fmt.Printf("heartbeat at %v\n", time.Since(start).Round(time.Millisecond))
		}
	}()
	for i := 1; i <= *tasks; i++ {
		spin(i, n)
	}
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
