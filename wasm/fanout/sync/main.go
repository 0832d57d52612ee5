// Fanout, the baseline: fetches pages one at a time from a lab server that
// takes at most 10 requests at once. With one request in flight it never
// comes near that, so every page arrives, slowly.
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
	tasks := flag.Int("tasks", 30, "number of pages")
	delay := flag.Duration("delay", 200*time.Millisecond, "how long the server takes per page")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root URL")
	flag.Parse()

	client := &http.Client{}
	start := time.Now()
	refused := 0
	for i := 1; i <= *tasks; i++ {
		url := fmt.Sprintf("%slimit/%d/%v/page-%d", *base, serverLimit, *delay, i)
		fmt.Printf("task %d start\n", i)
		resp, err := client.Get(url)
		if err != nil {
			log.Fatal(err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		if resp.StatusCode == http.StatusServiceUnavailable {
			refused++
		}
		fmt.Printf("task %d done: %s\n", i, resp.Status)
	}
	fmt.Printf("%d ok, %d refused by the server\n", *tasks-refused, refused)
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
