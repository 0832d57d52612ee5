// Labprobe fetches each path given (relative to -base) with net/http, as an example program
// does, and prints one line per path, in the order given: "<status> <body, quoted>". With
// -together it sends them all at once.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"sync"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080/lab/", "lab root")
	together := flag.Bool("together", false, "send every request at once")
	flag.Parse()
	paths := flag.Args()
	out := make([]string, len(paths))
	get := func(i int) {
		resp, err := http.Get(*base + paths[i])
		if err != nil {
			out[i] = "error " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			out[i] = "error " + err.Error()
			return
		}
		out[i] = fmt.Sprintf("%d %q", resp.StatusCode, b)
	}
	var wg sync.WaitGroup
	for i := range paths {
		if *together {
			wg.Go(func() { get(i) })
		} else {
			get(i)
		}
	}
	wg.Wait()
	for _, l := range out {
		fmt.Println(l)
	}
}
