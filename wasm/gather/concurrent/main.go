// Gather fetches lab pages all at once, like asyncio.gather: an errgroup runs
// one goroutine per page, Wait returns the first error, and each goroutine
// writes only its own slot, so results stay in input order without a lock.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

func fetch(client *http.Client, url string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(body), err
}

func main() {
	tasks := flag.Int("tasks", 5, "number of pages")
	delay := flag.Duration("delay", time.Second, "how long the server takes per page")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	client := &http.Client{} // one client: its connections are shared by all goroutines
	start := time.Now()
	results := make([]string, *tasks)
	var g errgroup.Group
	for i := range *tasks {
		g.Go(func() error {
			url := fmt.Sprintf("%sdelay/%v/page-%d", *base, *delay, i+1)
			fmt.Printf("task %d start: GET %s\n", i+1, url)
			body, err := fetch(client, url)
			if err != nil {
				return err
			}
			fmt.Printf("task %d done: %d bytes\n", i+1, len(body))
			results[i] = body
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
