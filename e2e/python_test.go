package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium"
	"unblocked/internal/chromium/chromiumtest"
)

// Run Python (python.js, pyworker.js, docs/arch/python.md): the example's Python pair runs in
// Pyodide in the page's workers, side by side, into panels marked data-engine="python", with
// its bars on the playground's timeline; Pyodide is fetched only when Run Python is pressed.

// openPy opens a page in a tab with room for a cold Pyodide load on a busy 2-core machine
// (measured: 17 s at load 20, 67 s at load 22, ~3 s quiet); the waits themselves wait on signals.
func openPy(t *testing.T, base, path string) *chromium.Tab {
	t.Helper()
	return openReady(t, chromiumtest.NewTab(t, chrome, 6*time.Minute), base, path)
}

// pyPanel is a JS expression for an example's Python panel of variant.
func pyPanel(example, variant string) string {
	return fmt.Sprintf(`%s.querySelector('.pg-run[data-engine=python][data-variant=%s]')`, pg(example), variant)
}

// pyBars is a JS expression: the Python bars of lane as [{s, e}] (ms, from their style).
func pyBars(example, lane string) string {
	return fmt.Sprintf(`Array.from(%s.querySelectorAll('.pg-bar[data-variant=%s]')).map(b => ({s: Number(b.style.getPropertyValue("--s")), e: Number(b.style.getPropertyValue("--e"))}))`, pg(example), lane)
}

// pyodideFetched lists what of Pyodide a tab and its workers asked the server for: the
// server's own log (it sees every request, a worker's included) and the tab's network log.
func pyodideFetched(srv *staticServer, tab *chromium.Tab) (server, network []string) {
	for _, r := range tab.Requests() {
		if strings.Contains(r, "/assets/pyodide.") {
			network = append(network, r)
		}
	}
	return srv.Paths("/assets/pyodide."), network
}

