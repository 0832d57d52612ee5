// Ticks sleeps 1 ms n times in a row, then n ms at once, and prints both times: in a browser
// that clamps nested timeouts to 4 ms, the first takes about four times the second.
package main

import (
	"flag"
	"fmt"
	"time"
)

func main() {
	n := flag.Int("n", 200, "how many 1 ms sleeps")
	flag.Parse()
	start := time.Now()
	for range *n {
		time.Sleep(time.Millisecond)
	}
	steps := time.Since(start)
	start = time.Now()
	time.Sleep(time.Duration(*n) * time.Millisecond)
	once := time.Since(start)
	fmt.Printf("steps %d once %d\n", steps.Microseconds(), once.Microseconds())
}
