package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"unblocked/internal/chromium"
)

// sched is the data contract of a run panel's scheduler view (docs/arch/scheduler.md) and what
// the view shows.
type sched struct {
	State      string  `json:"state"`
	Goroutines int     `json:"goroutines"`
	BusyMs     float64 `json:"busyMs"`
	WallMs     float64 `json:"wallMs"`
	Complete   string  `json:"complete"`
	Words      string  `json:"words"`
	Rows       int     `json:"rows"`
	CSVLines   int     `json:"csvLines"`
	Canvas     bool    `json:"canvas"`
	// the thread lane: spans run by user goroutines, and the most user goroutines running at
	// any instant (one thread: never more than 1)
	Spans      int `json:"spans"`
	MaxRunning int `json:"maxRunning"`
	// the median over goroutines other than main of waiting time ÷ running time
	WaitPerRun float64 `json:"waitPerRun"`
}

// schedOf waits until the panel's view has parsed its trace and reads it.
func schedOf(t *testing.T, tab *chromium.Tab, example, variant string) sched {
	t.Helper()
	p := panel(example, variant)
	el := p + `.querySelector("[data-scheduler]")`
	waitJS(t, tab, `(() => { const e = `+el+`; return !!e && e.dataset.scheduler !== "parsing" })()`, 60*time.Second)
	s := evalT[sched](t, tab, pageJS(`(async () => { const e = `+el+`; const d = e.dataset;
		const v = (await mod("scheduler")).instance(`+p+`); const s = v.summary();
		let spans = 0, maxRunning = 0, waitPerRun = 0;
		if (s) {
			const r = s.gs.slice(1).map((g) => { let run = 0, wait = 0; for (let i = 0; i < g.iv.length; i += 4) { const d = g.iv[i+1] - g.iv[i]; if (g.iv[i+2] === 0) run += d; else if (g.iv[i+2] === 2) wait += d; } return wait / Math.max(run, 1); }).sort((a, b) => a - b);
			waitPerRun = r.length ? r[r.length >> 1] : 0;
			const ev = [];
			for (const g of s.gs) for (let i = 0; i < g.iv.length; i += 4) if (g.iv[i+2] === 0) { spans++; if (g.iv[i+1] > g.iv[i]) ev.push([g.iv[i], 1], [g.iv[i+1], -1]); }
			ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
			let n = 0; for (const [, d] of ev) { n += d; maxRunning = Math.max(maxRunning, n); }
		}
		return {
		state: d.scheduler, goroutines: Number(d.goroutines), busyMs: Number(d.busyMs), wallMs: Number(d.wallMs), complete: d.complete || "",
		words: (e.querySelector(".pg-sched-words") || {}).textContent || "",
		rows: e.querySelectorAll(".pg-sched-table tbody tr").length,
		csvLines: v.csv().trim().split("\n").length, canvas: !!e.querySelector(".pg-sched-canvas canvas"),
		spans, maxRunning, waitPerRun } })()`))
	if s.State != "ready" {
		t.Fatalf("%s %s: scheduler view %q: %s", example, variant, s.State, s.Words)
	}
	t.Logf("%s %s: %+v", example, variant, s)
	return s
}

