//go:build js && wasm

package main

import "unblocked/internal/wasmtrace"

// Under js/wasm the interpreted main's execution trace is recorded into the worker's sink, as a
// compiled program's is (docs/arch/scheduler.md, "Recording"); a deadlock is still reported as
// Go reports it, since wasmtrace ends the recording when only its own timers are left.
func init() {
	traceStart = func() { traceStop = wasmtrace.Start() }
}
