//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"os"
	"syscall/js"
)

func main() {
	src := js.Global().Get("__unblockedSource")
	if src.Type() != js.TypeString {
		fmt.Fprintln(os.Stderr, "interp: no program (globalThis.__unblockedSource is not set)")
		os.Exit(1)
	}
	if os.Getenv("UNBLOCKED_MODE") == "format" {
		// The editor's Format button on a static host: gofmt's output on stdout.
		out, errs := Format(src.String())
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, e)
		}
		if errs != nil {
			os.Exit(1)
		}
		os.Stdout.WriteString(out)
		os.Exit(0)
	}
	directExit = true
	args := append([]string(nil), os.Args[1:]...)
	code := Run(context.Background(), src.String(), args, os.Stdout, os.Stderr)
	traceStop()
	os.Exit(code)
}
