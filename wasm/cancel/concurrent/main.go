// Cancel: the finished fetcher from the rewrite lesson, and page 3 is broken.
// errgroup.WithContext cancels ctx as soon as one goroutine returns an error;
// every request was made with ctx, so the ones still in flight are abandoned
// at once, and pages not started yet are never requested. Without the
// context, the other requests would run to the end for nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// brokenPage is the page the lab server fails (500) after half the delay.
const brokenPage = 3

func pageURL(base string, i int, delay time.Duration) string {
	if i == brokenPage {
		return fmt.Sprintf("%sfail/%v/page-%d", base, delay/2, i)
	}
	return fmt.Sprintf("%sdelay/%v/page-%d", base, delay, i)
}

func fetch(ctx context.Context, client *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = errors.New(resp.Status)
	}
	return string(body), err
}

func main() {
	tasks := flag.Int("tasks", 6, "number of pages")
	delay := flag.Duration("delay", 500*time.Millisecond, "how long the server takes per page")
	limit := flag.Int("limit", 6, "at most this many requests at once")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := &http.Client{}
	start := time.Now()
	var requested, cancelled atomic.Int32
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(*limit)
	for i := 1; i <= *tasks; i++ {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err // a page has failed already: don't even ask
			}
			requested.Add(1)
			fmt.Printf("task %d start\n", i)
			_, err := fetch(ctx, client, pageURL(*base, i, *delay))
			switch {
			case err == nil:
				fmt.Printf("task %d done: ok\n", i)
				return nil
			case ctx.Err() != nil: // another page failed first and the group gave up on this one
				cancelled.Add(1)
				fmt.Printf("task %d done: cancelled\n", i)
			default:
				fmt.Printf("task %d done: %v\n", i, err)
			}
			return fmt.Errorf("page %d: %w", i, err)
		})
	}
	err := g.Wait() // the first error; the cancellations that followed it are not reported
	fmt.Printf("%d of %d pages requested, %d of them cancelled; first error: %v\n",
		requested.Load(), *tasks, cancelled.Load(), err)
	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
}
