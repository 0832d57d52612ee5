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
// another Go release still links rather than fails.
func traceTimers(tc Toolchain) (path string, content []byte) {
	path = filepath.Join(tc.GOROOT, "src", "runtime", traceTimersName)
	if v, ok := traceTimersShapes.Load(tc.GOROOT); ok {
		if v.(bool) {
			return path, traceTimersFile
		}
		return path, traceTimersStub
	}
	ok := traceTimersShape(tc)
	traceTimersShapes.Store(tc.GOROOT, ok)
	if ok {
		return path, traceTimersFile
	}
	return path, traceTimersStub
}

var traceTimersShapes sync.Map // GOROOT → whether the real file fits

// traceTimersShape reports whether tc's runtime declares what tracetimers.go.txt reads.
func traceTimersShape(tc Toolchain) bool {
	dir := filepath.Join(tc.GOROOT, "src", "runtime")
	want := map[string][]string{
		"time.go":     {"\theap []timerWhen\n", "type timerWhen struct {\n\ttimer *timer\n", "timerZombie"},
		"trace.go":    {"var traceAdvancer traceAdvancerState", "\ttimer *wakeableSleep\n", "cpuSleep    *wakeableSleep", "type wakeableSleep struct {\n\ttimer *timer\n"},
		"runtime2.go": {"\tallp []*p\n", "\ttimers timers\n"},
	}
	for name, needles := range want {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return false
		}
		for _, n := range needles {
			if !bytes.Contains(src, []byte(n)) {
				return false
			}
		}
	}
	return true
}