func TestRunPython(t *testing.T) {
	// not parallel: it times the page. Its own server: a fresh origin (no service worker, no
	// HTTP cache of another test) whose request log is this test's alone.
	srv := ownServer(t)
	const tasks, delay = 5, 1000
	tab := openPy(t, srv.URL, lessonWith(t, "en", `data-example="sleep"`)+fmt.Sprintf("?tasks=%d&delay=%d", tasks, delay))
	btn := pg("sleep") + `.querySelector("[data-action=run-python]")`
	if name := evalT[string](t, tab, `(b => b.getAttribute("aria-label") || b.textContent.trim())(`+btn+`)`); name != "Run Python" {
		t.Errorf("Run Python button named %q", name)
	}
	// The page has loaded everything it loads by itself: scripts, the service worker's install
	// (its precache), the Go modules it warms. No byte of Pyodide so far.
	waitJS(t, tab, `navigator.serviceWorker.ready.then(() => true)`, 30*time.Second)
	evalT[bool](t, tab, `(() => { `+pg("sleep")+`.scrollIntoView(); return true })()`) // the playground warms its Go modules near the viewport
	waitJS(t, tab, `performance.getEntriesByType("resource").some(e => e.name.includes(".wasm"))`, 30*time.Second)
	if s, n := pyodideFetched(srv, tab); len(s)+len(n) > 0 {
		t.Fatalf("Pyodide fetched before Run Python was pressed: server %v, network %v", s, n)
	}
	if evalT[bool](t, tab, pyPanel("sleep", "sync")+`.getClientRects().length > 0`) {
		t.Error("the Python panels show before Run Python")
	}

	click(t, tab, btn)
	done := pyPanel("sleep", "sync") + `.dataset.state === "done" && ` + pyPanel("sleep", "concurrent") + `.dataset.state === "done"`
	waitJS(t, tab, done, 4*time.Minute)
	res := evalT[map[string]any](t, tab, `(() => { const s = `+pg("sleep")+`; return {
		sync: Number(`+pyPanel("sleep", "sync")+`.dataset.elapsedMs),
		conc: Number(`+pyPanel("sleep", "concurrent")+`.dataset.elapsedMs),
		syncOut: `+pyPanel("sleep", "sync")+`.querySelector(".pg-output").textContent,
		concOut: `+pyPanel("sleep", "concurrent")+`.querySelector(".pg-output").textContent,
		syncBars: `+pyBars("sleep", "py-sync")+`,
		concBars: `+pyBars("sleep", "py-concurrent")+`,
		labels: Array.from(s.querySelectorAll(".pg-lane-label")).map(l => l.dataset.variant + "=" + l.textContent),
		load: s.querySelector(".pg-py-load").textContent,
		goBars: s.querySelectorAll(".pg-bar[data-variant=sync], .pg-bar[data-variant=concurrent]").length,
	} })()`)
	t.Logf("measured: sync %v ms, asyncio %v ms; %v", res["sync"], res["conc"], res["load"])
	syncMs, concMs := res["sync"].(float64), res["conc"].(float64)
	if concMs < delay || syncMs < tasks*delay {
		t.Errorf("elapsed sync %.0f ms, asyncio %.0f ms: below the sleeps themselves", syncMs, concMs)
	}
	// five one-second sleeps in a row against five at once, measured together: about 5× (at
	// least half of it on a loaded machine, as for the Go pair; never more than 5 and a bit)
	if r := syncMs / concMs; r < tasks/2.0 || r > tasks*1.2 {
		t.Errorf("sync/asyncio = %.2f, want about %d (%.1f to %.1f)", r, tasks, tasks/2.0, tasks*1.2)
	}
	for _, out := range []string{res["syncOut"].(string), res["concOut"].(string)} {
		if !strings.Contains(out, "task 1 start: sleeping 1s\n") || !strings.Contains(out, fmt.Sprintf("all %d tasks done in ", tasks)) {
			t.Errorf("Python output lacks the Go pair's lines:\n%s", out)
		}
	}
	// the bars on the shared timeline: one after another, and all at once
	type bar struct{ S, E float64 }
	bars := func(key string) []bar {
		var out []bar
		for _, b := range res[key].([]any) {
			m := b.(map[string]any)
			out = append(out, bar{m["s"].(float64), m["e"].(float64)})
		}
		return out
	}
	sb, cb := bars("syncBars"), bars("concBars")
	if len(sb) != tasks || len(cb) != tasks {
		t.Fatalf("Python bars: sync %d, asyncio %d, want %d each", len(sb), len(cb), tasks)
	}
	for i := 1; i < len(sb); i++ {
		if sb[i].S < sb[i-1].E {
			t.Errorf("sync task %d started at %.0f ms, before task %d ended at %.0f ms", i+1, sb[i].S, i, sb[i-1].E)
		}
	}
	lastStart, firstEnd := 0.0, cb[0].E
	for _, b := range cb {
		lastStart, firstEnd = max(lastStart, b.S), min(firstEnd, b.E)
	}
	if lastStart >= firstEnd {
		t.Errorf("asyncio tasks not all waiting at once: last start %.0f ms, first end %.0f ms", lastStart, firstEnd)
	}
	labels := fmt.Sprint(res["labels"])
	if !strings.Contains(labels, "py-sync=Python, sync") || !strings.Contains(labels, "py-concurrent=Python, asyncio") || !strings.Contains(labels, "sync=Sync") {
		t.Errorf("lane labels %s: want the Go lanes and two Python lanes named by language", labels)
	}
	if !strings.Contains(res["load"].(string), "Pyodide was ready") {
		t.Errorf("loading time not shown apart: %q", res["load"])
	}
	if s, _ := pyodideFetched(srv, tab); !strings.Contains(strings.Join(s, " "), "pyodide.asm.wasm") {
		t.Errorf("after Run Python the server saw %v, want Pyodide's files", s)
	}

	// A second press: a spare worker has Pyodide loaded; only the programs start.
	waitJS(t, tab, `true`, time.Second)
	click(t, tab, btn)
	waitJS(t, tab, pyPanel("sleep", "sync")+`.dataset.state === "running"`, 10*time.Second)
	waitJS(t, tab, done, 60*time.Second)
	t.Logf("second press: %s", evalT[string](t, tab, pg("sleep")+`.querySelector(".pg-py-load").textContent`))
	chromiumtest.AssertClean(t, tab)
}

