package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestWasmUnderNode builds the interpreter for js/wasm and runs examples with Node, the source
// injected as globalThis.__unblockedSource, as the page's worker does.
func TestWasmUnderNode(t *testing.T) {
	dir := t.TempDir()
	wasm := filepath.Join(dir, "interp.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if fi, err := os.Stat(wasm); err == nil {
		t.Logf("interp.wasm: %d bytes", fi.Size())
	}
	inject := filepath.Join(dir, "inject.js")
	os.WriteFile(inject, []byte(`globalThis.__unblockedSource = require("fs").readFileSync(process.env.UNBLOCKED_SRC, "utf8");`+"\n"), 0o644)
	execNode := filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec_node.js")

	run := func(src string, args ...string) (string, int, time.Duration) {
		t.Helper()
		srcFile := filepath.Join(dir, "prog.go")
		os.WriteFile(srcFile, []byte(src), 0o644)
		cmd := exec.Command("node", append([]string{"-r", inject, execNode, wasm}, args...)...)
		cmd.Env = append(os.Environ(), "UNBLOCKED_SRC="+srcFile)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code, time.Since(start)
	}

	src, _ := os.ReadFile("../../wasm/sleep/concurrent/main.go")
	out, code, d := run(string(src), "-tasks", "3", "-delay", "300ms")
	t.Logf("sleep/concurrent, 3 × 300ms, interpreted under Node: %s (incl. startup)", d)
	if code != 0 || !strings.Contains(out, "all 3 tasks done") || strings.Count(out, " done\n") != 3 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, id := range []string{"1", "2", "3"} {
		if !strings.Contains(out, "task "+id+" start") {
			t.Fatalf("no task %s start in\n%s", id, out)
		}
	}
	src, _ = os.ReadFile("../../wasm/sleep/sync/main.go")
	out, code, _ = run(string(src), "-tasks", "2", "-delay", "50ms")
	if code != 0 || !strings.Contains(out, "all 2 tasks done") {
		t.Fatalf("sync: exit %d\n%s", code, out)
	}
	out, code, _ = run("package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(x)\n}\n")
	if code != 1 || !strings.Contains(out, "6:14: undefined: x") {
		t.Fatalf("undefined: exit %d\n%s", code, out)
	}
	out, code, _ = run("package main\n\nimport \"os\"\n\nfunc main() {\n\tgo func() { os.Exit(4) }()\n\tselect {}\n}\n")
	if code != 4 {
		t.Fatalf("os.Exit in a goroutine: exit %d\n%s", code, out)
	}
}
