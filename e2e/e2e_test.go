package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"unblocked/internal/chromium"
	"unblocked/internal/chromium/chromiumtest"
)

// lessonWith returns the URL path (under base "/") of the first lesson in lang holding match
// (the language's index, /<lang>/, lists lessons but is none).
func lessonWith(t *testing.T, lang, match string) string {
	t.Helper()
	var found []string
	filepath.WalkDir(filepath.Join(siteDir, lang), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" || filepath.Dir(p) == filepath.Join(siteDir, lang) {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), match) {
			rel, _ := filepath.Rel(siteDir, filepath.Dir(p))
			found = append(found, "/"+filepath.ToSlash(rel)+"/")
		}
		return nil
	})
	if len(found) == 0 {
		t.Fatalf("no %s page contains %q", lang, match)
	}
	sort.Strings(found)
	return found[0]
}

// open opens base+path in a tab of its own and waits until the page's scripts are ready.
func open(t *testing.T, base, path string) *chromium.Tab {
	t.Helper()
	return openReady(t, chromiumtest.NewTab(t, chrome, 90*time.Second), base, path)
}

// openReady is open in a tab the caller made (a longer timeout, another device).
func openReady(t *testing.T, tab *chromium.Tab, base, path string) *chromium.Tab {
	t.Helper()
	if err := tab.Run(chromedp.Navigate(base + path)); err != nil {
		t.Fatalf("navigate %s: %v", path, err)
	}
	waitReady(t, tab)
	return tab
}

func waitReady(t *testing.T, tab *chromium.Tab) {
	t.Helper()
	if err := tab.WaitJS(pageReady, 15*time.Second); err != nil {
		t.Fatal(err)
	}
}

// goOffline cuts tab off the network, its service worker included: what it shows next comes from
// the caches the site filled, as on a phone that left the room's Wi-Fi.
func goOffline(t *testing.T, tab *chromium.Tab) {
	t.Helper()
	if _, err := chromedp.Call(tab.Ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: boolp(true),
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("emulate offline: %v", err)
	}
}

func boolp(b bool) *bool { return &b }

