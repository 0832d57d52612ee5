// Fanout, the mistake: one goroutine per page and no limit, so every request
// is sent at the same moment. Goroutines are cheap; the server is not. It
// takes at most 10 requests at once and refuses the rest with 503 straight
// away, so the run is quick and most of its answers are errors.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
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
	var refused atomic.Int32
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := fmt.Sprintf("%slimit/%d/%v/page-%d", *base, serverLimit, *delay, i)
			fmt.Printf("task %d start\n", i)
			resp, err := client.Get(url)
			if err != nil {
				log.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				log.Fatal(err)
			}
			if resp.StatusCode == http.StatusServiceUnavailable {
				refused.Add(1)
				fmt.Printf("task %d done: %s, %s\n", i, resp.Status, strings.TrimSpace(string(body)))
				return
			}
			fmt.Printf("task %d done: %s\n", i, resp.Status)
		}()
	}
	wg.Wait()
	fmt.Printf("%d ok, %d refused by the server\n", *tasks-int(refused.Load()), refused.Load())
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
