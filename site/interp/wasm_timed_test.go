//go:build timed

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unblocked/site/gowasm"
)

// TestTimedWasmUnderNode builds the interpreter for js/wasm, as the site does, and runs
// examples with Node, the source injected as globalThis.__unblockedSource, as the page's worker
// does.
func TestTimedWasmUnderNode(t *testing.T) {
	dir := t.TempDir()
	data, err := gowasm.New(gowasm.Options{Root: "../..", CacheDir: t.TempDir()}).Package(context.Background(), "site/interp")
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	t.Logf("interp.wasm: %d bytes", len(data))
	wasm := filepath.Join(dir, "interp.wasm")
	if err := os.WriteFile(wasm, data, 0o644); err != nil {
		t.Fatal(err)
	}
	tc, err := gowasm.FindToolchain("")
	if err != nil {
		t.Fatal(err)
	}
	inject := filepath.Join(dir, "inject.js")
	os.WriteFile(inject, []byte(`globalThis.__unblockedSource = require("fs").readFileSync(process.env.UNBLOCKED_SRC, "utf8");`+"\n"), 0o644)
	execNode := filepath.Join(tc.GOROOT, "lib", "wasm", "wasm_exec_node.js")

	var env []string // for the next run
	run := func(src string, args ...string) (string, int, time.Duration) {
		t.Helper()
		srcFile := filepath.Join(dir, "prog.go")
		os.WriteFile(srcFile, []byte(src), 0o644)
		cmd := exec.Command("node", append([]string{"-r", inject, execNode, wasm}, args...)...)
		cmd.Env = append(append(os.Environ(), "UNBLOCKED_SRC="+srcFile), env...)
		env = nil
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

	// The forgotten wg.Wait: goroutines released by main's deferred call print nothing.
	out, code, _ = run("package main\n\nimport \"fmt\"\n\nfunc main() {\n\trelease := make(chan bool)\n\tfor i := range 20 {\n\t\tgo func() { <-release; fmt.Println(\"goroutine\", i) }()\n\t}\n\tdefer close(release)\n\tfmt.Println(\"main returns\")\n}\n")
	if code != 0 || out != "main returns\n" {
		t.Fatalf("main returned: exit %d\n%s", code, out)
	}
	// A deadlock, with the page's GOTRACEBACK=none: Go's first line, no interpreter frames.
	env = []string{"GOTRACEBACK=none"}
	out, code, _ = run("package main\n\nfunc main() {\n\tch := make(chan int)\n\tch <- 1\n}\n")
	if code != 2 || strings.TrimSpace(out) != "fatal error: all goroutines are asleep - deadlock!" {
		t.Fatalf("deadlock: exit %d\n%s", code, out)
	}
	// A goroutine's panic: the program's function, not the interpreter's frames.
	out, code, _ = run("package main\n\nfunc work(m map[int]int) { m[1] = 1 }\n\nfunc main() {\n\tgo work(nil)\n\tselect {}\n}\n")
	if code != 2 || !strings.Contains(out, "panic: assignment to entry in nil map") || !strings.Contains(out, "main.work(...)") || strings.Contains(out, "yaegi") {
		t.Fatalf("goroutine panic: exit %d\n%s", code, out)
	}
	// The Format button's mode.
	env = []string{"UNBLOCKED_MODE=format"}
	out, code, _ = run("package main\nfunc main(){\nprintln( 1 )\n}\n")
	if code != 0 || out != "package main\n\nfunc main() {\n\tprintln(1)\n}\n" {
		t.Fatalf("format: exit %d\n%q", code, out)
	}
}