// Stop ends both Python runs before their first 10 s sleep would; on a Chinese page, where the
// button is named 运行 Python.
func TestRunPythonStopZh(t *testing.T) {
	t.Parallel()
	// 10 s sleeps: Stop comes long before the first could end, even on a machine so busy that
	// the page shows a line seconds after it was printed
	tab := openPy(t, server.URL, lessonWith(t, "zh", `data-example="sleep"`)+"?tasks=3&delay=10000")
	btn := pg("sleep") + `.querySelector("[data-action=run-python]")`
	if name := evalT[string](t, tab, btn+`.textContent.trim()`); name != "运行 Python" {
		t.Errorf("zh Run Python button named %q", name)
	}
	click(t, tab, btn)
	waitJS(t, tab, pyPanel("sleep", "sync")+`.querySelector(".pg-output").textContent.includes("task 1 start")`, 4*time.Minute)
	waitJS(t, tab, pyPanel("sleep", "concurrent")+`.querySelector(".pg-output").textContent.includes("task 3 start")`, 30*time.Second)
	if evalT[bool](t, tab, pg("sleep")+`.querySelector("[data-action=stop]").disabled`) {
		t.Fatal("Stop is disabled during a Python run")
	}
	click(t, tab, pg("sleep")+`.querySelector("[data-action=stop]")`)
	waitJS(t, tab, pyPanel("sleep", "sync")+`.dataset.state === "stopped" && `+pyPanel("sleep", "concurrent")+`.dataset.state === "stopped"`, 5*time.Second)
	out := evalT[string](t, tab, pyPanel("sleep", "sync")+`.textContent + `+pyPanel("sleep", "concurrent")+`.textContent`)
	if strings.Contains(out, "done") {
		t.Errorf("a task finished although Stop came before its 10 s sleep ended:\n%s", out)
	}
	if !evalT[bool](t, tab, pg("sleep")+`.querySelector("[data-action=stop]").disabled`) {
		t.Error("Stop still enabled after the runs stopped")
	}
	// nothing runs on: the bars of the stopped runs stay open, no line arrives afterwards
	n := evalT[float64](t, tab, `(`+pyPanel("sleep", "concurrent")+`).querySelector(".pg-output").textContent.length`)
	waitJS(t, tab, `new Promise(r => setTimeout(() => r(true), 300))`, 5*time.Second)
	if m := evalT[float64](t, tab, `(`+pyPanel("sleep", "concurrent")+`).querySelector(".pg-output").textContent.length`); m != n {
		t.Errorf("output grew after Stop: %v → %v characters", n, m)
	}
	chromiumtest.AssertClean(t, tab)
}

// Lesson 2's Python pair: urllib and aiohttp against the lab, answered inside the worker.
func TestRunPythonGather(t *testing.T) {
	t.Parallel()
	tab := openPy(t, server.URL, lessonWith(t, "en", `data-example="gather"`)+"?tasks=3&delay=2000")
	click(t, tab, pg("gather")+`.querySelector("[data-action=run-python]")`)
	waitJS(t, tab, pyPanel("gather", "sync")+`.dataset.state !== "running" && `+pyPanel("gather", "concurrent")+`.dataset.state !== "running" && `+pyPanel("gather", "concurrent")+`.dataset.state !== "idle"`, 4*time.Minute)
	for _, v := range []string{"sync", "concurrent"} {
		state := evalT[string](t, tab, pyPanel("gather", v)+`.dataset.state`)
		out := evalT[string](t, tab, pyPanel("gather", v)+`.textContent`)
		if state != "done" || !strings.Contains(out, `result 3: "ok page-3\n"`) || !strings.Contains(out, "all 3 tasks done in") {
			t.Errorf("%s: state %s, output:\n%s", v, state, out)
		}
	}
	s := evalT[float64](t, tab, `Number(`+pyPanel("gather", "sync")+`.dataset.elapsedMs)`)
	c := evalT[float64](t, tab, `Number(`+pyPanel("gather", "concurrent")+`.dataset.elapsedMs)`)
	t.Logf("gather: sync %.0f ms, aiohttp %.0f ms", s, c)
	if s/c < 1.5 {
		t.Errorf("gather: sync %.0f ms, aiohttp %.0f ms: want about 3×", s, c)
	}
	// the requests of the aiohttp version were all in flight at once, those of urllib one by one
	overlap := evalT[map[string]bool](t, tab, `(() => { const f = (bars) => ({all: bars.every(b => b.s < Math.min(...bars.map(x => x.e))),
		serial: bars.every((b, i) => i === 0 || b.s >= bars[i-1].e)});
		return {conc: f(`+pyBars("gather", "py-concurrent")+`).all, sync: f(`+pyBars("gather", "py-sync")+`).serial} })()`)
	if !overlap["conc"] || !overlap["sync"] {
		t.Errorf("gather bars: aiohttp all at once %v, urllib one by one %v; want both", overlap["conc"], overlap["sync"])
	}
	chromiumtest.AssertClean(t, tab)
}

