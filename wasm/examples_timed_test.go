//go:build timed

package wasm

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unblocked/site/gowasm"
)

// The same examples compiled to js/wasm and run under Node, the browser's
// conditions without the browser: one thread (GOMAXPROCS=1), no preemption,
// net/http without sockets.

// wasm builds prog for js/wasm and runs it under Node; it must exit 0.
func wasm(t *testing.T, prog string, args ...string) *output {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the examples as js/wasm: ", err)
	}
	tc, err := gowasm.FindToolchain("")
	if err != nil {
		t.Fatal(err)
	}
	// the same js/wasm build as the site's (site/gowasm), into a file Node can run
	mod, err := gowasm.New(gowasm.Options{Root: repoRoot}).Package(t.Context(), "wasm/"+prog)
	if err != nil {
		t.Fatalf("building %s for js/wasm: %v", prog, err)
	}
	bin := filepath.Join(t.TempDir(), strings.ReplaceAll(prog, "/", "-")+".wasm")
	if err := os.WriteFile(bin, mod, 0o644); err != nil {
		t.Fatal(err)
	}
	runner := filepath.Join(tc.GOROOT, "lib", "wasm", "wasm_exec_node.js")
	o := run(t, nil, node, append([]string{"--stack-size=8192", runner, bin}, args...)...)
	if o.code != 0 {
		t.Fatalf("%s exited %d:\n%s", prog, o.code, o.stderr)
	}
	return o
}

func TestTimedWasmCounterHidesTheRace(t *testing.T) {
	// one thread and no preemption: each loop runs to its end before the next
	o := wasm(t, "counter/concurrent", "-tasks", "4", "-delay", "50ms")
	o.allTasks(t, 4)
	o.find(t, `^expected 40000000, got 40000000: 0 additions lost$`)
}

func TestTimedWasmServerOneThread(t *testing.T) {
	// 500 real HTTP connections through an in-memory listener on one thread;
	// one after another they would take 500 delays
	const delay = time.Second
	o := wasm(t, "server/concurrent", "-tasks", "500", "-delay", delay.String())
	servedAtOnce(t, o, 500, delay)
}

func TestTimedWasmDBPool(t *testing.T) {
	o := wasm(t, "dbpool/concurrent", "-tasks", "20", "-delay", "200ms", "-limit", "5")
	o.allTasks(t, 20)
	if o.maxRunning != 5 {
		t.Errorf("%d queries at once, want 5", o.maxRunning)
	}
	o.find(t, `^20 queries, 0 timed out; pool of 5: 15 waits for a connection, `)
}

func TestTimedWasmPipeline(t *testing.T) {
	o := wasm(t, "pipeline/concurrent", "-tasks", "8", "-delay", "200ms", "-limit", "4")
	checkPipeline(t, o, 8, 4)
}

func TestTimedWasmShutdown(t *testing.T) {
	o := wasm(t, "shutdown/concurrent", "-tasks", "20", "-delay", "500ms")
	o.allTasks(t, 20)
	o.find(t, `^20 of 20 requests answered; done in`)
	// ^C at 1 s, answers due at 2 s: a second for Close to cut them off on a busy machine
	o = wasm(t, "shutdown/sync", "-tasks", "20", "-delay", "2s")
	o.find(t, `^0 of 20 requests answered; done in`)
}

func TestTimedWasmFirstReplyAndRateLimit(t *testing.T) {
	o := wasm(t, "firstreply/concurrent", "-tasks", "4", "-delay", "400ms")
	o.find(t, `^4 lookups, 3 answered, 1 gave up; done in`)
	o = wasm(t, "ratelimit/concurrent", "-tasks", "10", "-delay", "300ms", "-limit", "3")
	o.allTasks(t, 10)
	if o.maxRunning > 3 {
		t.Errorf("%d at once, limit 3", o.maxRunning)
	}
	tickerPace(t, o)
}