// TestSchedulerThousandWaits: the first lesson's sleep example at 1,000 tasks. The concurrent
// run shows at least 1,000 goroutines alive at once while the thread ran Go code a small share
// of the trace's span; the sync run one goroutine, working one at a time. Both say their
// figures in words, draw them, and have a table and a CSV as their text alternative; the view
// zooms from the keyboard.
func TestSchedulerThousandWaits(t *testing.T) {
	// its own origin: another test's saved edit of the sleep example would make the sync run interpreted
	tab := open(t, ownOrigin(t), lessonWith(t, "en", `data-example="sleep"`)+"?tasks=1000&delay=1s")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done"`, 60*time.Second)
	c := schedOf(t, tab, "sleep", "concurrent")
	if c.Goroutines < 1000 || c.Complete != "true" {
		t.Errorf("concurrent: %d goroutines at once (want ≥ 1000), complete %q", c.Goroutines, c.Complete)
	}
	// The tasks wait: each goroutine spends its life waiting, not running (a ratio that holds on
	// a loaded machine, where everything the thread does takes longer but a sleep does not), and
	// the thread is not busy the whole span. (On a quiet machine busy is a few per cent of the
	// span, plus about 60 µs per printed line: cmd/bench reports it; here the machine's load
	// would decide it.)
	if c.WaitPerRun < 10 {
		t.Errorf("concurrent: a goroutine waits only %.1f × as long as it runs (median)", c.WaitPerRun)
	}
	if !(c.WallMs >= 1000) || c.BusyMs <= 0 || c.BusyMs/c.WallMs > 0.9 {
		t.Errorf("concurrent: busy %v ms of %v ms: want a share of a span of at least the 1 s wait", c.BusyMs, c.WallMs)
	}
	if !strings.Contains(c.Words, "goroutines at once; the thread ran Go code for") || !c.Canvas {
		t.Errorf("concurrent: words %q, canvas %v", c.Words, c.Canvas)
	}
	// text alternative: the first 100 goroutines in the table, all of them (and a header) in the CSV
	if c.Rows != 100 || c.CSVLines < 1001+1 {
		t.Errorf("concurrent: %d table rows (want 100), %d CSV lines (want ≥ 1,002)", c.Rows, c.CSVLines)
	}
	// (a running span may read 0 µs long: the worker's clock is coarse, and a goroutine that prints
	// and goes to sleep runs for microseconds)
	if c.MaxRunning != 1 || c.Spans < 1000 {
		t.Errorf("concurrent: %d goroutines running at once (one thread: want 1), %d running spans", c.MaxRunning, c.Spans)
	}

	// keyboard: "+" on the focused drawing zooms in (the range shown shrinks), "0" shows all again
	p := panel("sleep", "concurrent")
	rng := p + `.querySelector(".pg-sched-range").textContent`
	key := func(k string) {
		evalT[bool](t, tab, `(() => { const b = `+p+`.querySelector(".pg-sched-canvas"); b.focus(); b.dispatchEvent(new KeyboardEvent("keydown", {key: "`+k+`", bubbles: true})); return document.activeElement === b })()`)
	}
	whole := evalT[string](t, tab, rng)
	key("+")
	if zoomed := evalT[string](t, tab, rng); zoomed == whole {
		t.Errorf("zoom in: the range stayed %q", whole)
	}
	key("ArrowRight")
	key("0")
	if back := evalT[string](t, tab, rng); back != whole {
		t.Errorf("after 0 the range is %q, want the whole %q", back, whole)
	}

	// the sync version: one goroutine at a time, working one task after another
	setParam(t, tab, "sleep", "tasks", "3")
	setParam(t, tab, "sleep", "delay", "200ms")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done"`, 60*time.Second)
	s := schedOf(t, tab, "sleep", "sync")
	if s.Goroutines != 1 || s.MaxRunning != 1 || s.Rows != 1 || !(s.WallMs >= 600) {
		t.Errorf("sync: %d goroutines at once, %d running at once, %d rows, wall %v ms: want one goroutine over ≥ 3 × 200 ms", s.Goroutines, s.MaxRunning, s.Rows, s.WallMs)
	}
	// a new run replaces the view: the concurrent panel's still shows its own run
	if c2 := schedOf(t, tab, "sleep", "concurrent"); c2.Goroutines != c.Goroutines {
		t.Errorf("the concurrent view changed to %d goroutines", c2.Goroutines)
	}
}

