// Command parser summarises a Go execution trace for the scheduler view (package sched) and
// prints the summary as one line of JSON. Compiled to js/wasm it is the page's trace parser:
// the page runs it in a program worker after a run, with the trace's bytes as the worker's
// source (globalThis.__unblockedSource); natively it reads the file named by its argument:
//
//	go run ./site/sched/parser run.trace
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"unblocked/site/sched"
)

func main() {
	data, err := input()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parser:", err)
		os.Exit(2)
	}
	s, err := sched.Analyze(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintln(os.Stderr, "parser:", err)
		os.Exit(1)
	}
	if err := write(os.Stdout, s); err != nil {
		fmt.Fprintln(os.Stderr, "parser:", err)
		os.Exit(1)
	}
}

// write prints s as one line: the page reads the program's first line of output.
func write(w io.Writer, s *sched.Summary) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
