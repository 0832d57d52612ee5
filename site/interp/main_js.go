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
	directExit = true
	args := append([]string(nil), os.Args[1:]...)
	os.Exit(Run(context.Background(), src.String(), args, os.Stdout, os.Stderr))
}
