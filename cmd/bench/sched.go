package main

import (
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium"
)

// benchSched measures what a learner waits for after a run at 10,000 goroutines (the sleep
// example, 10,000 × 1 s, Run concurrent on a settled page): from the run's end to the
// scheduler view drawn (its data-drawn-ms: the trace to the parser's worker, the summary back,
// the view drawn) and to the timeline's task bars redrawn from the trace (the bars note's
// data-drawn-ms). The browser step reports the first figure from its fidelity runs too; this
// step runs only these: go run ./cmd/bench -only sched.
func benchSched(r *results, root string, runs int) error {
	const n = 10000
	pageOf, stop, err := releaseSite(root)
	if err != nil {
		return err
	}
	defer stop()
	pageURL := pageOf("sleep")
	return inFreshBrowser(10*time.Minute, func(tab *chromium.Tab) error {
		if err := tab.Run(chromedp.Navigate(fmt.Sprintf("%s?tasks=%d&delay=1000", pageURL, n))); err != nil {
			return err
		}
		if err := settle(tab, sleepSec); err != nil {
			return err
		}
		return schedRuns(r, tab, runs)
	})
}

// schedRuns presses Run concurrent on the settled sleep page runs times and adds the figures.
func schedRuns(r *results, tab *chromium.Tab, runs int) error {
	var view, bars []float64
	goroutines := 0
	for i := 0; i < runs; i++ {
		var got struct {
			View       float64 `json:"view"`
			Bars       float64 `json:"bars"`
			From       string  `json:"from"`
			Goroutines int     `json:"goroutines"`
		}
		if err := tab.Eval(`(async () => { const s = `+sleepSec+`, p = s.querySelector('.pg-run[data-variant="concurrent"]');
			await new Promise(r => setTimeout(r, 500));
			s.querySelector('[data-action="run-concurrent"]').click();
			const until = (f) => new Promise(r => { const w = () => f() ? r() : setTimeout(w, 20); w() });
			await until(() => p.dataset.state === "done");
			await until(() => { const e = p.querySelector("[data-scheduler]"); return e && e.dataset.scheduler !== "parsing" });
			const e = p.querySelector("[data-scheduler]"), note = s.querySelector(".pg-bars-note[data-variant=concurrent]");
			await until(() => e.dataset.scheduler !== "ready" || note.dataset.drawnMs !== undefined || !note.hidden);
			const tl = (await import(JSON.parse(document.getElementById("site-config").textContent).modules.playground)).instance(s).timeline();
			return { view: e.dataset.scheduler === "ready" ? Number(e.dataset.drawnMs) : -1,
				bars: note.dataset.drawnMs !== undefined ? Number(note.dataset.drawnMs) : -1,
				from: tl.from.concurrent, goroutines: Number(e.dataset.goroutines) || 0 } })()`, &got); err != nil {
			return err
		}
		if got.View < 0 || got.Bars < 0 || got.From != "trace" {
			return fmt.Errorf("run %d: view %v ms, bars %v ms from %q: the view or the trace's bars were not drawn", i+1, got.View, got.Bars, got.From)
		}
		view = append(view, got.View)
		bars = append(bars, got.Bars)
		goroutines = got.Goroutines
	}
	v, b := medianF(view), medianF(bars)
	r.add("run end → scheduler view drawn, 10,000 goroutines", fmt.Sprintf("%.0f ms", v), "≤ 300 ms", v <= 300,
		fmt.Sprintf("median of %d runs (%v ms; %d goroutines at once): the page's run end (runner.js endedAt) → data-drawn-ms: the trace to the parser (a program worker running site/sched/parser), the summary back, the view drawn", runs, view, goroutines))
	r.add("run end → timeline bars from the trace, 10,000 goroutines", fmt.Sprintf("%.0f ms", b), "", true,
		fmt.Sprintf("the same runs (%v ms): until the timeline's 10,000 task bars are redrawn from the trace (after the view)", bars))
	return nil
}
