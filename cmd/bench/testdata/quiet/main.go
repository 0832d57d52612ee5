// Quiet is wasm/sleep/concurrent without its per-task lines: the bench runs it beside the
// example to separate what concurrency costs on one thread from what printing two lines per
// task costs (each line is a syscall through JavaScript under js/wasm).
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 5, "number of tasks")
	delay := flag.Duration("delay", time.Second, "how long each task waits")
	flag.Parse()

	start := time.Now()
	var wg sync.WaitGroup
	for range *tasks {
		wg.Go(func() { time.Sleep(*delay) })
	}
	wg.Wait()
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
