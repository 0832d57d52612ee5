//go:build js && wasm

package wasmtrace

import (
	"runtime/trace"
	"syscall/js"
)

// Start starts the runtime tracer into the worker's sink and returns the function that stops it
// (and flushes). Without a sink, or when a tracer is already running, it records nothing and
// returns a function that does nothing.
func Start() (stop func()) {
	sink := js.Global().Get("__unblockedTrace")
	if sink.Type() != js.TypeFunction {
		return func() {}
	}
	if err := trace.Start(&writer{sink}); err != nil {
		return func() {}
	}
	return trace.Stop
}

// writer copies the tracer's output to the sink, a Uint8Array of its own each time (the worker
// transfers it to the page). A pointer: runtime/trace compares writers, and a js.Value is not
// comparable.
type writer struct{ f js.Value }

func (w *writer) Write(p []byte) (int, error) {
	a := js.Global().Get("Uint8Array").New(len(p))
	js.CopyBytesToJS(a, p)
	w.f.Invoke(a)
	return len(p), nil
}
