// First reply, the baseline: every lookup can be answered by three mirrors
// of the same service, and how fast each one is changes from lookup to
// lookup. Asking one mirror and waiting for it is all a single goroutine can
// do: a blocking call cannot be abandoned half-way, so a slow mirror costs
// its full time, and there is no deadline.
package main

import (
	"flag"
	"fmt"
	"time"
)

var mirrors = []string{"A", "B", "C"}

// quarters is how long each mirror takes, in quarters of delay: the mirrors
// take turns being quick, and every fourth lookup finds all three slow.
var quarters = [][]int{{4, 8, 2}, {2, 4, 8}, {8, 2, 4}, {12, 12, 12}}

// ask stands for a request to one mirror.
func ask(lookup, mirror int, delay time.Duration) time.Duration {
	d := time.Duration(quarters[(lookup-1)%len(quarters)][mirror]) * delay / 4
	time.Sleep(d)
	return d
}

func main() {
	tasks := flag.Int("tasks", 4, "number of lookups")
	delay := flag.Duration("delay", 400*time.Millisecond, "how long a mirror usually takes")
	flag.Parse()

	start := time.Now()
	for i := 1; i <= *tasks; i++ {
		fmt.Printf("task %d start\n", i)
		took := ask(i, 0, *delay) // always mirror A, however slow it is this time
		fmt.Printf("task %d done: mirror %s answered after %v\n", i, mirrors[0], took)
	}
	fmt.Printf("%d lookups, all from mirror A; done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
