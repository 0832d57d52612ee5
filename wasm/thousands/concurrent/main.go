// Thousands: one goroutine per task. A goroutine starts with a small stack
// (a few KiB) that grows only when needed, so thousands of waiting ones are
// cheap; this program measures how cheap while they all sleep.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"
)

func task(id int, delay time.Duration) {
	fmt.Printf("task %d start\n", id)
	time.Sleep(delay)
	fmt.Printf("task %d done\n", id)
}

func main() {
	tasks := flag.Int("tasks", 40, "number of tasks")
	delay := flag.Duration("delay", 100*time.Millisecond, "how long each task waits")
	flag.Parse()

	var before, during runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task(i, *delay)
		}()
	}
	// Measured right after starting them all, while (most of) them sleep.
	running := runtime.NumGoroutine()
	runtime.ReadMemStats(&during)
	wg.Wait()
	used := (during.StackInuse + during.HeapAlloc) - (before.StackInuse + before.HeapAlloc)
	fmt.Printf("goroutines while working: %d\n", running)
	fmt.Printf("memory: %d KiB, about %d bytes per goroutine\n", used/1024, used/uint64(*tasks))
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