// TestSchedulerStarve: the pitfalls lesson's starve example computes, so the thread is busy most
// of the trace's span (a ratio of the same run), unlike the sleeping tasks above.
func TestSchedulerStarve(t *testing.T) {
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="starve" data-wasm-sync`))
	click(t, tab, pg("starve")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("starve", "concurrent")+`.dataset.state === "done"`, 60*time.Second)
	c := schedOf(t, tab, "starve", "concurrent")
	if c.BusyMs/c.WallMs < 0.6 {
		t.Errorf("starve: busy %v ms of %v ms: want most of it", c.BusyMs, c.WallMs)
	}
	if c.MaxRunning != 1 {
		t.Errorf("starve: %d goroutines running at once on one thread", c.MaxRunning)
	}
}

// TestSchedulerZh: the view's words are the page's language.
func TestSchedulerZh(t *testing.T) {
	tab := open(t, server.URL, lessonWith(t, "zh", `data-example="sleep"`)+"?tasks=20&delay=100ms")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done"`, 60*time.Second)
	c := schedOf(t, tab, "sleep", "concurrent")
	if !strings.Contains(c.Words, "同一时刻最多") || !strings.Contains(c.Words, "个 goroutine；") || c.Goroutines < 20 {
		t.Errorf("zh: %q (%d goroutines)", c.Words, c.Goroutines)
	}
}

// TestSchedulerTimeLimit: a run the time limit stops still shows the trace recorded until then
// (the runtime hands it over a generation, about a second, at a time), marked incomplete.
func TestSchedulerTimeLimit(t *testing.T) {
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`)+"?tasks=50&delay=10s")
	evalT[bool](t, tab, `(`+pg("sleep")+`.dataset.timeLimitMs = "3000", true)`)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "stopped"`, 60*time.Second)
	c := schedOf(t, tab, "sleep", "concurrent")
	note := evalT[string](t, tab, `(`+panel("sleep", "concurrent")+`.querySelector(".pg-sched-note") || {}).textContent || ""`)
	if c.Complete != "false" || c.Goroutines < 51 || !strings.Contains(note, "stopped") {
		t.Errorf("stopped at the limit: complete %q, %d goroutines (want ≥ 51), note %q", c.Complete, c.Goroutines, note)
	}
}

// bars is what a run's timeline lane shows once its scheduler view is ready: where its bars came
// from, how many, open ones, and each bar's span (ms on the run's axis).
type bars struct {
	From    string      `json:"from"`
	N       int         `json:"n"`
	Open    int         `json:"open"`
	Note    string      `json:"note"`
	Elapsed float64     `json:"elapsed"`
	Spans   [][]float64 `json:"spans"`
}

func barsOf(t *testing.T, tab *chromium.Tab, example, variant string) bars {
	t.Helper()
	schedOf(t, tab, example, variant)
	// the trace's bars replace the printed ones in the same task as the view's ready mark
	b := evalT[bars](t, tab, pageJS(`(async () => { const api = `+pgAPI(example)+`, tl = api.timeline();
		const [head, ...rows] = api.csv("`+variant+`").trim().split("\n").map((r) => r.split(","));
		const col = (name) => head.indexOf(name); // by name: the columns are task,language,variant,start_ms,end_ms
		return { from: tl.from["`+variant+`"], n: tl.bars["`+variant+`"], open: tl.open["`+variant+`"],
			note: (`+pg(example)+`.querySelector(".pg-bars-note[data-variant=`+variant+`]") || {}).textContent || "",
			elapsed: Number(`+panel(example, variant)+`.dataset.elapsedMs),
			spans: rows.map((r) => [Number(r[col("start_ms")]), r[col("end_ms")] === "" ? -1 : Number(r[col("end_ms")])]) } })()`))
	t.Logf("%s %s bars: from %s, %d (open %d), %q", example, variant, b.From, b.N, b.Open, b.Note)
	return b
}

// TestTraceBars: the task bars of the timeline come from the run's trace: the concurrent sleep
// run's one goroutine per task, as many as its tasks, each within the run and at least as long
// as its sleep; the sync run's tasks ran in turn on main, which the trace cannot split, so its
// printed bars stay, and the note says so.
func TestTraceBars(t *testing.T) {
	const tasks, delay = 20, 300
	tab := open(t, ownOrigin(t), lessonWith(t, "en", `data-example="sleep"`)+fmt.Sprintf("?tasks=%d&delay=%d", tasks, delay))
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 60*time.Second)
	c := barsOf(t, tab, "sleep", "concurrent")
	if c.From != "trace" || c.N != tasks || c.Open != 0 || len(c.Spans) != tasks || !strings.Contains(c.Note, "one bar per goroutine the program started") {
		t.Fatalf("concurrent: bars from %q, %d (open %d, %d rows), note %q: want %d from the trace", c.From, c.N, c.Open, len(c.Spans), c.Note, tasks)
	}
	for _, sp := range c.Spans {
		// on the run's axis: within the run (a bar drawn on the trace's own axis, or from the
		// wrong clock, falls outside), and no goroutine sleeps less than asked
		if sp[0] < 0 || sp[1] > c.Elapsed || sp[1]-sp[0] < delay {
			t.Errorf("concurrent bar %v: want within [0, %v] ms and ≥ %d ms long", sp, c.Elapsed, delay)
		}
	}
	s := barsOf(t, tab, "sleep", "sync")
	if s.From != "lines" || s.N != tasks || !strings.Contains(s.Note, "ran one after another on the main goroutine") {
		t.Errorf("sync: bars from %q, %d, note %q: want the %d printed ones, and why", s.From, s.N, s.Note, tasks)
	}
}