// pySource is a JS expression (inside pageJS) for a Python source of an example's playground as
// editor.js keeps it ({editor, text, original}); key is "py-sync" or "py-concurrent".
func pySource(example, key string) string {
	return fmt.Sprintf(`%s[%q]`, edits(example), key)
}

// The Python files are edited like the Go ones: an edit is kept (localStorage) across a reload,
// Run Python runs the edited text, Reset and its undo work, and Share carries the edit to a
// fresh visitor.
func TestRunPythonEdited(t *testing.T) {
	t.Parallel()
	// its own origin: no other test's stored edit, no other test reads this one's
	srv := ownServer(t)
	page := lessonWith(t, "en", `data-example="sleep"`) + "?pg=sleep&tasks=2&delay=200ms"
	tab := openPy(t, srv.URL, page)
	b, err := os.ReadFile(filepath.Join(repoRoot, "wasm", "sleep", "python", "async.py"))
	if err != nil {
		t.Fatal(err)
	}
	original := string(b)
	edited := replaceOnce(t, original, `print(f"task {id} done")`, `print(f"task {id} done, as edited")`)

	// nothing edits before a press on the Python source (details opened first, as a reader does)
	click(t, tab, pg("sleep")+`.querySelector("details.pg-python > summary")`)
	waitJS(t, tab, pageJS(`!!`+pySource("sleep", "py-concurrent")), 10*time.Second)
	evalT[bool](t, tab, enterOn+`(`+pg("sleep")+`.querySelector(".pg-py-source[data-variant=concurrent] pre"))`)
	waitJS(t, tab, pageJS(`!!`+pySource("sleep", "py-concurrent")+`.editor`), 30*time.Second)
	if got := evalT[string](t, tab, pageJS(pySource("sleep", "py-concurrent")+`.editor.getDoc()`)); got != original {
		t.Fatalf("the Python editor opened with other text than async.py:\n%s", got)
	}
	if evalT[bool](t, tab, pageJS(`!!`+edits("sleep")+`.sync.editor`)) {
		t.Error("editing a Python file turned the Go sources into editors too")
	}
	evalT[bool](t, tab, pageJS(fmt.Sprintf(`(%s.editor.setDoc(%q), true)`, pySource("sleep", "py-concurrent"), edited)))
	waitJS(t, tab, fmt.Sprintf(`(JSON.parse(localStorage.getItem("unblocked.edits.v1") || "{}").sleep || {})["py-concurrent"] === %q`, edited), 5*time.Second)

	// a reload keeps it: the editor comes back at once with the edit, the Python part open
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	waitJS(t, tab, pageJS(fmt.Sprintf(`(s => !!s && !!s.editor && s.editor.getDoc() === %q)(%s)`, edited, pySource("sleep", "py-concurrent"))), 30*time.Second)
	if !evalT[bool](t, tab, pg("sleep")+`.querySelector("details.pg-python").open`) {
		t.Error("a stored Python edit does not show: the Python part is closed")
	}
	if got := evalT[string](t, tab, pg("sleep")+`.dataset.edited || ""`); got != "py-concurrent" {
		t.Errorf("data-edited %q, want py-concurrent", got)
	}

	// Run Python runs the edited file, the unedited one as it is
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-python]")`)
	waitJS(t, tab, pyPanel("sleep", "sync")+`.dataset.state !== "running" && `+pyPanel("sleep", "concurrent")+`.dataset.state === "done"`, 4*time.Minute)
	syncOut := evalT[string](t, tab, pyPanel("sleep", "sync")+`.querySelector(".pg-output").textContent`)
	concOut := evalT[string](t, tab, pyPanel("sleep", "concurrent")+`.querySelector(".pg-output").textContent`)
	if !strings.Contains(concOut, "task 1 done, as edited\n") || !strings.Contains(concOut, "task 2 done, as edited\n") {
		t.Errorf("Run Python did not run the edited async.py:\n%s", concOut)
	}
	if strings.Contains(syncOut, "as edited") || !strings.Contains(syncOut, "task 2 done\n") {
		t.Errorf("the unedited sync.py did not run as it is:\n%s", syncOut)
	}
	// the edited lines still draw bars (task lines), on the Python lane
	if n := evalT[float64](t, tab, pg("sleep")+`.querySelectorAll(".pg-bar.done[data-variant=py-concurrent]").length`); n != 2 {
		t.Errorf("%v finished bars on the Python asyncio lane, want 2", n)
	}

	// Share carries it: a fresh visitor opening the link sees (and would run) the edit
	click(t, tab, pg("sleep")+`.querySelector("[data-action=share-edit]")`)
	waitJS(t, tab, pg("sleep")+`.dataset.shared`, 10*time.Second)
	link := evalT[string](t, tab, pg("sleep")+`.dataset.shared`)
	if !strings.Contains(link, "#edit=") {
		t.Fatalf("share link %q", link)
	}
	shared := evalT[map[string]any](t, tab, pageJS(`(await mod("edits")).unpack(`+fmt.Sprintf("%q", strings.SplitN(link, "#edit=", 2)[1])+`)`))
	if shared["py-concurrent"] != edited || shared["example"] != "sleep" || shared["sync"] != nil {
		t.Errorf("the link carries %v, want the example and its edited Python file only", shared)
	}

	// Reset brings the file back and forgets the stored edit; undo brings the edit back
	click(t, tab, pg("sleep")+`.querySelector("[data-action=reset-python][data-variant=concurrent]")`)
	if got := evalT[string](t, tab, pageJS(pySource("sleep", "py-concurrent")+`.editor.getDoc()`)); got != original {
		t.Error("Reset did not bring back async.py")
	}
	waitJS(t, tab, `!(JSON.parse(localStorage.getItem("unblocked.edits.v1") || "{}").sleep)`, 5*time.Second)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=undo-reset]")`)
	if got := evalT[string](t, tab, pageJS(pySource("sleep", "py-concurrent")+`.editor.getDoc()`)); got != edited {
		t.Error("undo after Reset did not bring the edit back")
	}

	evalT[bool](t, tab, `(localStorage.clear(), true)`)
	tab2 := chromiumtest.NewTab(t, chrome, 60*time.Second)
	if err := tab2.Run(chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab2, pageJS(fmt.Sprintf(`(s => !!s && !!s.editor && s.editor.getDoc() === %q)(%s)`, edited, pySource("sleep", "py-concurrent"))), 30*time.Second)
	if evalT[bool](t, tab2, pageJS(`!!`+edits("sleep")+`.sync.editor`)) {
		t.Error("a link with a Python edit only loaded the Go editors")
	}
	chromiumtest.AssertClean(t, tab)
	chromiumtest.AssertClean(t, tab2)
}

