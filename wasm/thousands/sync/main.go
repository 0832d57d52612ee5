// Thousands: the same small waits, one after another, on the main goroutine
// alone. Nothing extra is allocated, and the total is tasks × delay.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"time"
)

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start\n", id)
	time.Sleep(delay)
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 100, "number of tasks")
	delay := flag.Duration("delay", time.Second, "how long each task waits")
	flag.Parse()

	start := time.Now()
	fmt.Printf("goroutines while working: %d\n", runtime.NumGoroutine())
	for i := 1; i <= *tasks; i++ {
		task(i, *delay)
	}
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