func evalT[T any](t *testing.T, tab *chromium.Tab, js string) T {
	t.Helper()
	var v T
	if err := tab.Eval(js, &v); err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

func waitJS(t *testing.T, tab *chromium.Tab, js string, timeout time.Duration) {
	t.Helper()
	if err := tab.WaitJS(js, timeout); err != nil {
		var dump string
		tab.Eval(`Array.from(document.querySelectorAll(".pg-run, .ex-result")).map(p => (p.dataset.variant||"ex") + "=" + (p.dataset.state||p.dataset.verdict) + ": " + p.textContent.slice(0, 300)).join("\n")`, &dump)
		t.Fatalf("%v\npage state:\n%s", err, dump)
	}
}

// pg is a JS expression for the playground of an example.
func pg(example string) string {
	return fmt.Sprintf(`document.querySelector('section.playground[data-example=%q]')`, example)
}
func panel(example, variant string) string {
	return fmt.Sprintf(`%s.querySelector('.pg-run[data-variant=%s]')`, pg(example), variant)
}
func click(t *testing.T, tab *chromium.Tab, sel string) {
	t.Helper()
	var ok bool
	if err := tab.Eval(`(() => { const b = `+sel+`; if (!b) return false; b.click(); return true })()`, &ok); err != nil || !ok {
		t.Fatalf("click %s: not found (%v)", sel, err)
	}
}
func setParam(t *testing.T, tab *chromium.Tab, example, name, value string) {
	t.Helper()
	evalT[bool](t, tab, fmt.Sprintf(`(() => { const i = %s.querySelector('input[name=%s]'); i.value = %q; i.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, pg(example), name, value))
}

func TestPagesClean(t *testing.T) {
	t.Parallel()
	paths := []string{"/", lessonWith(t, "en", `class="playground"`), lessonWith(t, "zh", `class="playground"`)}
	for _, p := range paths {
		tab := open(t, server.URL, p)
		// wait for the scripts and the service worker (its install precaches), not for a while
		waitJS(t, tab, `document.documentElement.dataset.scripts === "ready" && navigator.serviceWorker.ready.then(() => true)`, 30*time.Second)
		var title string
		tab.Eval(`document.title`, &title)
		if title == "" {
			t.Errorf("%s: empty title", p)
		}
		chromiumtest.AssertClean(t, tab)
		if strings.HasPrefix(p, "/zh/") {
			names := evalT[[]string](t, tab, `Array.from(document.querySelector("section.playground").querySelectorAll("button[data-action^=run], button[data-action=stop]")).map(b => b.textContent.trim())`)
			if strings.Join(names, ",") != "运行同步版,运行并发版,同时运行,停止" {
				t.Errorf("%s: Chinese button names %q", p, names)
			}
		}
	}
}

func TestRunBoth(t *testing.T) {
	// not parallel: it times the page, so it runs alone
	const tasks, delay = 5, 300
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`)+fmt.Sprintf("?pg=sleep&tasks=%d&delay=%d", tasks, delay))
	vals := evalT[map[string]any](t, tab, pageJS(pgAPI("sleep")+`.readParams()`))
	if vals["tasks"] != float64(tasks) || vals["delay"] != float64(delay) {
		t.Fatalf("URL parameters not applied: %v", vals)
	}
	name := evalT[string](t, tab, pg("sleep")+`.querySelector("[data-action=run-both]").textContent.trim()`)
	if name != "Run both" {
		t.Errorf("run-both button named %q", name)
	}
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	// the timeline grows while running
	waitJS(t, tab, pg("sleep")+`.querySelectorAll(".pg-bar").length > 0`, 10*time.Second)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 20*time.Second)
	res := evalT[map[string]any](t, tab, pageJS(`(async () => { const s = `+pg("sleep")+`; return {
		sync: Number(s.querySelector(".pg-run[data-variant=sync]").dataset.elapsedMs),
		conc: Number(s.querySelector(".pg-run[data-variant=concurrent]").dataset.elapsedMs),
		pageSync: Number(s.querySelector(".pg-run[data-variant=sync]").dataset.pageElapsedMs),
		pageConc: Number(s.querySelector(".pg-run[data-variant=concurrent]").dataset.pageElapsedMs),
		syncBars: s.querySelectorAll(".pg-bar[data-variant=sync]").length,
		concBars: s.querySelectorAll(".pg-bar[data-variant=concurrent]").length,
		open: Array.from(s.querySelectorAll(".pg-bar")).filter(b => !b.style.getPropertyValue("--e")).length,
		rows: s.querySelectorAll(".pg-timeline table tbody tr").length,
		speedup: s.querySelector(".pg-speedup").textContent,
		visible: s.querySelector(".pg-run[data-variant=sync]").textContent,
		syncBarWidth: s.querySelector(".pg-bar[data-variant=sync]").getBoundingClientRect().width,
		lanesWidth: s.querySelector(".pg-lanes").getBoundingClientRect().width,
		mode: `+pgAPI("sleep")+`.timeline().mode,
		canvases: s.querySelectorAll("canvas.pg-canvas").length,
	} })()`))
	if res["mode"] != "dom" || res["canvases"] != float64(0) {
		t.Errorf("5 tasks: timeline mode %v with %v canvases, want DOM bars", res["mode"], res["canvases"])
	}
	t.Logf("measured: %v", res)
	syncMs, concMs := res["sync"].(float64), res["conc"].(float64)
	// What a loaded machine cannot change: nobody sleeps less than asked, and the two runs of
	// this very page differ by about the number of tasks (at least half of it).
	if concMs < delay || syncMs < tasks*delay {
		t.Errorf("elapsed sync %.0f ms, concurrent %.0f ms: below the sleeps themselves (%d, %d ms)", syncMs, concMs, tasks*delay, delay)
	}
	if r := syncMs / concMs; r < tasks/2.0 {
		t.Errorf("sync/concurrent = %.2f, want ≥ %.1f (tasks/2) for %d tasks of %d ms", r, tasks/2.0, tasks, delay)
	}
	// The timeline's own data: sync tasks one after another, concurrent ones all at once.
	checkOverlap(t, evalT[string](t, tab, pageJS(pgAPI("sleep")+`.csv("sync")`)), false)
	checkOverlap(t, evalT[string](t, tab, pageJS(pgAPI("sleep")+`.csv("concurrent")`)), true)
	if res["syncBars"] != float64(tasks) || res["concBars"] != float64(tasks) {
		t.Errorf("bars: sync %v concurrent %v, want %d each", res["syncBars"], res["concBars"], tasks)
	}
	if res["open"] != float64(0) {
		t.Errorf("%v bars never closed", res["open"])
	}
	if res["rows"] != float64(2*tasks) {
		t.Errorf("timeline table has %v rows, want %d", res["rows"], 2*tasks)
	}
	if !regexp.MustCompile(`\d+\.\d× faster`).MatchString(res["speedup"].(string)) {
		t.Errorf("speed-up text %q", res["speedup"])
	}
	if !strings.Contains(res["visible"].(string), fmt.Sprint(int(syncMs+0.5))) && !strings.Contains(res["visible"].(string), fmt.Sprintf("%d,%03d", int(syncMs+0.5)/1000, int(syncMs+0.5)%1000)) {
		t.Errorf("elapsed time not shown in the panel: %q", res["visible"])
	}
	// one shared axis: a sync bar (300 ms of ~1500) is a fraction of the lane, not all of it
	if w, lw := res["syncBarWidth"].(float64), res["lanesWidth"].(float64); w <= 0 || w > lw*0.4 {
		t.Errorf("sync bar width %.1f of lanes %.1f", w, lw)
	}
	// a second run: module compiled, spare worker ready
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done"`, 10*time.Second)
	t.Logf("second run: %s", evalT[string](t, tab, panel("sleep", "concurrent")+`.querySelector(".pg-status").textContent`))
	chromiumtest.AssertClean(t, tab)
}

func TestStopAndRerun(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`)+"?pg=sleep&tasks=5&delay=5000")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.querySelector(".pg-output").textContent.includes("start")`, 10*time.Second)
	// Stop ends the run before the program's first 5 s sleep would have: no task is ever done.
	ms := evalT[float64](t, tab, `new Promise(resolve => {
		const p = `+panel("sleep", "sync")+`, t0 = performance.now();
		`+pg("sleep")+`.querySelector("[data-action=stop]").click();
		const check = () => p.dataset.state === "stopped" ? resolve(performance.now() - t0) : setTimeout(check, 5);
		check();
	})`)
	t.Logf("stopped after %.1f ms", ms)
	if ms >= 5000 {
		t.Errorf("Stop took %.0f ms, as long as the program's own sleep", ms)
	}
	if out := evalT[string](t, tab, panel("sleep", "sync")+`.querySelector(".pg-output").textContent`); strings.Contains(out, "done") {
		t.Errorf("a task finished although the run was stopped during its sleep:\n%s", out)
	}
	setParam(t, tab, "sleep", "tasks", "2")
	setParam(t, tab, "sleep", "delay", "50ms")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done"`, 10*time.Second)
	if n := evalT[float64](t, tab, pg("sleep")+`.querySelectorAll(".pg-bar[data-variant=concurrent]").length`); n != 2 {
		t.Errorf("%v concurrent bars after rerun, want 2", n)
	}
	chromiumtest.AssertClean(t, tab)
}

