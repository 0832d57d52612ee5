// Race, the baseline: each task reads a counter, waits a moment (as if it
// asked a database), and writes back the value plus one. One task at a time,
// every update lands.
package main

import (
	"flag"
	"fmt"
	"time"
)

var counter int

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start\n", id)
	v := counter
	time.Sleep(delay)
	counter = v + 1
	fmt.Printf("task %d done: wrote %d\n", id, v+1)
}

func main() {
	tasks := flag.Int("tasks", 5, "number of tasks")
	delay := flag.Duration("delay", 100*time.Millisecond, "pause between read and write")
	flag.Parse()

	start := time.Now()
	for i := 1; i <= *tasks; i++ {
		task(i, *delay)
	}
	fmt.Printf("expected %d, got %d\n", *tasks, counter)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
