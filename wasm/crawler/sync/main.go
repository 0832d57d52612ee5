// Crawler: fetches lab pages one at a time, so at most one request is ever in
// flight. -limit is accepted for symmetry with the concurrent version.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
)

// serverLimit is how many requests the lab server behind these pages accepts
// at once; it answers any more with 503 Service Unavailable.
const serverLimit = 10

func main() {
	tasks := flag.Int("tasks", 10, "number of pages")
	delay := flag.Duration("delay", 500*time.Millisecond, "how long the server takes per page")
	flag.Int("limit", 3, "unused: requests run one at a time")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	client := &http.Client{Timeout: 10 * time.Second} // a polite crawler also gives up on a server that hangs
	start := time.Now()
	refused := 0
	for i := 1; i <= *tasks; i++ {
		url := fmt.Sprintf("%slimit/%d/%v/page-%d", *base, serverLimit, *delay, i)
		fmt.Printf("task %d start (in flight: 1)\n", i)
		resp, err := client.Get(url)
		if err != nil {
			log.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			refused++
		}
		fmt.Printf("task %d done: %s, %d bytes\n", i, resp.Status, n)
	}
	fmt.Printf("%d ok, %d refused by the server\n", *tasks-refused, refused)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
