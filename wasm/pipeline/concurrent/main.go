// Pipeline: a sensor sends a reading every 100 ms, and processing one takes
// delay. Three stages, each a goroutine or several, joined by channels:
//
//	source (a ticker) → bounded buffer → limit workers → fan-in → main
//
// The buffer between the source and the workers holds a few readings; when
// it is full the source drops the new reading instead of falling behind, the
// usual policy for live data, where a late value is worth less than a fresh
// one. Once main has the readings it wants, it cancels the context, and
// every stage stops: the source stops reading, the workers drop what they
// hold, and the last worker out closes the results channel.
package main

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

const (
	every  = 100 * time.Millisecond // a reading arrives this often
	buffer = 5                      // readings that may wait for a worker
)

type reading struct {
	id int
	at time.Duration // when it was taken, since the start
}

type result struct {
	reading
	lag time.Duration // from when it was taken to when it was processed
}

var (
	dropped, abandoned atomic.Int32
	stages             sync.WaitGroup // every goroutine of the pipeline
)

// source emits a reading every interval until ctx is done, into a buffer
// that drops new readings while it is full.
func source(ctx context.Context, start time.Time) <-chan reading {
	out := make(chan reading, buffer)
	stages.Go(func() {
		defer close(out) // tells the workers there is nothing more
		tick := time.NewTicker(every)
		defer tick.Stop()
		for id := 1; ; id++ {
			select {
			case <-ctx.Done():
				return
			case t := <-tick.C:
				select {
				case out <- reading{id, t.Sub(start)}:
				default: // the workers are behind and the buffer is full
					dropped.Add(1)
					fmt.Printf("reading %d dropped: buffer full\n", id)
				}
			}
		}
	})
	return out
}

// worker processes readings until in is closed or ctx is done.
func worker(ctx context.Context, in <-chan reading, out chan<- result, delay time.Duration, start time.Time) {
	for r := range in {
		if ctx.Err() != nil {
			return // stopped while this reading waited in the buffer
		}
		fmt.Printf("task %d start (taken at %v)\n", r.id, r.at.Round(time.Millisecond))
		select {
		case <-time.After(delay): // the processing
		case <-ctx.Done():
			abandoned.Add(1)
			fmt.Printf("task %d done: abandoned, the pipeline stopped\n", r.id)
			return
		}
		lag := time.Since(start) - r.at
		fmt.Printf("task %d done: %v after it was taken\n", r.id, lag.Round(time.Millisecond))
		select {
		case out <- result{r, lag}:
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	tasks := flag.Int("tasks", 20, "readings to collect")
	delay := flag.Duration("delay", 300*time.Millisecond, "how long processing one reading takes")
	limit := flag.Int("limit", 4, "number of workers")
	flag.Parse()

	start := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	readings := source(ctx, start)
	results := make(chan result)
	var wg sync.WaitGroup
	for range *limit {
		wg.Add(1)
		stages.Go(func() {
			defer wg.Done()
			worker(ctx, readings, results, *delay, start)
		})
	}
	stages.Go(func() {
		wg.Wait()
		close(results) // fan-in: once the last worker is out, nothing more will come
	})

	collected, lag := 0, time.Duration(0)
	for r := range results {
		collected++
		lag += r.lag
		if collected == *tasks {
			cancel() // enough: stop every stage
			break
		}
	}
	stages.Wait() // returns once every stage has seen the cancellation and ended: nothing leaks
	fmt.Printf("collected %d readings, on average %v after they were taken; %d dropped, %d abandoned when the pipeline stopped\n",
		collected, (lag / time.Duration(collected)).Round(time.Millisecond), dropped.Load(), abandoned.Load())
	fmt.Printf("all %d goroutines of the pipeline have ended\n", *limit+2) // source, workers, closer
	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
}
