// Channels, closed: main ranges over the results channel, and one more
// goroutine closes it once the senders' WaitGroup says every send is done.
// The senders never close it themselves: a send on a closed channel panics,
// and no sender knows whether it is the last. After the last result the
// range ends, and main prints them in the order the tasks finished.
package main

import (
	"flag"
	"fmt"
	"sync"
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
	results := make(chan int)
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		d := (*delay * time.Duration(*tasks-i+1) / time.Duration(*tasks)).Round(time.Millisecond)
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- task(i, d)
		}()
	}
	go func() {
		wg.Wait() // every sender has sent
		close(results)
	}()
	var order []int
	for id := range results { // ends only when results is closed
		order = append(order, id)
	}
	fmt.Printf("results in order: %v\n", order)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
