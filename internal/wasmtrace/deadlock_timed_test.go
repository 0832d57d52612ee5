//go:build timed

package wasmtrace_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unblocked/site/gowasm"
	"unblocked/site/sched"
)

// prog waits as MODE says, recording its trace as the bundles' and the compile endpoint's
// wrappers do.
const prog = `package main

import (
	"context"
	"fmt"
	"os"
	"syscall/js"
	"time"

	"unblocked/internal/wasmtrace"
)

func main() {
	defer wasmtrace.Start()()
	const d = 1500 * time.Millisecond
	fmt.Println("waiting:", os.Getenv("MODE"))
	switch os.Getenv("MODE") {
	case "deadlock":
		go func() { select {} }()
		ch := make(chan int)
		<-ch
	case "sleep": // every goroutine asleep, but with a timer
		go func() { time.Sleep(d) }()
		time.Sleep(d)
	case "after": // a channel's timer
		<-time.After(d)
	case "context": // a timer no goroutine sleeps on (time.AfterFunc)
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		<-ctx.Done()
	case "promise": // a callback from JavaScript, as net/http's fetch waits for one: no Go timer
		done := make(chan struct{})
		wait := js.FuncOf(func(_ js.Value, args []js.Value) any {
			js.Global().Call("setTimeout", args[0], d.Milliseconds())
			return nil
		})
		then := js.FuncOf(func(js.Value, []js.Value) any { close(done); return nil })
		js.Global().Get("Promise").New(wait).Call("then", then)
		<-done
	}
	fmt.Println("done")
}
`

// TestTimedTracedDeadlockReported runs a traced js/wasm program through the page's worker
// (worker.js, wasmexec.js) under Node. One that deadlocks ends as Go's does, with its trace
// complete, and well before programs that wait on a timer or on JavaScript (and must not be
// called deadlocked) are done; without wasmtrace's hook it ran to the time limit.
func TestTimedTracedDeadlockReported(t *testing.T) {
	b := gowasm.New(gowasm.Options{Root: "../..", CacheDir: t.TempDir()})
	wasm, err := b.Build(context.Background(), gowasm.Job{Package: "_wasmtracetest", Files: map[string][]byte{"_wasmtracetest/main.go": []byte(prog)}})
	if err != nil {
		t.Fatal(err)
	}
	tc, err := gowasm.FindToolchain("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wasmFile := filepath.Join(dir, "prog.wasm")
	if err := os.WriteFile(wasmFile, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(mode string) (out string, took time.Duration, trace []byte) {
		t.Helper()
		traceFile := filepath.Join(dir, mode+".trace")
		start := time.Now()
		// 30 s: the page's time limit is 60 s
		b, err := exec.Command("node", "testdata/run_worker.mjs", "../../site/assets/js", filepath.Join(tc.GOROOT, "lib", "wasm", "wasm_exec.js"),
			wasmFile, traceFile, "30000", "MODE="+mode).CombinedOutput()
		took = time.Since(start)
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, b)
		}
		trace, err = os.ReadFile(traceFile)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), took, trace
	}

	out, dead, trace := run("deadlock")
	t.Logf("deadlock: %s to exit\n%s", dead, out)
	if !strings.HasSuffix(out, "exit 2\n") || !strings.Contains(out, "\nfatal error: all goroutines are asleep - deadlock!\n") ||
		!strings.Contains(out, "\ngoroutine 1 [chan receive]:\nmain.main()\n") {
		t.Fatalf("deadlock: not Go's report and exit 2:\n%s", out)
	}
	s, err := sched.Analyze(bytes.NewReader(trace))
	if err != nil || !s.Complete || s.Goroutines < 2 {
		t.Fatalf("deadlock: trace of %d bytes: %v, summary %+v", len(trace), err, s)
	}

	for _, mode := range []string{"sleep", "after", "context", "promise"} {
		out, took, trace := run(mode)
		t.Logf("%s: %s to exit", mode, took)
		if out != "waiting: "+mode+"\ndone\nexit 0\n" {
			t.Fatalf("%s: the program waited on a timer, yet\n%s", mode, out)
		}
		// recorded to the end: the hook did not end it while the program waited
		if s, err := sched.Analyze(bytes.NewReader(trace)); err != nil || !s.Complete || s.WallMs < 1500 {
			t.Fatalf("%s: trace of %d bytes: %v, summary %+v: want it complete and over the 1.5 s wait", mode, len(trace), err, s)
		}
		// These wait 1.5 s: the deadlock was seen before that (run the same way,
		// startup included), not at a time limit.
		if dead >= took {
			t.Errorf("the deadlock took %s to report, %s's 1.5 s wait %s", dead, mode, took)
		}
	}
}
