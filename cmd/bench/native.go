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

- **Page weight.** No framework: one concatenated script (playground, worker glue, exercises,
  progress, theme) and one stylesheet, precompressed with brotli 11 at build time. The CodeMirror
  editor (about 100 KB) loads when a learner presses or focuses a source to edit it, and the yaegi
  interpreter (the largest file of the site) only for a first run of edited code on a static host:
  neither is part of a page's load, and both are counted above on their own.
- **WASM.** The examples ship as two modules, not one per program: every program without the network
  in ` + "`examples.<hash>.wasm`" + `, every ` + "`net/http`" + ` one in ` + "`examples-net`" + ` (the HTTP client and its
  TLS code triple the size, which is why that budget is larger). Run both, and every other playground of
  the page, runs programs of the module the first Run fetched; the whole site's examples, offline, are
  the two modules. Brotli 11 with a 16 MB window is what brings the net/http module under its budget
  (quality 6 left it at about 2.31 MB).
- **Click → first output.** The page compiles the module (compileStreaming) when a playground nears
  the viewport and keeps two spare workers with a Go instance of it, so a click only starts the
  program. "Cold" is a fresh profile clicking as soon as the page has loaded, so it includes waiting for
  that compile; "warm" is the next click.
- **Rebuilds.** serve keeps parsed lessons, highlighted code and compiled modules in memory keyed by
  content hash and compresses with fast brotli levels, so a lesson edit re-renders pages without
  compiling anything. An example edit relinks its bundle.
- **Fidelity.** In the browser the Go runtime has one thread (GOMAXPROCS=1), like asyncio's event
  loop. Without output (the "without output" column) 1,000 sleeping goroutines finish within a few
  per cent of one wait. The sleep example prints two lines per task; each line is one synchronous
  call into JavaScript (site/gowasm overlays syscall so that stdout does not park the goroutine until
  a callback: docs/arch/gowasm.md, "Output"), the "one printed line" figure. Natively the same
  program has every core and a write is a system call.
`
