// Concurrent sleeping tasks (fixture for the e2e tests).
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 5, "tasks")
	delay := flag.Duration("delay", time.Second, "delay")
	flag.Parse()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Go(func() {
			fmt.Printf("task %d start\n", i)
			time.Sleep(*delay)
			fmt.Printf("task %d done\n", i)
		})
	}
	wg.Wait()
	fmt.Printf("all %d tasks in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
