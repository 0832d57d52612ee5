// Package wasmtrace records a js/wasm program's execution trace for the page's scheduler view
// (docs/arch/scheduler.md). The wrappers the workbook builds around a program — the examples'
// bundle (site/examples) and a learner's edited program (site/compile) — call
//
//	defer wasmtrace.Start()()
//
// before the program's main, so the program's code does not change. Start records only when the
// page's worker offers a sink, globalThis.__unblockedTrace(bytes); the runtime hands the tracer's
// output over as it goes (about once a second, a generation at a time), so a run the page stops
// still leaves what was recorded until then, and the deferred stop flushes the rest when main
// returns or panics (a program that calls os.Exit loses the last generation).
//
// Natively there is nothing to record into: internal/tracefile gives the examples -trace FILE.
package wasmtrace

import _ "embed"

// Source is this package's js/wasm file, for builds in a module that has go.mod but not this
// repository's files (the compile endpoint of the one-binary workbook, docs/arch/classroom.md):
// they add it at SourcePath (go build -overlay).
//
//go:embed wasmtrace_js.go
var Source []byte

// SourcePath is where Source belongs, relative to the module's root.
const SourcePath = "internal/wasmtrace/wasmtrace_js.go"
