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

func main() {
	tasks := flag.Int("tasks", 100, "number of tasks")
	delay := flag.Duration("delay", time.Second, "how long each task waits")
	flag.Parse()

	var before, during runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var asleep, finished sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		asleep.Add(1)
		finished.Add(1)
		go func() {
			defer finished.Done()
			fmt.Printf("task %d start\n", i)
			asleep.Done()
			time.Sleep(*delay)
			fmt.Printf("task %d done\n", i)
		}()
	}
	// On one thread (GOMAXPROCS=1 in the browser) no goroutine has even run
	// yet at this point. Measure once every one of them has started and gone
	// to sleep, which is the state this program is about. (With a delay
	// shorter than it takes to start them all, the first ones have finished
	// by then, and fewer are counted.)
	asleep.Wait()
	// In the workbook's page this counts one goroutine more: the one that
	// records the run's execution trace for the scheduler view.
	running := runtime.NumGoroutine()
	runtime.ReadMemStats(&during)
	finished.Wait()
	used := (during.StackInuse + during.HeapAlloc) - (before.StackInuse + before.HeapAlloc)
	fmt.Printf("goroutines while working: %d\n", running)
	fmt.Printf("memory: %d KiB, about %d bytes per goroutine\n", used/1024, used/uint64(*tasks))
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
