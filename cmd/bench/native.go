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
