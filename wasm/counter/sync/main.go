// Counter, the baseline: each task waits (the IO before an update) and then
// adds one to a counter ten million times. One goroutine does every task in
// turn, so nothing else touches the counter and every addition counts.
package main

import (
	"flag"
	"fmt"
	"time"
)

const adds = 10_000_000 // additions per task

var counter int

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start\n", id)
	time.Sleep(delay)
	for range adds {
		counter++
	}
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 4, "number of tasks")
	delay := flag.Duration("delay", 100*time.Millisecond, "how long each task waits before it counts")
	flag.Parse()

	start := time.Now()
	for i := 1; i <= *tasks; i++ {
		task(i, *delay)
	}
	want := *tasks * adds
	fmt.Printf("expected %d, got %d: %d additions lost\n", want, counter, want-counter)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
