// Spins the CPU for -delay while a sleeping goroutine starves.
package main

import (
	"flag"
	"fmt"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 1, "tasks")
	delay := flag.Duration("delay", 5*time.Second, "how long to spin")
	flag.Parse()
	go func() {
		time.Sleep(10 * time.Millisecond)
		fmt.Println("sleeper woke up")
	}()
	for i := 1; i <= *tasks; i++ {
		fmt.Printf("task %d start\n", i)
		end := time.Now().Add(*delay)
		n := 0
		for time.Now().Before(end) {
			n++
		}
		fmt.Printf("task %d done after %d spins\n", i, n)
	}
}
