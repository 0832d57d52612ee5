// First reply wins: each lookup asks all three mirrors at once, each in a
// goroutine of its own, and select takes whichever answer arrives first, or
// gives up when time.After fires. The answers channel has room for all three
// replies, so the two mirrors that lose can still send theirs and end;
// with an unbuffered channel nobody would ever receive them, and those
// goroutines would leak.
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

type reply struct {
	mirror string
	took   time.Duration
}

func main() {
	tasks := flag.Int("tasks", 4, "number of lookups")
	delay := flag.Duration("delay", 400*time.Millisecond, "how long a mirror usually takes")
	flag.Parse()

	start := time.Now()
	answered := 0
	for i := 1; i <= *tasks; i++ {
		fmt.Printf("task %d start\n", i)
		replies := make(chan reply, len(mirrors)) // room for every reply: the losers never block
		for m := range mirrors {
			go func() { replies <- reply{mirrors[m], ask(i, m, *delay)} }()
		}
		select {
		case r := <-replies: // the first of the three
			answered++
			fmt.Printf("task %d done: mirror %s answered first, after %v\n", i, r.mirror, r.took)
		case <-time.After(2 * *delay): // nobody answered in time
			fmt.Printf("task %d done: no mirror answered within %v, gave up\n", i, 2**delay)
		}
	}
	fmt.Printf("%d lookups, %d answered, %d gave up; done in %v\n", *tasks, answered, *tasks-answered, time.Since(start).Round(time.Millisecond))
}