// TestTraceBarsOneGoroutine: the sync starve run prints its tasks on main and starts one
// goroutine (its heartbeat), so its printed bars stay; the note says "1 goroutine", not
// "1 goroutines".
func TestTraceBarsOneGoroutine(t *testing.T) {
	tab := open(t, server.URL, pitfallsPage(t)+"?pg=starve&tasks=2&delay=40")
	click(t, tab, pg("starve")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("starve", "sync")+`.dataset.state === "done"`, 60*time.Second)
	s := barsOf(t, tab, "starve", "sync")
	if s.From != "lines" || !strings.Contains(s.Note, "started 1 goroutine,") {
		t.Errorf("starve sync: bars from %q, note %q: want the printed bars and a note saying it started 1 goroutine", s.From, s.Note)
	}
}

// TestTraceBarsWithoutPrinting: a program that prints no task lines still gets one bar per task,
// from its trace: the sleep example edited to print nothing, compiled (served) and interpreted
// (static; the view then says its figures include the interpreter's work).
func TestTraceBarsWithoutPrinting(t *testing.T) {
	for _, m := range editModes {
		t.Run(m.name, func(t *testing.T) {
			tab := openEdit(t, m.origin(t), sleepPage(t, "en"), "sleep")
			src := exampleSource(t, "sleep", "concurrent")
			src = replaceOnce(t, src, `fmt.Printf("task %d start: sleeping %v\n", id, delay)`, `_ = id`)
			src = replaceOnce(t, src, `	fmt.Printf("task %d done\n", id)`+"\n", "")
			setSource(t, tab, "sleep", "concurrent", src)
			state, out := runEdited(t, tab, "sleep", "concurrent", 200*time.Second)
			if state != "done" || strings.Contains(out, "task ") {
				t.Fatalf("state %s, output %q: want a run that prints no task line", state, out)
			}
			if e, _ := engineOf(t, tab, "sleep", "concurrent"); e != m.engine {
				t.Fatalf("engine %q, want %q", e, m.engine)
			}
			if m.engine == "interpreted" {
				el := panel("sleep", "concurrent") + `.querySelector("[data-scheduler]")`
				waitJS(t, tab, el+` && `+el+`.dataset.scheduler !== "parsing"`, 30*time.Second)
				if st := evalT[string](t, tab, el+`.dataset.scheduler + " " + `+el+`.dataset.goroutines + " " + !!`+el+`.querySelector("[data-engine=interpreted]")`); st != fmt.Sprintf("ready %d true", editTasks+1) {
					t.Errorf("interpreted run's view: %q, want ready, %d goroutines at once (main and the tasks) and the interpreter's note", st, editTasks+1)
				}
			}
			b := barsOf(t, tab, "sleep", "concurrent")
			if b.From != "trace" || b.N != editTasks || b.Open != 0 {
				t.Errorf("bars from %q, %d (open %d): want %d from the trace", b.From, b.N, b.Open, editTasks)
			}
			for _, sp := range b.Spans {
				if sp[0] < 0 || sp[1] > b.Elapsed || sp[1]-sp[0] < editDelay {
					t.Errorf("bar %v: want within [0, %v] ms and ≥ %d ms long", sp, b.Elapsed, editDelay)
				}
			}
		})
	}
}
