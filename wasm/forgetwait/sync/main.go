// Forgetwait, the baseline: tasks run one after another, so by the time main
// returns every task has printed its done line.
package main

import (
	"flag"
	"fmt"
	"time"
)

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start\n", id)
	time.Sleep(delay)
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 5, "number of tasks")
	delay := flag.Duration("delay", 500*time.Millisecond, "how long each task waits")
	flag.Parse()

	start := time.Now()
	for i := 1; i <= *tasks; i++ {
		task(i, *delay)
	}
	fmt.Printf("main returns after %v\n", time.Since(start).Round(time.Millisecond))
}
