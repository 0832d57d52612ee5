//go:build !(js && wasm)

package main

import (
	"errors"
	"os"
)

// input is the trace file named by the only argument.
func input() ([]byte, error) {
	if len(os.Args) != 2 {
		return nil, errors.New("usage: parser FILE (a runtime/trace file)")
	}
	return os.ReadFile(os.Args[1])
}
