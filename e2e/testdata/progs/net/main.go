// Fetches -tasks lab URLs concurrently from -base.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 3, "tasks")
	delay := flag.Duration("delay", 300*time.Millisecond, "delay")
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root")
	flag.Parse()
	var wg sync.WaitGroup
	failed := false
	var mu sync.Mutex
	for i := 1; i <= *tasks; i++ {
		wg.Go(func() {
			fmt.Printf("task %d start\n", i)
			resp, err := http.Get(fmt.Sprintf("%sdelay/%v/item-%d", *base, *delay, i))
			if err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				mu.Lock()
				failed = true
				mu.Unlock()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			fmt.Printf("task %d done %d %s\n", i, resp.StatusCode, strings.TrimSpace(string(b)))
		})
	}
	wg.Wait()
	if failed {
		os.Exit(1)
	}
}
