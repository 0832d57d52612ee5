//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
)

// input is the trace the page handed the worker: a Uint8Array in globalThis.__unblockedSource.
func input() ([]byte, error) {
	v := js.Global().Get("__unblockedSource")
	if v.Type() != js.TypeObject || v.Get("byteLength").Type() != js.TypeNumber {
		return nil, errors.New("no trace given (globalThis.__unblockedSource is not bytes)")
	}
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}