func TestCPUSpinKeepsPageResponsive(t *testing.T) {
	// not parallel: it times the page, so it runs alone
	tab := open(t, ownOrigin(t), lessonWith(t, "en", `data-example="sleep"`)) // it toggles the theme, kept in its origin's localStorage
	const spinMs = 4000
	evalT[bool](t, tab, pageJS(`(window.__spin = (await mod("runner")).runProgram({wasm: config.base + "e2e/spin.wasm", argv: ["-delay", "4s"],
		onLine: l => { window.__spinLines = (window.__spinLines || []).concat(l.text) } }), true)`))
	waitJS(t, tab, `(window.__spinLines || []).some(l => l.startsWith("task 1 start"))`, 10*time.Second)
	var worst time.Duration
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		// a click that changes the page, and a timer tick in the page
		lag := evalT[float64](t, tab, `new Promise(r => { const t0 = performance.now(); document.querySelector("button[data-action=toggle-theme]").click(); setTimeout(() => r(performance.now() - t0), 0) })`)
		d := time.Since(t0)
		if d > worst {
			worst = d
		}
		// A program on the page's thread would freeze it for the whole 4 s spin; in its worker the
		// page answers in a small fraction of that, however busy the machine.
		if lag > spinMs/8 {
			t.Errorf("page event loop lag %.0f ms while the program spins for %d ms", lag, spinMs)
		}
		// pace the probes over the spin (the program is still spinning: checked below)
		evalT[bool](t, tab, `new Promise(r => setTimeout(() => r(true), 100))`)
	}
	t.Logf("worst round trip while spinning: %v", worst)
	if worst > spinMs*time.Millisecond/8 {
		t.Errorf("page answered in %v while a program spins for %d ms", worst, spinMs)
	}
	if lines := evalT[[]string](t, tab, `window.__spinLines`); len(lines) == 0 || strings.Contains(strings.Join(lines, "\n"), "done after") {
		t.Errorf("the program was not still spinning during the checks: %q", lines)
	}
	evalT[bool](t, tab, `(window.__spin.stop(), true)`)
	r := evalT[map[string]any](t, tab, pageJS(`(await mod("runner")).runProgram({wasm: config.base + "e2e/spin.wasm", argv: ["-delay", "10s"], timeLimitMs: 800})
		.then(r => ({status: r.status, message: r.message}))`))
	if r["status"] != "timeout" || !strings.Contains(r["message"].(string), "time limit") {
		t.Errorf("runaway program with an 800 ms limit: %v", r)
	}
}

// injectPlayground adds a playground running test programs to the page and hydrates it.
var injectPlayground = pageJS(`(async () => {
	const b = config.base;
	const s = document.createElement("section");
	s.className = "playground";
	s.dataset.example = "e2e-errors";
	s.dataset.wasmSync = b + "e2e/panic.wasm";
	s.dataset.wasmConcurrent = b + "e2e/deadlock.wasm";
	s.dataset.net = "false";
	s.dataset.params = JSON.stringify({tasks: {value: 1, min: 1, max: 10}});
	s.innerHTML = '<button data-action="run-sync">Run sync</button><button data-action="run-concurrent">Run concurrent</button><button data-action="run-both">Run both</button><button data-action="stop">Stop</button>' +
		'<div class="pg-run" data-variant="sync"><pre class="pg-output"></pre></div><div class="pg-run" data-variant="concurrent"><pre class="pg-output"></pre></div><div class="pg-timeline"></div>';
	document.querySelector("main").append(s);
	(await mod("playground")).hydrate(s);
	return true;
})()`)

func TestPanicAndDeadlockShown(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`))
	evalT[bool](t, tab, injectPlayground)
	click(t, tab, pg("e2e-errors")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("e2e-errors", "sync")+`.dataset.state === "error" && `+panel("e2e-errors", "concurrent")+`.dataset.state === "error"`, 15*time.Second)
	got := evalT[map[string]string](t, tab, `(() => { const s = `+pg("e2e-errors")+`; return {
		panic: s.querySelector(".pg-run[data-variant=sync]").textContent,
		deadlock: s.querySelector(".pg-run[data-variant=concurrent]").textContent,
		stderr: Array.from(s.querySelectorAll(".pg-output span.stderr")).map(e => e.textContent).join(""),
	} })()`)
	for _, want := range []string{"panic: assignment to entry in nil map", "exit status 2"} {
		if !strings.Contains(got["panic"], want) {
			t.Errorf("panic panel lacks %q:\n%s", want, got["panic"])
		}
	}
	if !strings.Contains(got["deadlock"], "fatal error: all goroutines are asleep - deadlock!") {
		t.Errorf("deadlock panel lacks the fatal error:\n%s", got["deadlock"])
	}
	if !strings.Contains(got["stderr"], "goroutine 1 [") {
		t.Errorf("stderr not shown as span.stderr: %q", got["stderr"])
	}
	// the next run works
	setParam(t, tab, "sleep", "tasks", "2")
	setParam(t, tab, "sleep", "delay", "20ms")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done"`, 10*time.Second)
	click(t, tab, pg("e2e-errors")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("e2e-errors", "sync")+`.dataset.state === "error"`, 10*time.Second)
}

// The speed-up line compares only runs that did the same work: not when one run left tasks
// unfinished (forgetting to wait), and not for a pair whose concurrent version is the mistake.
func TestSpeedupOnlyWhenComparable(t *testing.T) {
	t.Parallel()
	for ex, want := range map[string]string{
		"forgetwait": "Not compared: the concurrent run finished 0 of 3 tasks.",
		"race":       "Not compared: here the concurrent version is the mistake",
	} {
		// The two pairs live in different lessons; each is opened on its own page.
		tab := open(t, server.URL, lessonWith(t, "en", `data-example="`+ex+`"`)+"?pg="+ex+"&tasks=3&delay=200")
		click(t, tab, pg(ex)+`.querySelector("[data-action=run-both]")`)
		waitJS(t, tab, panel(ex, "sync")+`.dataset.state === "done" && `+panel(ex, "concurrent")+`.dataset.state === "done" && `+pg(ex)+`.querySelector(".pg-speedup").textContent`, 30*time.Second)
		if got := evalT[string](t, tab, pg(ex)+`.querySelector(".pg-speedup").textContent`); !strings.HasPrefix(got, want) {
			t.Errorf("%s: speed-up line %q, want %q…", ex, got, want)
		}
		chromiumtest.AssertClean(t, tab)
	}
}

