// Forgetwait, fixed: the same goroutines, and a sync.WaitGroup that main waits
// on before its last line, so every task finishes and the run takes about one
// delay, not tasks × delay.
package main

import (
	"flag"
	"fmt"
	"sync"
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
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Add(1) // before the go statement, so Wait cannot run ahead of it
		go func() {
			defer wg.Done()
			task(i, *delay)
		}()
	}
	wg.Wait()
	fmt.Printf("main returns after %v\n", time.Since(start).Round(time.Millisecond))
}
