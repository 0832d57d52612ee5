// Sleep runs tasks one after another. Each waits for delay, the way a program
// waits for a network or a disk, so the total is tasks × delay.
package main

import (
	"flag"
	"fmt"
	"time"
)

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start: sleeping %v\n", id, delay)
	time.Sleep(delay)
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 5, "number of tasks")
	delay := flag.Duration("delay", time.Second, "how long each task waits")
	flag.Parse()

	start := time.Now()
	for i := 1; i <= *tasks; i++ {
		task(i, *delay)
	}
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
