//go:build timed

package examples

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"unblocked/site/diag"
	"unblocked/site/gowasm"
	"unblocked/site/gowasm/gowasmtest"
	"unblocked/site/sched"
)

// runBundle runs one program of a bundle under Node as the page's worker does.
func runBundle(t *testing.T, wasm []byte, program string, args ...string) (string, int) {
	t.Helper()
	tc, err := gowasm.FindToolchain("")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "bundle.wasm")
	if err := os.WriteFile(f, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	runner, _ := filepath.Abs(filepath.Join("testdata", "run_bundle.js"))
	cmd := exec.Command("node", append([]string{runner, filepath.Join(tc.GOROOT, "lib", "wasm", "wasm_exec.js"), f, program}, args...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func TestTimedBundleRunsEachProgram(t *testing.T) {
	root := gowasmtest.Module(t, map[string]string{"wasm/x/sync/main.go": progA, "wasm/x/concurrent/main.go": progB})
	b := gowasm.New(gowasm.Options{Root: root, CacheDir: t.TempDir()})
	wasm, err := Bundle(context.Background(), b, "examples", pair)
	if err != nil {
		t.Fatal(err)
	}
	if out, code := runBundle(t, wasm, "x/sync", "-n", "3"); out != "a0\na1\na2\n" || code != 0 {
		t.Errorf("x/sync: %q, exit %d", out, code)
	}
	if out, code := runBundle(t, wasm, "x/concurrent", "-n", "7"); out != "b7 x/concurrent\n" || code != 3 {
		t.Errorf("x/concurrent: %q, exit %d (want its own os.Exit(3))", out, code)
	}
	if out, code := runBundle(t, wasm, "nope"); code != 2 || !strings.Contains(out, `no program "nope" in this module (it holds: x/concurrent, x/sync)`) {
		t.Errorf("unknown program: %q, exit %d", out, code)
	}
	os.WriteFile(filepath.Join(root, "wasm/x/sync/main.go"), []byte(strings.Replace(progA, `"a"`, `"A"`, 1)), 0o644)
	wasm, err = Bundle(context.Background(), b, "examples", pair)
	if err != nil || b.Stats().Builds != 2 {
		t.Fatalf("after an edit: %v, %d go builds", err, b.Stats().Builds)
	}
	if out, _ := runBundle(t, wasm, "x/sync"); out != "A0\n" {
		t.Errorf("edited x/sync: %q", out)
	}
}

func TestTimedBundleErrorsNameTheProgram(t *testing.T) {
	// the error after `func main() {` checks that renaming main keeps the columns
	bad := "package main\n\nimport \"fmt\"\n\nfunc main() { undefinedThing(); fmt.Println() }\n\nfunc other() int { return \"s\" }\n"
	root := gowasmtest.Module(t, map[string]string{"wasm/x/sync/main.go": bad, "wasm/x/concurrent/main.go": progB})
	b := gowasm.New(gowasm.Options{Root: root, CacheDir: t.TempDir()})
	_, err := Bundle(context.Background(), b, "examples", pair)
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T), want a diag.List", err, err)
	}
	want := []string{
		"wasm/x/sync/main.go:5:15: undefined: undefinedThing",
		`wasm/x/sync/main.go:7:27: cannot use "s" (untyped string constant) as int value in return statement`,
	}
	if len(list) != len(want) {
		t.Fatalf("errors:\n%v\nwant:\n%s", list, strings.Join(want, "\n"))
	}
	for i := range want {
		if list[i].Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, list[i].Error(), want[i])
		}
	}
}

// TestTimedBundleRecordsTrace runs a bundle's program under Node with a trace sink, as the
// page's worker has: the wrapper records the run's execution trace, which site/sched reads to
// its end with every goroutine of the program in it. Without a sink the program runs as before.
func TestTimedBundleRecordsTrace(t *testing.T) {
	const conc = `package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

func main() {
	n := flag.Int("n", 1, "count")
	flag.Parse()
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); time.Sleep(300 * time.Millisecond) }()
	}
	wg.Wait()
	fmt.Println("done", *n)
}
`
	root := gowasmtest.Module(t, map[string]string{"wasm/x/sync/main.go": progA, "wasm/x/concurrent/main.go": conc})
	b := gowasm.New(gowasm.Options{Root: root, CacheDir: t.TempDir()})
	wasm, err := Bundle(context.Background(), b, "examples", pair)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "run.trace")
	t.Setenv("UNBLOCKED_TRACE_OUT", out)
	if got, code := runBundle(t, wasm, "x/concurrent", "-n", "300"); got != "done 300\n" || code != 0 {
		t.Fatalf("x/concurrent: %q, exit %d", got, code)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sched.Analyze(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the recorded trace (%d bytes) does not parse: %v", len(data), err)
	}
	if !s.Complete || s.Goroutines < 301 || s.WallMs < 300 || s.BusyMs <= 0 || s.BusyMs >= s.WallMs {
		t.Errorf("summary: complete %v (%s), %d goroutines at once (want ≥ 301), busy %v of %v ms", s.Complete, s.Problem, s.Goroutines, s.BusyMs, s.WallMs)
	}
	// One goroutine sleeping 300 ms: the thread is idle for (nearly all of) the sleep, however
	// loaded the machine. js/wasm's idle goroutine (runtime.handleAsyncEvent, "running" while the
	// thread waits for JavaScript) is no busy time.
	if got, code := runBundle(t, wasm, "x/concurrent", "-n", "1"); got != "done 1\n" || code != 0 {
		t.Fatalf("x/concurrent -n 1: %q, exit %d", got, code)
	}
	data, _ = os.ReadFile(out)
	if s, err = sched.Analyze(bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if idle := s.WallMs - s.BusyMs; idle < 250 {
		t.Errorf("one goroutine sleeping 300 ms: busy %v of %v ms, idle only %v ms", s.BusyMs, s.WallMs, idle)
	}
	t.Setenv("UNBLOCKED_TRACE_OUT", "")
	if got, code := runBundle(t, wasm, "x/sync", "-n", "2"); got != "a0\na1\n" || code != 0 {
		t.Errorf("without a sink: %q, exit %d", got, code)
	}
}
