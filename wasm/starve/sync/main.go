// Starve: tasks that compute instead of wait. Each does a fixed amount of
// computing (-delay of it on a laptop's browser) without ever blocking. A heartbeat goroutine tries to print every 100ms.
//
// Natively the heartbeat runs on another OS thread and keeps its rhythm. In
// the browser (js/wasm) there is only one thread and Go cannot interrupt a
// running loop there, so the heartbeat waits until main is done.
package main

import (
	"flag"
	"fmt"
	"time"
)

// roundsPerMs is how many rounds of work make about a millisecond of
// computing in a browser on a laptop: -delay sets an amount of work, not a
// time. The work never looks at the clock, so the same -delay is the same
// computation on every run, in both versions; only how long it takes depends
// on the machine and on what else it is doing.
const roundsPerMs = 300

// work computes n rounds of a xorshift generator from seed and returns its
// state (printed, so the compiler keeps the loop, and the same in both
// versions: they did the same work).
func work(n int, seed uint64) uint64 {
	x := seed
	for i := 0; i < n; i++ {
		for j := 0; j < 1000; j++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
	}
	return x
}

func spin(id, n int) {
	fmt.Printf("task %d start: computing\n", id)
	x := work(n, uint64(id))
	fmt.Printf("task %d done: result %016x\n", id, x)
}

func main() {
	tasks := flag.Int("tasks", 3, "number of tasks")
	delay := flag.Duration("delay", 500*time.Millisecond, "computing per task (about that long on a laptop's browser)")
	flag.Parse()

	n := int(delay.Milliseconds()) * roundsPerMs
	start := time.Now()
	go func() {
		for range time.Tick(100 * time.Millisecond) {
			fmt.Printf("heartbeat at %v\n", time.Since(start).Round(time.Millisecond))
		}
	}()
	for i := 1; i <= *tasks; i++ {
		spin(i, n)
	}
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
