package gowasm

import (
	"bytes"
	_ "embed"
	"os"
	"path/filepath"
	"sync"
)

// Every js/wasm build adds one file to the toolchain's runtime: unblockedOnlyTracerTimers,
// which internal/wasmtrace asks when a traced program is asleep (docs/arch/scheduler.md,
// "Deadlock"): are the execution tracer's own timers the only ones left?

//go:embed overlay/tracetimers.go.txt
var traceTimersFile []byte

//go:embed overlay/tracetimers_stub.go.txt
var traceTimersStub []byte

// traceTimersName is the added file's name in GOROOT/src/runtime.
const traceTimersName = "zz_unblocked_tracetimers.go"

// traceTimers returns the added file's path in tc and its content: the real one when tc's
// runtime has the declarations it reads, else the stub (always false), so that a build with
// another Go release still links rather than fails. path is "" when tc has no runtime sources
// (a test's fake toolchain): nothing is added.
func traceTimers(tc Toolchain) (path string, content []byte) {
	v, ok := traceTimersShapes.Load(tc.GOROOT)
	if !ok {
		v = traceTimersShape(tc)
		traceTimersShapes.Store(tc.GOROOT, v)
	}
	path = filepath.Join(tc.GOROOT, "src", "runtime", traceTimersName)
	switch v.(shape) {
	case fits:
		return path, traceTimersFile
	case differs:
		return path, traceTimersStub
	}
	return "", nil
}

type shape int

const (
	noRuntime shape = iota
	fits
	differs
)

var traceTimersShapes sync.Map // GOROOT → shape

// traceTimersShape says whether tc's runtime declares what tracetimers.go.txt reads.
func traceTimersShape(tc Toolchain) shape {
	dir := filepath.Join(tc.GOROOT, "src", "runtime")
	if _, err := os.Stat(filepath.Join(dir, "proc.go")); err != nil {
		return noRuntime
	}
	want := map[string][]string{
		"time.go":     {"\theap []timerWhen\n", "type timerWhen struct {\n\ttimer *timer\n", "timerZombie"},
		"trace.go":    {"var traceAdvancer traceAdvancerState", "\ttimer *wakeableSleep\n", "cpuSleep    *wakeableSleep", "type wakeableSleep struct {\n\ttimer *timer\n"},
		"runtime2.go": {"\tallp []*p\n", "\ttimers timers\n"},
	}
	for name, needles := range want {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return differs
		}
		for _, n := range needles {
			if !bytes.Contains(src, []byte(n)) {
				return differs
			}
		}
	}
	return fits
}
