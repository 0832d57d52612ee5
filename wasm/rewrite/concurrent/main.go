// Rewrite, finished: the same fetcher, now concurrent. errgroup.WithContext
// cancels the remaining requests after the first failure, SetLimit bounds how
// many run at once, one context gives the whole run a deadline, and each
// goroutine fills its own slot so results keep input order.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

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
		err = fmt.Errorf("GET %s: %s", url, resp.Status) // a 404 or 500 page is not a result
	}
	return string(body), err
}

func main() {
	tasks := flag.Int("tasks", 6, "number of pages")
	delay := flag.Duration("delay", 500*time.Millisecond, "how long the server takes per page")
	limit := flag.Int("limit", 6, "at most this many requests at once")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	// A deadline for the whole run, so a server that never answers cannot
	// hang the program; cancel also stops requests still in flight.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := &http.Client{}
	start := time.Now()
	results := make([]string, *tasks)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(*limit)
	for i := 1; i <= *tasks; i++ {
		g.Go(func() error {
			fmt.Printf("task %d start\n", i)
			body, err := fetch(ctx, client, fmt.Sprintf("%sdelay/%v/page-%d", *base, *delay, i))
			if err != nil {
				return err
			}
			fmt.Printf("task %d done\n", i)
			results[i-1] = body
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		log.Fatal(err)
	}
	for i, body := range results {
		fmt.Printf("result %d: %q\n", i+1, body)
	}
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
