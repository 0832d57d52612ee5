// Starve, fixed: the same CPU-bound tasks in goroutines, and the heartbeat keeps its beat on one
// thread too. Every few thousand rounds of its work, each task calls runtime.Gosched: it goes to
// the back of the queue, and whatever is ready runs first, the heartbeat among them once its
// tick is due. In js/wasm nothing else can give it a turn: Go cannot interrupt a running loop
// there.
//
// The work is the same as in the sync and concurrent programs, and so are the results. Natively
// none of this is needed (the runtime preempts long loops, and other threads run the heartbeat),
// and it costs next to nothing: the tasks still compute in parallel on several cores.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// roundsPerMs is how many rounds of work make about a millisecond of
// computing in a browser on a laptop: -delay sets an amount of work, not a
// time. The work never looks at the clock, so the same -delay is the same
// computation on every run, in both versions; only how long it takes depends
// on the machine and on what else it is doing.
const roundsPerMs = 300

// yieldEvery is how many rounds a task computes between two yields: about 15 ms in a laptop's
// browser, so the heartbeat is never more than that late.
const yieldEvery = 5000

// work computes n rounds of a xorshift generator from seed and returns its
// state. Yielding does not change what it computes: the same n and seed give
// the same state as in the other programs.
func work(n int, seed uint64) uint64 {
	x := seed
	for i := 0; i < n; i++ {
		if i%yieldEvery == yieldEvery-1 {
			runtime.Gosched() // let whatever is ready run: the heartbeat, when its tick is due
		}
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
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			spin(i, n)
		}()
	}
	wg.Wait()
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
