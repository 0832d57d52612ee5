package e2e

import (
	"fmt"
	"testing"
)

// TestShortSleepsNotClamped: a program's short sleeps take what they ask for. Go's runtime sets
// each wake-up with setTimeout from inside the timeout that woke it, and a browser clamps such
// nested timeouts to 4 ms: 200 sleeps of 1 ms then took about four times one sleep of 200 ms
// (a 1 ms ticker ticked every 4 ms). The worker sets its timeouts from a message task instead
// (wasmexec.js, unclampedTimers). Both times come from the same run.
func TestShortSleepsNotClamped(t *testing.T) {
	t.Parallel()
	path := lessonWith(t, "en", `data-example="sleep"`)
	tab := open(t, server.URL, path)
	out := evalT[string](t, tab, pageJS(`(await mod("runner")).runProgram({wasm: config.base + "e2e/ticks.wasm", argv: ["-n", "200"]})
		.then(r => r.status + ": " + r.lines.map(l => l.text).join("\n"))`))
	var steps, once float64
	if _, err := fmt.Sscanf(out, "done: steps %g once %g", &steps, &once); err != nil {
		t.Fatalf("run: %q (%v)", out, err)
	}
	ratio := steps / once
	if ratio > 3.2 { // clamped, each sleep takes at least 4 ms: at least 4 ×
		t.Errorf("200 sleeps of 1 ms took %.0f µs, %.1f × one sleep of 200 ms (%.0f µs): the browser's 4 ms clamp", steps, ratio, once)
	}
	t.Logf("200 sleeps of 1 ms: %.2f × one sleep of 200 ms", ratio)
}