// The timeline's text alternative lists the Python bars too, labelled by language: the table
// (lanes in the drawn timeline's order, Go's first even when Run both comes after Run Python)
// and the CSV of every bar, with its download button past 100 rows.
func TestRunPythonTable(t *testing.T) {
	t.Parallel()
	const tasks = 120
	tab := openPy(t, ownOrigin(t), lessonWith(t, "en", `data-example="sleep"`)+fmt.Sprintf("?pg=sleep&tasks=%d&delay=20ms", tasks))
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-python]")`)
	waitJS(t, tab, pyPanel("sleep", "sync")+`.dataset.state === "done" && `+pyPanel("sleep", "concurrent")+`.dataset.state === "done"`, 4*time.Minute)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 2*time.Minute)
	// the Go lanes' bars settle once each run's trace is parsed (they may be replaced by the
	// trace's: docs/arch/scheduler.md), then the table renders in the next frame
	for _, v := range []string{"sync", "concurrent"} {
		el := panel("sleep", v) + `.querySelector("[data-scheduler]")`
		waitJS(t, tab, el+` && `+el+`.dataset.scheduler !== "parsing"`, time.Minute)
	}
	// (the playground redraws on its own frame schedule, throttled for hundreds of bars)
	if err := tab.WaitJS(`["sync", "concurrent", "py-sync", "py-concurrent"].every((v) => `+pg("sleep")+`.querySelector(".pg-table tbody tr[data-variant=" + v + "]"))`, 30*time.Second); err != nil {
		// say what the timeline holds and what the page reported, so the failure explains itself
		state := evalT[string](t, tab, pageJS(`JSON.stringify(`+pgAPI("sleep")+`.timeline())`))
		t.Fatalf("the table lacks a lane's rows: %v\ntimeline %s\nrows by lane %s\nproblems %q", err, state,
			evalT[string](t, tab, `JSON.stringify(Array.from(`+pg("sleep")+`.querySelectorAll(".pg-table tbody tr")).reduce((o, r) => (o[r.dataset.variant] = (o[r.dataset.variant] || 0) + 1, o), {}))`),
			tab.Problems())
	}

	res := evalT[map[string]any](t, tab, `(() => { const s = `+pg("sleep")+`;
		const rows = Array.from(s.querySelectorAll(".pg-table tbody tr"));
		return {
			head: Array.from(s.querySelectorAll(".pg-table thead th")).map(th => th.textContent),
			lanes: rows.map(r => r.dataset.variant).filter((v, i, a) => i === 0 || a[i-1] !== v),
			cells: rows.filter(r => !r.classList.contains("pg-summary")).map(r => r.dataset.variant + "|" + Array.from(r.cells).slice(1, 3).map(c => c.textContent).join("|")),
			summaries: rows.filter(r => r.classList.contains("pg-summary")).map(r => r.dataset.variant + "|" + r.textContent + "|" + !!r.querySelector("button[data-action=download-csv][data-variant=" + r.dataset.variant + "]")),
		} })()`)
	if got := fmt.Sprint(res["head"]); got != "[Task Language Version Start (ms) End (ms)]" {
		t.Errorf("table head %s", got)
	}
	if got := fmt.Sprint(res["lanes"]); got != "[sync concurrent py-sync py-concurrent]" {
		t.Errorf("table rows by lane %s: want Go's sync, Go's concurrent, Python's sync, Python's asyncio, each together", got)
	}
	want := map[string]string{"sync": "Go|sync", "concurrent": "Go|concurrent", "py-sync": "Python|sync", "py-concurrent": "Python|asyncio"}
	seen := map[string]int{}
	for _, c := range res["cells"].([]any) {
		f := strings.SplitN(c.(string), "|", 2)
		seen[f[0]]++
		if want[f[0]] != f[1] {
			t.Errorf("a %s row reads %q, want %q", f[0], f[1], want[f[0]])
		}
	}
	for lane := range want {
		if seen[lane] != 20 { // the first and last 10 around the summary
			t.Errorf("%d rows listed for lane %s, want 20", seen[lane], lane)
		}
	}
	summaries := fmt.Sprint(res["summaries"])
	for _, s := range []string{"py-sync|120 Python sync tasks: first start", "py-concurrent|120 Python asyncio tasks: first start"} {
		if !strings.Contains(summaries, s) {
			t.Errorf("no summary row %q in %s", s, summaries)
		}
	}
	if strings.Contains(summaries, "|false") {
		t.Errorf("a summary row without its CSV download: %s", summaries)
	}

	// the CSV of every bar: language and variant columns, and the order the runs promise
	for _, lane := range []string{"py-sync", "py-concurrent", "sync"} {
		csv := evalT[string](t, tab, pageJS(pgAPI("sleep")+`.csv(`+fmt.Sprintf("%q", lane)+`)`))
		lines := strings.Split(strings.TrimSpace(csv), "\n")
		if lines[0] != "task,language,variant,start_ms,end_ms" || len(lines) != tasks+1 {
			t.Fatalf("%s csv: header %q, %d lines, want %d bars", lane, lines[0], len(lines)-1, tasks)
		}
		lang, variant := "Go", lane
		if v, ok := strings.CutPrefix(lane, "py-"); ok {
			lang, variant = "Python", v
		}
		if f := strings.Split(lines[1], ","); f[1] != lang || f[2] != variant {
			t.Errorf("%s csv row %q: want language %s, variant %s", lane, lines[1], lang, variant)
		}
		checkOverlap(t, csv, strings.HasSuffix(lane, "concurrent"))
	}
	chromiumtest.AssertClean(t, tab)
}

