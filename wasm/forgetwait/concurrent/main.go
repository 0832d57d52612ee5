// Forgetwait: starts a goroutine per task and then simply returns. When main
// returns the program ends, and goroutines still sleeping are dropped without
// a word: no done lines. (The fix is a sync.WaitGroup and wg.Wait() before
// returning; see the sleep example.)
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
		go task(i, *delay)
	}
	fmt.Printf("main returns after %v\n", time.Since(start).Round(time.Millisecond))
}
