package main

import (
	"fmt"
	"os"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium"
)

// benchFidParts (step fidparts, only when named) splits the sleep example's fidelity into its
// parts, interleaved in one settled page so the machine's drift falls on each part alike: the
// playground's Run concurrent (the program, its output shown, the timeline drawn), the same
// bundle through runProgram traced and untraced (nothing drawn), and cmd/bench/testdata/quiet
// (no output; not a bundle, so never traced). Their differences say what the page, the tracer
// and printing cost the program: go run ./cmd/bench -only fidparts.
func benchFidParts(r *results, root string, reps int) error {
	pageOf, stop, err := releaseSite(root)
	if err != nil {
		return err
	}
	defer stop()
	chrome, err := chromium.Launch()
	if err != nil {
		return err
	}
	defer chrome.Close()
	for _, n := range []int{1000, 10000} {
		if err := fidParts(r, chrome, pageOf("sleep"), n, reps); err != nil {
			return fmt.Errorf("%d tasks: %w", n, err)
		}
	}
	return nil
}

func fidParts(r *results, chrome *chromium.Browser, page string, n, reps int) error {
	tab, closeTab, err := chrome.Open(10 * time.Minute)
	if err != nil {
		return err
	}
	defer closeTab()
	if err := tab.Run(chromedp.Navigate(fmt.Sprintf("%s?tasks=%d&delay=1000", page, n))); err != nil {
		return err
	}
	sec := `document.querySelector('section.playground[data-example="sleep"]')`
	if err := settle(tab, sec); err != nil {
		return err
	}
	// rerun false: the bench's own program (quiet) makes no re-run spare (runner.js), so the
	// sleep example's next run still finds its own
	program := func(wasm, trace, rerun string) string {
		return fmt.Sprintf(`(async () => { const m = await `+runner+`;
			const r = await m.runProgram({wasm: %s, argv: ["-tasks", "%d", "-delay", "1s"], trace: %s, rerun: %s});
			return r.status === "done" ? r.elapsedMs : -1 })()`, wasm, n, trace, rerun)
	}
	parts := []struct{ name, js string }{
		{"the playground's Run concurrent", `(async () => { const s = ` + sec + `, p = s.querySelector('.pg-run[data-variant="concurrent"]');
			s.querySelector('[data-action="run-concurrent"]').click();
			const until = (f) => new Promise(r => { const w = () => f() ? r() : setTimeout(w, 20); w() });
			await until(() => p.dataset.state === "done");
			await until(() => { const e = p.querySelector("[data-scheduler]"); return e && e.dataset.scheduler !== "parsing" });
			return Number(p.dataset.elapsedMs) })()`},
		{"runProgram, traced", program(sec+`.dataset.wasmConcurrent`, "true", "true")},
		{"runProgram, untraced", program(sec+`.dataset.wasmConcurrent`, "false", "true")},
		{"without output, untraced", program(`"/bench/quiet.wasm"`, "false", "false")},
	}
	got := make([][]float64, len(parts))
	for i := 0; i < reps; i++ {
		var round []float64
		for j, p := range parts {
			var e float64
			if err := tab.Eval(`new Promise(r => setTimeout(() => r(0), 500))`, &e); err != nil {
				return err
			}
			if err := tab.Eval(p.js, &e); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			if e < 0 {
				return fmt.Errorf("%s: the run did not end done", p.name)
			}
			got[j] = append(got[j], e)
			round = append(round, e)
		}
		fmt.Fprintf(os.Stderr, "  %d tasks, round %d (load %s): %.0f ms\n", n, i+1, loadAvg(), round)
	}
	for j, p := range parts {
		r.add(fmt.Sprintf("%d × 1 s, %s, wall ÷ 1 s", n, p.name), fmt.Sprintf("%.3f", medianF(got[j])/1000), "", true,
			fmt.Sprintf("median of %d, interleaved with the others: %.0f ms", reps, got[j]))
	}
	return nil
}