// Run Python offline: after "Save for offline" (Run Python never pressed online), with the
// network off in the browser (page, service worker and the workers) and the server gone, a
// reload runs both Python files to the end. The service worker answers Pyodide from the saved
// site's cache.
func TestRunPythonOffline(t *testing.T) {
	t.Parallel()
	srv := ownServer(t) // its own origin: a service worker and caches of its own
	path := lessonWith(t, "en", `data-example="sleep"`) + "?pg=sleep&tasks=2&delay=100ms"
	tab := openPy(t, srv.URL, path)
	waitJS(t, tab, `!!navigator.serviceWorker.controller`, 30*time.Second)
	click(t, tab, `document.querySelector("[data-action=save-offline]")`)
	waitJS(t, tab, `document.documentElement.dataset.offline === "ready"`, 4*time.Minute)
	if s, n := pyodideFetched(srv, tab); !strings.Contains(strings.Join(s, " "), "pyodide.asm.wasm") {
		t.Fatalf("saving for offline did not fetch Pyodide: server %v, network %v", s, n)
	}

	// only what the service worker saved: the HTTP cache (which holds every file the save
	// fetched, immutable) would answer offline too, and then this would prove nothing
	if _, err := chromedp.Call(tab.Ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
		t.Fatalf("clear the HTTP cache: %v", err)
	}
	goOffline(t, tab)
	srv.Close()
	before := len(srv.Paths("/"))
	if err := tab.Run(chromedp.Navigate(srv.URL + path)); err != nil {
		t.Fatalf("reload offline: %v", err)
	}
	waitReady(t, tab)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-python]")`)
	// finished, one way or the other (a failed fetch ends a run at once, an error)
	ended := `["done", "error", "stopped"].includes(` + pyPanel("sleep", "sync") + `.dataset.state) && ["done", "error", "stopped"].includes(` + pyPanel("sleep", "concurrent") + `.dataset.state)`
	done := pyPanel("sleep", "sync") + `.dataset.state === "done" && ` + pyPanel("sleep", "concurrent") + `.dataset.state === "done"`
	waitJS(t, tab, ended, 4*time.Minute)
	if !evalT[bool](t, tab, done) {
		t.Fatalf("Run Python offline: panels %s / %s: %q",
			evalT[string](t, tab, pyPanel("sleep", "sync")+`.dataset.state`), evalT[string](t, tab, pyPanel("sleep", "concurrent")+`.dataset.state`),
			evalT[string](t, tab, pyPanel("sleep", "sync")+`.textContent + " | " + `+pyPanel("sleep", "concurrent")+`.textContent`))
	}
	out := evalT[string](t, tab, pyPanel("sleep", "concurrent")+`.querySelector(".pg-output").textContent`)
	if !strings.Contains(out, "all 2 tasks done in ") {
		t.Errorf("asyncio output offline:\n%s", out)
	}
	if after := len(srv.Paths("/")); after != before {
		t.Errorf("the closed server saw %d requests after going offline", after-before)
	}
}

