package e2e

import (
	"fmt"
	"testing"
	"time"

	"unblocked/internal/chromium/chromiumtest"
)

// TestRerunFindsItsMemoryTouched: a program that grew its linear memory is run again on a spare
// worker whose instance already has that much, its pages touched before the click (worker.js,
// touchMemory); another program of the same module takes a plain spare. The re-run finishes
// every task: Go takes the grown memory as its own and finds it zero.
func TestRerunFindsItsMemoryTouched(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`))
	// done: the count in the program's last line, "all N tasks done in …" (past the output cap
	// the task lines are not kept)
	run := func(variant string, tasks int) (start, end float64, done int) {
		t.Helper()
		out := evalT[[]float64](t, tab, pageJS(fmt.Sprintf(`(async () => {
			const r = await (await mod("runner")).runProgram({wasm: %s.dataset.wasm%s, argv: ["-tasks", "%d", "-delay", "5ms"], trace: false});
			if (r.status !== "done") throw new Error(r.status + ": " + r.message);
			const all = r.lines.map(l => /^all (\d+) tasks done/.exec(l.text)).find(m => m);
			return [r.memory.start, r.memory.end, all ? Number(all[1]) : -1];
		})()`, pg("sleep"), variant, tasks)))
		return out[0], out[1], int(out[2])
	}
	// the spare for a re-run of program, made after the run that ended (no fixed wait)
	waitSpare := func(program string) {
		t.Helper()
		waitJS(t, tab, pageJS(fmt.Sprintf(`(await mod("runner")).spareWorkers().some(s => s.program === %q)`, program)), 20*time.Second)
	}
	_, grown, _ := run("Concurrent", 20000)
	if grown < 40<<20 {
		t.Fatalf("20,000 goroutines ended with %.1f MiB of linear memory: too little to tell a touched spare from a fresh one", grown/(1<<20))
	}
	waitSpare("sleep/concurrent")
	start, _, done := run("Concurrent", 20000)
	if start < grown {
		t.Errorf("the re-run started with %.1f MiB, want at least the %.1f MiB the last run ended with", start/(1<<20), grown/(1<<20))
	}
	if done != 20000 {
		t.Errorf("the re-run on grown memory: %d tasks done, want 20000", done)
	}
	waitSpare("sleep/concurrent")
	if start, _, _ := run("Sync", 2); start >= grown {
		t.Errorf("sleep/sync started with %.1f MiB, the re-run spare of sleep/concurrent: it should take a plain one", start/(1<<20))
	}
	chromiumtest.AssertClean(t, tab)
}
