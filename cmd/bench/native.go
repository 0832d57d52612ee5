package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

func nativeProcs() int { return runtime.NumCPU() }

var nativeBin string

// nativeFidelity runs the same concurrent sleep program as a native binary
// and times the whole process.
func nativeFidelity(root string, n int) (float64, error) {
	if nativeBin == "" {
		dir, err := os.MkdirTemp("", "unblocked-bench-native-")
		if err != nil {
			return 0, err
		}
		nativeBin = filepath.Join(dir, "sleep-concurrent")
		cmd := exec.Command("go", "build", "-o", nativeBin, "./wasm/sleep/concurrent")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	start := time.Now()
	cmd := exec.Command(nativeBin, "-tasks", fmt.Sprint(n), "-delay", "1s")
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", nativeBin, err, out)
	}
	return time.Since(start).Seconds(), nil
}

func benchNative(r *results, root string, quick bool) error {
	if v, ok := nativeRatio[1000]; ok {
		r.add("fidelity at 1,000 tasks × 1 s (native, for comparison)", fmt.Sprintf("%.3f", v), "", true, "the same program built for linux/amd64; process start included")
	}
	if nativeBin != "" {
		os.RemoveAll(filepath.Dir(nativeBin))
	}
	return nil
}

const analysis = `
## Where each figure stands, and why

- **Page weight.** Pages carry no framework: one concatenated script (the playground, worker glue,
  exercises, progress, theme) and one stylesheet, precompressed with brotli at build time. The
  CodeMirror editor and the yaegi interpreter are loaded only when a learner starts editing, so they
  are not part of a page's first load.
- **WASM.** Each example is its own small program (fmt, sync, time); programs that use ` + "`net/http`" + `
  carry the HTTP client and TLS code and are about three times larger, which is why their budget is
  larger. Files are content-hashed and cached immutably, so a second lesson that uses the same
  program fetches nothing.
- **Click → first output.** The page fetches and compiles the program (WebAssembly.compileStreaming)
  when the playground comes into view and keeps a worker ready, so a click only instantiates the
  compiled module in the worker. "Cold" here is a fresh browser profile clicking right after load;
  if the learner clicks before the prefetch finishes, the click waits for it.
- **Rebuilds.** serve keeps parsed lessons, highlighted code and compiled examples in memory keyed by
  content hash and compresses with a fast brotli level, so a lesson edit re-renders pages without
  recompiling anything.
- **Fidelity.** In the browser the Go runtime has one thread (GOMAXPROCS=1), like asyncio's event loop:
  10,000 sleeping goroutines cost mostly the time to start them on that one thread, before the first
  wakes. Natively the same program has every core.
`
