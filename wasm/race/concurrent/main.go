// Race: the same read, wait, write — in goroutines. All of them read the
// counter before any writes it back, so they all write the same value and
// updates are lost. `go run -race` reports the data race; the fix is a
// sync.Mutex held from the read to the write (waiting included), which makes
// this part sequential again.
package main

import (
	"flag"
	"fmt"
	"sync"
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
