// Rewrite, the starting point: a plain fetcher that gets lab pages one after
// another and prints them in order. Make it concurrent: bounded by -limit,
// cancellable, results still in input order.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
)

func fetch(url string) (string, error) {
	resp, err := http.Get(url)
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
	_ = limit // one request at a time for now

	start := time.Now()
	var results []string
	for i := 1; i <= *tasks; i++ {
		fmt.Printf("task %d start\n", i)
		body, err := fetch(fmt.Sprintf("%sdelay/%v/page-%d", *base, *delay, i))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("task %d done\n", i)
		results = append(results, body)
	}
	for i, body := range results {
		fmt.Printf("result %d: %q\n", i+1, body)
	}
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