// TestRunPythonStarve: the article's pitfall, time.sleep inside async def, blocks the one thread
// in the browser as it does in python3 (wasm/python_timed_test.go): in both Python versions each
// task ends before the next starts and no heartbeat runs while they block. Pyodide's own
// time.sleep lets the browser's event loop run the other coroutines while it waits, which turned
// the pitfall into three overlapping waits and a beating heartbeat.
func TestRunPythonStarve(t *testing.T) {
	t.Parallel()
	tab := openPy(t, server.URL, pitfallsPage(t)+"?pg=starve&tasks=3&delay=300ms")
	click(t, tab, pg("starve")+`.querySelector("[data-action=run-python]")`)
	waitJS(t, tab, pyPanel("starve", "sync")+`.dataset.state === "done" && `+pyPanel("starve", "concurrent")+`.dataset.state === "done"`, 4*time.Minute)
	for _, v := range []string{"sync", "concurrent"} {
		out := evalT[string](t, tab, pyPanel("starve", v)+`.querySelector(".pg-output").textContent`)
		var order []string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "task ") || strings.HasPrefix(l, "heartbeat at") {
				order = append(order, strings.SplitN(l, ":", 2)[0])
			}
		}
		want := "task 1 start,task 1 done,task 2 start,task 2 done,task 3 start,task 3 done"
		if got := strings.Join(order, ","); got != want || !strings.Contains(out, "all 3 tasks done in ") {
			t.Errorf("Python %s: lines in the order %s, want %s and no heartbeat:\n%s", v, got, want, out)
		}
	}
	chromiumtest.AssertClean(t, tab)
}