// Run both does not start a sync run that cannot finish within the time limit: its panel says
// why, the concurrent one runs, and the speed-up is a lower bound.
func TestRunBothSkipsSyncPastTimeLimit(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`)+"?pg=sleep&tasks=100&delay=1000")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done" && `+pg("sleep")+`.querySelector(".pg-speedup").textContent`, 30*time.Second)
	r := evalT[map[string]string](t, tab, `({state: `+panel("sleep", "sync")+`.dataset.state, status: `+panel("sleep", "sync")+`.querySelector(".pg-status").textContent,
		speed: `+pg("sleep")+`.querySelector(".pg-speedup").textContent})`)
	if r["state"] != "idle" || !strings.Contains(r["status"], "Not run: one task after another this takes at least 100s, past the time limit of 60 s") {
		t.Errorf("sync panel: %v", r)
	}
	if !regexp.MustCompile(`^Concurrent vs sync: at least \d+× faster \(the sync version was not run\)$`).MatchString(r["speed"]) {
		t.Errorf("speed-up line %q", r["speed"])
	}
	chromiumtest.AssertClean(t, tab)
}

// Keyboard: Enter in a parameter runs both; Stop, pressed from the keyboard, hands focus back to
// Run both when it disables itself (a disabled button drops focus to the page).
func TestPlaygroundKeyboard(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`)+"?pg=sleep&tasks=2&delay=5000")
	evalT[bool](t, tab, `(`+pg("sleep")+`.querySelector("input[name=tasks]").focus(), true)`)
	if err := tab.Run(chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "running" && `+panel("sleep", "concurrent")+`.dataset.state === "running"`, 10*time.Second)
	evalT[bool](t, tab, `(`+pg("sleep")+`.querySelector("[data-action=stop]").focus(), true)`)
	if err := tab.Run(chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "stopped" && `+panel("sleep", "concurrent")+`.dataset.state === "stopped"`, 5*time.Second)
	if a := evalT[string](t, tab, `document.activeElement.dataset.action || document.activeElement.tagName`); a != "run-both" {
		t.Errorf("focus after Stop on %q, want run-both", a)
	}
	chromiumtest.AssertClean(t, tab)
}

func TestURLParamsClamped(t *testing.T) {
	t.Parallel()
	path := lessonWith(t, "en", `data-example="sleep"`)
	tab := open(t, server.URL, path+"?pg=sleep&tasks=99999999&delay=-5")
	res := evalT[map[string]any](t, tab, pageJS(`(async () => { const s = `+pg("sleep")+`, p = JSON.parse(s.dataset.params); return {
		max: p.tasks.max, vals: `+pgAPI("sleep")+`.readParams(),
		msgs: Array.from(s.querySelectorAll(".pg-param-msg")).map(m => m.textContent).join("|") } })()`))
	vals := res["vals"].(map[string]any)
	if vals["tasks"] != res["max"] || vals["delay"] != float64(0) {
		t.Errorf("not clamped: %v (max tasks %v)", vals, res["max"])
	}
	if !strings.Contains(res["msgs"].(string), "maximum") || !strings.Contains(res["msgs"].(string), "minimum") {
		t.Errorf("no clamp messages: %q", res["msgs"])
	}
	// NaN is refused with a message and does not run
	setParam(t, tab, "sleep", "tasks", "lots")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	// the refusal is the message appearing; the run would have set data-state at once
	waitJS(t, tab, pg("sleep")+`.querySelector(".pg-param-msg[data-for=tasks]").textContent !== ""`, 10*time.Second)
	state := evalT[string](t, tab, panel("sleep", "sync")+`.dataset.state`)
	msg := evalT[string](t, tab, pg("sleep")+`.querySelector(".pg-param-msg[data-for=tasks]").textContent`)
	if state != "idle" || msg == "" {
		t.Errorf("NaN tasks: state %q, message %q", state, msg)
	}
	setParam(t, tab, "sleep", "tasks", "3")
	setParam(t, tab, "sleep", "delay", "250ms")
	search := evalT[string](t, tab, `location.search`)
	if !strings.Contains(search, "tasks=3") || !strings.Contains(search, "delay=250") {
		t.Errorf("URL not updated: %q", search)
	}
}

// TestNetExampleOnFirstVisit: a net/http example runs on a static host on the very first visit
// (no service worker in control yet), its requests answered in the worker.
func TestNetExampleOnFirstVisit(t *testing.T) {
	t.Parallel()
	// a fresh origin: the first visit is not controlled by the service worker yet
	srv := ownServer(t)
	path := lessonWith(t, "en", `data-net="true"`)
	tab := open(t, srv.URL, path)
	example := evalT[string](t, tab, `document.querySelector('section.playground[data-net="true"]').dataset.example`)
	controlled := evalT[bool](t, tab, `!!navigator.serviceWorker.controller`)
	t0 := time.Now()
	click(t, tab, pg(example)+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel(example, "concurrent")+`.dataset.state !== "running"`, 60*time.Second)
	state := evalT[string](t, tab, panel(example, "concurrent")+`.dataset.state`)
	out := evalT[string](t, tab, panel(example, "concurrent")+`.querySelector(".pg-output").textContent`)
	t.Logf("controlled at first click: %v; run finished after %v (elapsed %s ms): %q", controlled, time.Since(t0).Round(time.Millisecond),
		evalT[string](t, tab, panel(example, "concurrent")+`.dataset.elapsedMs || ""`), out)
	if state != "done" {
		t.Fatalf("net example state %q: %s", state, out)
	}
	// the static server has no lab/: the worker answered the program
	if l := srv.Paths("/lab/"); len(l) > 0 {
		t.Errorf("lab requests reached the network: %v", l)
	}
	chromiumtest.AssertClean(t, tab)
}

func TestOfflineAfterFirstLoad(t *testing.T) {
	t.Parallel()
	srv := ownServer(t)
	path := lessonWith(t, "en", `data-example="sleep"`)
	tab := open(t, srv.URL, path)
	waitJS(t, tab, `navigator.serviceWorker.controller`, 15*time.Second)
	// nothing is precached (a first visit stays light, docs/arch/classroom.md): what the learner
	// uses is cached as it is used — the page, and the wasm of a playground that came into view
	evalT[bool](t, tab, `((e) => { e.scrollIntoView(); return true })(`+pg("sleep")+`)`)
	waitJS(t, tab, `(async () => {
		const e = `+pg("sleep")+`;
		for (const u of [location.pathname, e.dataset.wasmSync, e.dataset.wasmConcurrent]) if (!(await caches.match(u))) return false;
		return true })()`, 60*time.Second)
	cacheState := `(async () => { const out = []; for (const n of await caches.keys()) { const c = await caches.open(n); const k = await c.keys(); out.push(n + ": " + k.length + " " + k.filter(r => r.url.endsWith(".wasm")).map(r => r.url.split("/").pop()).join(" ")) } return out.join("\n") })()`
	t.Log("before:", evalT[string](t, tab, cacheState))
	srv.Close()
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatalf("reload offline: %v", err)
	}
	waitReady(t, tab)
	t.Log("after:", evalT[string](t, tab, cacheState))
	setParam(t, tab, "sleep", "tasks", "2")
	setParam(t, tab, "sleep", "delay", "30ms")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 15*time.Second)
}

func TestExercisesJudgedAndRemembered(t *testing.T) {
	t.Parallel()
	path := lessonWith(t, "en", `data-predict="elapsed"`)
	tab := open(t, server.URL, path)
	ex := `document.querySelector('section.exercise[data-predict="elapsed"]')`
	evalT[bool](t, tab, `(() => { const e = `+ex+`; e.scrollIntoView(); e.querySelector("input[name=prediction]").value = "300"; e.querySelector("button[data-action=check]").click(); return true })()`)
	waitJS(t, tab, ex+`.querySelector(".ex-result").dataset.verdict`, 30*time.Second)
	r := evalT[map[string]any](t, tab, `(() => { const e = `+ex+`; return {verdict: e.querySelector(".ex-result").dataset.verdict,
		measured: Number(e.dataset.measuredMs), tolerance: Number(e.dataset.toleranceMs), text: e.querySelector(".ex-result").textContent,
		explained: !e.querySelector(".ex-explanation").hidden, id: e.dataset.exercise} })()`)
	t.Logf("elapsed exercise: %v", r)
	m := r["measured"].(float64)
	want := "incorrect"
	if d := 300 - m; d < 0 && -d <= r["tolerance"].(float64) || d >= 0 && d <= r["tolerance"].(float64) {
		want = "correct"
	}
	if r["verdict"] != want {
		t.Errorf("verdict %v for prediction 300 ms and measured %.0f ms, want %s", r["verdict"], m, want)
	}
	if r["explained"] != true {
		t.Error("explanation still hidden after answering")
	}
	// a choice exercise, if the page has one
	hasChoice := evalT[bool](t, tab, `!!document.querySelector('section.exercise[data-predict="choice"]')`)
	cx := `document.querySelector('section.exercise[data-predict="choice"]')`
	if hasChoice {
		evalT[bool](t, tab, `(() => { const e = `+cx+`; e.querySelector("input[type=radio][data-accepted]").click(); e.querySelector("button[data-action=check]").click(); return true })()`)
		waitJS(t, tab, cx+`.querySelector(".ex-result").dataset.verdict`, 30*time.Second)
		if v := evalT[string](t, tab, cx+`.querySelector(".ex-result").dataset.verdict`); v != "correct" {
			t.Errorf("accepted choice judged %q", v)
		}
		if out := evalT[string](t, tab, cx+`.querySelector(".ex-output").textContent`); !strings.Contains(out, "task") {
			t.Errorf("choice output not shown: %q", out)
		}
	}
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	waitJS(t, tab, ex+`.querySelector(".ex-result").dataset.verdict`, 5*time.Second)
	after := evalT[map[string]any](t, tab, `(() => { const e = `+ex+`; return {verdict: e.querySelector(".ex-result").dataset.verdict,
		value: e.querySelector("input[name=prediction]").value, explained: !e.querySelector(".ex-explanation").hidden,
		stored: JSON.parse(localStorage.getItem("unblocked.progress.v1")).exercises[e.dataset.exercise]} })()`)
	if after["verdict"] != r["verdict"] || after["value"] != "300" || after["explained"] != true {
		t.Errorf("not restored after reload: %v", after)
	}
	if hasChoice {
		if v := evalT[string](t, tab, cx+`.querySelector(".ex-result").dataset.verdict`); v != "correct" {
			t.Errorf("choice verdict after reload %q", v)
		}
	}
	chromiumtest.AssertClean(t, tab)
}

func TestProgressAndTheme(t *testing.T) {
	t.Parallel()
	path := lessonWith(t, "en", `data-lesson=`)
	tab := open(t, ownOrigin(t), path) // it toggles the theme, kept in its origin's localStorage
	slug := evalT[string](t, tab, pageJS(`config.lesson`))
	evalT[bool](t, tab, pageJS(`((await mod("progress")).markRead(config.lesson), true)`))
	theme := evalT[string](t, tab, `document.documentElement.dataset.theme`)
	click(t, tab, `document.querySelector("button[data-action=toggle-theme]")`)
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	got := evalT[map[string]any](t, tab, fmt.Sprintf(`({read: document.querySelector('[data-lesson=%q]').dataset.read, theme: document.documentElement.dataset.theme})`, slug))
	if got["read"] != "true" {
		t.Errorf("lesson %s not ticked after reload: %v", slug, got)
	}
	if got["theme"] == theme {
		t.Errorf("theme toggle not remembered: %v → %v", theme, got["theme"])
	}
	// Reset asks first: declined, nothing is forgotten; accepted, the ticks go and it says so
	ticked := `document.querySelectorAll("[data-lesson][data-read]").length`
	before := evalT[float64](t, tab, ticked)
	evalT[bool](t, tab, `(window.__asked = 0, window.confirm = () => (window.__asked++, false), true)`)
	click(t, tab, `document.querySelector("button[data-action=reset-progress]")`)
	if n := evalT[float64](t, tab, ticked); n != before || before == 0 || evalT[float64](t, tab, `window.__asked`) != 1 {
		t.Errorf("declined reset: %v ticks before, %v after, asked %v times", before, n, evalT[float64](t, tab, `window.__asked`))
	}
	evalT[bool](t, tab, `(window.confirm = () => true, true)`)
	click(t, tab, `document.querySelector("button[data-action=reset-progress]")`)
	if n := evalT[float64](t, tab, ticked); n != 0 {
		t.Errorf("%v lessons still ticked after reset", n)
	}
	if s := evalT[string](t, tab, `document.querySelector(".progress-note[role=status]").textContent`); s != "Progress cleared." {
		t.Errorf("reset said %q", s)
	}
}

func TestSubBase(t *testing.T) {
	t.Parallel()
	var page string
	filepath.WalkDir(filepath.Join(subRoot, "sub", "en"), func(p string, d fs.DirEntry, err error) error {
		if page == "" && err == nil && d.Name() == "index.html" {
			b, _ := os.ReadFile(p)
			if strings.Contains(string(b), `data-example="sleep"`) {
				rel, _ := filepath.Rel(subRoot, filepath.Dir(p))
				page = "/" + filepath.ToSlash(rel) + "/"
			}
		}
		return nil
	})
	if page == "" {
		t.Fatal("no sleep lesson under /sub/")
	}
	tab := open(t, subSrv.URL, page+"?pg=sleep&tasks=3&delay=100")
	if b := evalT[string](t, tab, pageJS(`config.base`)); b != "/sub/" {
		t.Fatalf("base %q", b)
	}
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 15*time.Second)
	waitJS(t, tab, `navigator.serviceWorker.controller`, 15*time.Second) // registered with the /sub/ scope
	lab := evalT[string](t, tab, pageJS(`(await mod("runner")).runProgram({wasm: config.base + "e2e/labprobe.wasm", argv: ["-base", (await mod("config")).labBase(), "delay/20ms/a/b"]}).then(r => r.lines.map(l => l.text).join("|"))`))
	if lab != `200 "ok a/b\n"` || !strings.HasSuffix(evalT[string](t, tab, pageJS(`(await mod("config")).labBase()`)), "/sub/lab/") {
		t.Errorf("lab under /sub/: %q", lab)
	}
	chromiumtest.AssertClean(t, tab)
}

// watchLongTasks records the page's long tasks (PerformanceObserver "longtask", ms) and the
// longest gap between the ticks of a 20 ms interval timer, from now on.
const watchLongTasks = `(() => { window.__long = []; new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push([Math.round(e.startTime), Math.round(e.duration)]))).observe({type: "longtask"});
	let last = performance.now(); window.__gap = 0; window.__tick = setInterval(() => { const n = performance.now(); window.__gap = Math.max(window.__gap, n - last); last = n }, 20); return true })()`

// settle waits until the page has had no long task for 1.5 s (at most 20 s).
const settle = `new Promise(r => { let last = performance.now(); const t0 = last;
	new PerformanceObserver(l => { last = performance.now() }).observe({type: "longtask"});
	const check = () => (performance.now() - last > 1500 || performance.now() - t0 > 20000) ? r(true) : setTimeout(check, 100); check() })`

// maxLongTask stops the gap timer and returns the longest long task, the longest timer gap and
// all long tasks as "start:duration".
func maxLongTask(t *testing.T, tab *chromium.Tab) (longest, gap float64, all string) {
	t.Helper()
	r := evalT[map[string]any](t, tab, `(clearInterval(window.__tick), {gap: window.__gap, max: Math.max(0, ...window.__long.map(e => e[1])), all: window.__long.map(e => e.join(":")).join(" ")})`)
	return r["max"].(float64), r["gap"].(float64), r["all"].(string)
}

// TestTenThousandTasks: 10,000 tasks of 1 s stream 20,000 task lines; the page stays smooth (no
// long task over a quarter of the run: with tasks of 100 ms, a 345 ms run, the end of the run's
// 57-114 ms drawing on a busy machine was that), the timeline is drawn on canvases with every bar, the table is summarised with the
// full data as CSV, and the output keeps the program's summary after the 10,000-line cap.
func TestTenThousandTasks(t *testing.T) {
	// not parallel: it times the page, so it runs alone
	tab := open(t, ownOrigin(t), lessonWith(t, "en", `data-example="thousands"`)+"?pg=thousands&tasks=10000&delay=1000") // it toggles the theme, kept in its origin's localStorage
	evalT[bool](t, tab, pg("thousands")+`.scrollIntoView(), true`)
	// the widget in view loads the editor (CodeMirror) and compiles the wasm: measure the run only
	evalT[bool](t, tab, settle)
	evalT[bool](t, tab, watchLongTasks)
	t0 := time.Now()
	click(t, tab, pg("thousands")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("thousands", "concurrent")+`.dataset.state === "done"`, 60*time.Second)
	// two frames more: the last redraw and table update
	evalT[bool](t, tab, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	longest, gap, all := maxLongTask(t, tab)
	res := evalT[map[string]any](t, tab, pageJS(`(async () => { const s = `+pg("thousands")+`, api = `+pgAPI("thousands")+`, tl = api.timeline();
		const c = s.querySelector("canvas.pg-canvas[data-variant=concurrent]");
		const out = s.querySelector(".pg-run[data-variant=concurrent] .pg-output");
		// pixels of the concurrent colour, as the canvas draws it
		const probe = document.createElement("canvas").getContext("2d");
		probe.fillStyle = getComputedStyle(s).getPropertyValue("--concurrent").trim(); probe.fillRect(0, 0, 1, 1);
		const want = probe.getImageData(0, 0, 1, 1).data;
		let coloured = 0, total = 0;
		if (c && c.width) { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; total = d.length / 4;
			for (let i = 0; i < d.length; i += 4) if (d[i] === want[0] && d[i+1] === want[1] && d[i+2] === want[2] && d[i+3] === 255) coloured++; }
		const text = out.textContent, lines = text.replace(/\n$/, "").split("\n");
		const last = out.lastElementChild ? out.lastElementChild.getBoundingClientRect() : null, box = out.getBoundingClientRect();
		const summary = s.querySelector(".pg-table tr.pg-summary[data-variant=concurrent]");
		return {
			elapsed: Number(s.querySelector(".pg-run[data-variant=concurrent]").dataset.elapsedMs),
			mode: tl.mode, bars: tl.bars.concurrent, open: tl.open.concurrent, domBars: s.querySelectorAll(".pg-bar").length,
			canvasW: c ? c.width : 0, laneW: c ? Math.round(c.parentElement.clientWidth * devicePixelRatio) : -1, coloured, total,
			rows: s.querySelectorAll(".pg-table tbody tr[data-variant=concurrent]").length,
			summary: summary ? summary.textContent : "", csvButton: !!(summary && summary.querySelector("button[data-action=download-csv]")),
			csvLines: api.csv("concurrent").trim().split("\n").length,
			lines: lines.length, tail: lines.slice(-4).join(" | "),
			notices: Array.from(out.querySelectorAll(".notice")).map(n => n.textContent.trim()),
			endVisible: !!last && last.bottom <= box.bottom + 2 && out.scrollTop + out.clientHeight >= out.scrollHeight - 2,
		} })()`))
	t.Logf("10,000 tasks: %v; click to done %v", res, time.Since(t0).Round(time.Millisecond))
	t.Logf("long tasks (start:duration ms): %s; longest %.0f ms; longest 20 ms-timer gap %.0f ms", all, longest, gap)
	if res["mode"] != "canvas" || res["domBars"] != float64(0) {
		t.Errorf("timeline mode %v with %v DOM bars, want canvas and none", res["mode"], res["domBars"])
	}
	if res["bars"] != float64(10000) || res["open"] != float64(0) {
		t.Errorf("bars %v (open %v), want 10000 closed", res["bars"], res["open"])
	}
	if w, lw := res["canvasW"].(float64), res["laneW"].(float64); w == 0 || w != lw {
		t.Errorf("canvas %v device px wide, lane %v", w, lw)
	}
	if c, n := res["coloured"].(float64), res["total"].(float64); n == 0 || c < n/10 {
		t.Errorf("canvas shows %v of %v pixels in the concurrent colour, want ≥ 10 %%", c, n)
	}
	if r := res["rows"].(float64); r != 21 {
		t.Errorf("table has %v concurrent rows, want 10 + summary + 10", r)
	}
	if s := res["summary"].(string); !regexp.MustCompile(`^10,000 concurrent tasks: first start [\d,]+ ms, last done [\d,]+ ms; 9,980 rows not listed\.`).MatchString(s) || res["csvButton"] != true {
		t.Errorf("summary row %q (CSV button %v)", s, res["csvButton"])
	}
	if n := res["csvLines"].(float64); n != 10001 {
		t.Errorf("CSV has %v lines, want header + 10,000", n)
	}
	if l := res["lines"].(float64); l < 10003 || l > 10000+2+20 {
		t.Errorf("output holds %v lines, want the cap of 10,000 + 2 notices + the kept tail", l)
	}
	if tail := res["tail"].(string); !regexp.MustCompile(`memory: \d+ KiB, about \d+ bytes per goroutine \| all 10000 tasks done in `).MatchString(tail) {
		t.Errorf("the program's summary is not at the end of the output: %q", tail)
	}
	notices := fmt.Sprint(res["notices"])
	if !strings.Contains(notices, "output limit of 10,000 lines reached") || !regexp.MustCompile(`… [\d,]+ lines not shown …`).MatchString(notices) {
		t.Errorf("notices %s", notices)
	}
	if res["endVisible"] != true {
		t.Errorf("the end of the output is not scrolled into view")
	}
	// Smooth means the page kept answering through the run: no single task of the page takes a
	// large share of the run it draws (on a quiet machine the longest is well under 100 ms).
	if e := res["elapsed"].(float64); longest > e/4 {
		t.Errorf("longest long task %.0f ms during a 10,000-task run of %.0f ms, want ≤ a quarter of it", longest, e)
	}

	// theme change: the canvas is redrawn in the new theme's --concurrent
	colour := `(() => { const s = ` + pg("thousands") + `, c = s.querySelector("canvas.pg-canvas[data-variant=concurrent]");
		const probe = document.createElement("canvas").getContext("2d"); probe.fillStyle = getComputedStyle(s).getPropertyValue("--concurrent").trim(); probe.fillRect(0, 0, 1, 1);
		const w = probe.getImageData(0, 0, 1, 1).data, d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] === w[0] && d[i+1] === w[1] && d[i+2] === w[2] && d[i+3] === 255) n++;
		return n })()`
	before := evalT[float64](t, tab, colour)
	evalT[bool](t, tab, `(document.querySelector("button[data-action=toggle-theme]").click(), true)`)
	if before == 0 {
		t.Fatal("no canvas pixels in the theme's colour before the theme change")
	}
	waitJS(t, tab, colour+` > `+fmt.Sprint(before/2), 5*time.Second)
	chromiumtest.AssertClean(t, tab)
}

// TestThousandsOutputCapZh: the output-cap notices are in the page's language.
func TestThousandsOutputCapZh(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "zh", `data-example="thousands"`)+"?pg=thousands&tasks=10000&delay=100")
	click(t, tab, pg("thousands")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("thousands", "concurrent")+`.dataset.state === "done"`, 60*time.Second)
	got := evalT[map[string]any](t, tab, `(() => { const out = `+panel("thousands", "concurrent")+`.querySelector(".pg-output");
		return {notices: Array.from(out.querySelectorAll(".notice")).map(n => n.textContent.trim()).join(" | "),
			tail: out.textContent.trim().split("\n").slice(-1)[0],
			summary: (`+pg("thousands")+`.querySelector(".pg-table tr.pg-summary") || {}).textContent || ""} })()`)
	t.Logf("zh: %v", got)
	if n := got["notices"].(string); !strings.Contains(n, "已达到 10,000 行的输出上限") || !regexp.MustCompile(`有 [\d,]+ 行未显示`).MatchString(n) {
		t.Errorf("zh notices %q", n)
	}
	if !strings.HasPrefix(got["tail"].(string), "all 10000 tasks done in ") {
		t.Errorf("zh: last output line %q", got["tail"])
	}
	if s := got["summary"].(string); !strings.Contains(s, "个并发任务：首个开始于") || !strings.Contains(s, "下载 CSV") {
		t.Errorf("zh summary row %q", s)
	}
	chromiumtest.AssertClean(t, tab)
}

func TestChoiceExercise(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-predict="choice"`))
	cx := `document.querySelector('section.exercise[data-predict="choice"]')`
	// checking a radio elsewhere on the page must not clear this exercise's choice
	evalT[bool](t, tab, `(() => { const e = `+cx+`; e.scrollIntoView(); e.querySelector("input[type=radio][name=prediction][data-accepted]").click();
		const other = document.querySelector('section.exercise[data-predict="choice"] ~ section.exercise[data-predict="choice"] input[type=radio]'); if (other) other.click(); return true })()`)
	if !evalT[bool](t, tab, cx+`.querySelector("input[type=radio][data-accepted]").checked`) {
		t.Fatal("the choice was cleared by a radio of another exercise")
	}
	click(t, tab, cx+`.querySelector("button[data-action=check]")`)
	waitJS(t, tab, cx+`.querySelector(".ex-result").dataset.verdict`, 30*time.Second)
	got := evalT[map[string]any](t, tab, `(() => { const e = `+cx+`; return {verdict: e.querySelector(".ex-result").dataset.verdict,
		output: e.querySelector(".ex-output").textContent, explained: !e.querySelector(".ex-explanation").hidden} })()`)
	if got["verdict"] != "correct" || got["explained"] != true || !strings.Contains(got["output"].(string), "task") {
		t.Errorf("accepted choice: %v", got)
	}
	chromiumtest.AssertClean(t, tab)
}

