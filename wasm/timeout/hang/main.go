// Timeout, the challenge's start: all pages at once, and no timeout at all.
// Every third page is slow (3 × delay), and the program waits for it however
// long it takes: the whole run lasts as long as the slowest page. Give each
// request 2 × delay: a context.WithTimeout per request, passed to the request
// with http.NewRequestWithContext.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

func fetch(client *http.Client, url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func main() {
	tasks := flag.Int("tasks", 6, "number of pages")
	delay := flag.Duration("delay", 500*time.Millisecond, "server time of a normal page")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	client := &http.Client{}
	start := time.Now()
	var timedOut atomic.Int32
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := *delay
			if i%3 == 0 {
				d *= 3
			}
			fmt.Printf("task %d start: page takes %v, no timeout\n", i, d)
			err := fetch(client, fmt.Sprintf("%sdelay/%v/page-%d", *base, d, i))
			switch {
			case errors.Is(err, context.DeadlineExceeded):
				timedOut.Add(1)
				fmt.Printf("task %d done: timed out\n", i)
			case err != nil:
				fmt.Printf("task %d done: error: %v\n", i, err)
			default:
				fmt.Printf("task %d done: ok\n", i)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("all %d tasks done in %v, %d timed out\n", *tasks, time.Since(start).Round(time.Millisecond), timedOut.Load())
}
