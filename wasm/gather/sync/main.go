// Gather fetches lab pages one after another; each answers after delay.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
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

	client := &http.Client{}
	start := time.Now()
	results := make([]string, *tasks)
	for i := range *tasks {
		url := fmt.Sprintf("%sdelay/%v/page-%d", *base, *delay, i+1)
		fmt.Printf("task %d start: GET %s\n", i+1, url)
		body, err := fetch(client, url)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("task %d done: %d bytes\n", i+1, len(body))
		results[i] = body
	}
	for i, body := range results {
		fmt.Printf("result %d: %q\n", i+1, body)
	}
	fmt.Printf("all %d tasks done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}
