// Channels, the challenge's start: main ranges over the results channel, and
// nobody closes it. A range over a channel ends only when the channel is
// closed, so after the last result main waits for a value that will never
// come, every goroutine is blocked, and the runtime stops the program: "fatal
// error: all goroutines are asleep - deadlock!". Close the channel once every
// sender is done: the senders' WaitGroup tells you when.
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
	var order []int
	for id := range results { // ends only when results is closed
		order = append(order, id)
	}
	fmt.Printf("results in order: %v\n", order)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
