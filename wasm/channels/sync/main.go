// Channels: tasks take different times (the first is the slowest). Run one
// after another, their results come back in input order.
package main

import (
	"flag"
	"fmt"
	"time"
)

func task(id int, d time.Duration) int {
	fmt.Printf("task %d start: working for %v\n", id, d)
	time.Sleep(d)
	fmt.Printf("task %d done\n", id)
	return id
}

func main() {
	tasks := flag.Int("tasks", 5, "number of tasks")
	delay := flag.Duration("delay", time.Second, "how long the slowest task takes")
	flag.Parse()

	start := time.Now()
	var order []int
	for i := 1; i <= *tasks; i++ {
		d := (*delay * time.Duration(*tasks-i+1) / time.Duration(*tasks)).Round(time.Millisecond)
		order = append(order, task(i, d))
	}
	fmt.Printf("results in order: %v\n", order)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
