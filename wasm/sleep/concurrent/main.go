// Sleep runs every task in its own goroutine. While one waits, the others
// wait too, so the total is about one delay, however many tasks there are.
package main

import (
	"flag"
	"fmt"
	"sync"
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
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		// Since Go 1.25, wg.Go(func() { task(i, *delay) }) does the same. The
		// long form shows what Wait counts: one Add per goroutine, one Done each.
		wg.Add(1)
		go func() {
			defer wg.Done()
			task(i, *delay)
		}()
	}
	wg.Wait()
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
