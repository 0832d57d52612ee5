//go:build js && wasm

package wasmtrace

import (
	"runtime/trace"
	"sync"
	"syscall/js"
	_ "unsafe" // linkname
)

// EndHook is the global the page's worker calls when the program is asleep with nothing pending
// in JavaScript and only runtime timers left (wasmexec.js, run's beforeDeadlock). It returns
// true when it ended the recording because those timers are the tracer's own: the program has
// deadlocked, and the runtime reports it once the tracer is gone.
const EndHook = "__unblockedTraceEnd"

// onlyTracerTimers reports whether every pending runtime timer is the execution tracer's (its
// advancer's and its CPU-sample reader's). The runtime has no such function: every js/wasm build
// of the workbook adds it (site/gowasm, overlay/tracetimers.go.txt; a stub that says false for a
// runtime of another shape).
//
//go:linkname onlyTracerTimers runtime.unblockedOnlyTracerTimers
func onlyTracerTimers() bool

// Start starts the runtime tracer into the worker's sink and returns the function that stops it
// (and flushes). Without a sink, or when a tracer is already running, it records nothing and
// returns a function that does nothing.
//
// While the tracer runs, its own timers are always pending, and under js/wasm a pending timer
// is all the worker and the runtime need to think a program may still wake: a traced program
// that deadlocked ran to the page's time limit. So Start also offers EndHook: asked when the
// program is asleep, it stops the tracer (the trace is then complete, up to the deadlock) if no
// other timer is pending, and the runtime's own "all goroutines are asleep - deadlock!"
// follows.
func Start() (stop func()) {
	sink := js.Global().Get("__unblockedTrace")
	if sink.Type() != js.TypeFunction {
		return func() {}
	}
	if err := trace.Start(&writer{sink}); err != nil {
		return func() {}
	}
	var once sync.Once
	var end js.Func
	stop = func() {
		once.Do(func() {
			trace.Stop()
			js.Global().Delete(EndHook)
			end.Release()
		})
	}
	// JavaScript calls this while the program has nothing to run, so what it sees of the timers
	// holds until it returns. trace.Stop blocks in the callback, which is allowed: what it waits
	// for (the tracer's goroutines) runs in Go, not in JavaScript's event loop.
	end = js.FuncOf(func(js.Value, []js.Value) any {
		if !onlyTracerTimers() {
			return false
		}
		stop()
		return true
	})
	js.Global().Set(EndHook, end)
	return stop
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
