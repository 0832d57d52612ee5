// Race, fixed: a sync.Mutex held from the read to the write, the wait
// included, so no task reads the counter while another is between its read
// and its write. Every update counts, and this part is sequential again:
// tasks × delay. (An atomic add cannot help here: the value written depends
// on a value read a delay earlier.)
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

var (
	mu      sync.Mutex // guards counter
	counter int
)

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start\n", id)
	mu.Lock()
	defer mu.Unlock()
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
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task(i, *delay)
		}()
	}
	wg.Wait()
	fmt.Printf("expected %d, got %d\n", *tasks, counter)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