// checkOverlap reads a timeline CSV (a header naming start_ms and end_ms, then a row per bar)
// and checks the order the runs promise: concurrent tasks all running at one moment (every start
// before every end), sync tasks one after another (each starts after the one before ended).
func checkOverlap(t *testing.T, csv string, concurrent bool) {
	t.Helper()
	type bar struct{ start, end float64 }
	var bars []bar
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	head := strings.Split(lines[0], ",")
	s, e := slices.Index(head, "start_ms"), slices.Index(head, "end_ms")
	if s < 0 || e < 0 {
		t.Fatalf("timeline csv header %q: no start_ms, end_ms", lines[0])
	}
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		if len(f) != len(head) {
			continue
		}
		var b bar
		if _, err := fmt.Sscan(f[s], &b.start); err != nil {
			t.Fatalf("csv %q: %v", line, err)
		}
		if _, err := fmt.Sscan(f[e], &b.end); err != nil {
			t.Fatalf("csv %q: %v", line, err)
		}
		bars = append(bars, b)
	}
	if len(bars) < 2 {
		t.Fatalf("timeline csv has %d bars:\n%s", len(bars), csv)
	}
	sort.Slice(bars, func(i, j int) bool { return bars[i].start < bars[j].start })
	if concurrent {
		lastStart, firstEnd := bars[len(bars)-1].start, bars[0].end
		for _, b := range bars {
			firstEnd = min(firstEnd, b.end)
		}
		if lastStart >= firstEnd {
			t.Errorf("concurrent tasks not all running at once: last start %.1f ms, first end %.1f ms", lastStart, firstEnd)
		}
		return
	}
	for i := 1; i < len(bars); i++ {
		if bars[i].start < bars[i-1].end {
			t.Errorf("sync task %d starts at %.1f ms before the previous one ended (%.1f ms)", i+1, bars[i].start, bars[i-1].end)
		}
	}
}

