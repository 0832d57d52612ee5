// Leak, the baseline: every other task is slow (delay; the rest take a fifth
// of it), and we only wait for results for half of delay. Without goroutines,
// stopping is simple: tasks not yet started never start, and nothing is left
// behind.
package main

import (
	"flag"
	"fmt"
	"time"
)

func task(id string, d time.Duration) {
	fmt.Printf("task %s start\n", id)
	time.Sleep(d)
	fmt.Printf("task %s done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 5, "number of tasks")
	delay := flag.Duration("delay", time.Second, "how long a slow task takes")
	flag.Parse()

	start := time.Now()
	got := 0
	for i := 1; i <= *tasks && time.Since(start) < *delay/2; i++ {
		d := *delay
		if i%2 == 1 {
			d /= 5
		}
		task(fmt.Sprint(i), d)
		got++
	}
	fmt.Printf("%d of %d results; no goroutines, so none left behind\n", got, *tasks)
	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
}
