// Cancel, the baseline: the fetcher from the rewrite lesson, one page at a
// time, except that page 3 is broken: the server answers it with an error,
// sooner than the others. Sequential code stops at the first error by simply
// returning; the pages after it are never requested.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"
)

// brokenPage is the page the lab server fails (500) after half the delay.
const brokenPage = 3

func pageURL(base string, i int, delay time.Duration) string {
	if i == brokenPage {
		return fmt.Sprintf("%sfail/%v/page-%d", base, delay/2, i)
	}
	return fmt.Sprintf("%sdelay/%v/page-%d", base, delay, i)
}

func fetch(client *http.Client, url string) (string, error) {
	resp, err := client.Get(url)
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
	flag.Int("limit", 6, "unused: requests run one at a time")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	client := &http.Client{}
	start := time.Now()
	requested := 0
	var firstErr error
	for i := 1; i <= *tasks; i++ {
		requested++
		fmt.Printf("task %d start\n", i)
		if _, err := fetch(client, pageURL(*base, i, *delay)); err != nil {
			fmt.Printf("task %d done: %v\n", i, err)
			firstErr = fmt.Errorf("page %d: %w", i, err)
			break // one page at a time, stopping is just leaving the loop
		}
		fmt.Printf("task %d done: ok\n", i)
	}
	fmt.Printf("%d of %d pages requested; first error: %v\n", requested, *tasks, firstErr)
	fmt.Printf("done in %v\n", time.Since(start).Round(time.Millisecond))
}