// TestRerunAfterLongRun: after a run of hundreds of lines the next run waits for its cleared
// panel to be drawn before the program starts (playground.js, painted) — in a tab in view and
// in one that draws no frames — and then shows only its own output, timed.
func TestRerunAfterLongRun(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`)+"?pg=sleep&tasks=300&delay=10ms")
	out := panel("sleep", "concurrent") + `.querySelector(".pg-output").textContent`
	for i, hide := range []bool{false, false, true} {
		if hide {
			// a background tab gets no animation frames: the start must not wait for one
			evalT[bool](t, tab, `(window.__raf = requestAnimationFrame, window.requestAnimationFrame = () => 0, true)`)
		}
		click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
		waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done"`, 20*time.Second)
		text := evalT[string](t, tab, out)
		if n := strings.Count(text, "task 1 start"); n != 1 {
			t.Errorf("run %d: %d lines of task 1's start, want 1 (the panel shows another run's output too)", i+1, n)
		}
		if n := strings.Count(text, " done\n"); n != 300 {
			t.Errorf("run %d: %d tasks done in the output, want 300", i+1, n)
		}
		if ms := evalT[string](t, tab, panel("sleep", "concurrent")+`.dataset.elapsedMs || ""`); ms == "" {
			t.Errorf("run %d: no elapsed time", i+1)
		}
	}
	evalT[bool](t, tab, `(window.requestAnimationFrame = window.__raf, true)`)
	chromiumtest.AssertClean(t, tab)
}
