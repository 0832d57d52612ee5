package e2e

// Edit and run (docs/architecture.md, "Edit and run") on the real built site and its real lesson
// pages: editors, Reset, persistence, Share, edited code compiled by site/compile (the served
// mode, as under `workbook serve`) and interpreted by site/interp (the static build, no server),
// compile errors on their line, Stop of a busy loop, forgetting wg.Wait(), and the challenges.
// The two modes are in edit_helpers_test.go; nothing here compiles anything itself.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"unblocked/internal/chromium/chromiumtest"
)

func TestEditorMarkupAndTyping(t *testing.T) {
	tab := openEdit(t, ownOrigin(t), sleepPage(t, "en"), "sleep")
	src := pg("sleep")
	labels := evalT[[]string](t, tab, `Array.from(`+src+`.querySelectorAll(".pg-source .cm-content")).map(e => e.getAttribute("aria-label"))`)
	if strings.Join(labels, ",") != "sync source,concurrent source" {
		t.Fatalf("editor names %q", labels)
	}
	if n := evalT[int](t, tab, src+`.querySelectorAll(".pg-source .cm-lineNumbers").length`); n != 2 {
		t.Fatalf("%d editors with line numbers", n)
	}
	for _, v := range []string{"sync", "concurrent"} {
		if d := editorDoc(t, tab, "sleep", v); d != exampleSource(t, "sleep", v) {
			t.Fatalf("the %s editor does not hold wasm/sleep/%s/main.go", v, v)
		}
	}
	// Type at the end of the concurrent source with real key events.
	evalT[bool](t, tab, pageJS(`(v => { v.dispatch({selection: {anchor: v.state.doc.length}}); v.focus(); return true })(`+edits("sleep")+`.concurrent.editor.view)`))
	if err := tab.Run(chromedp.SendKeys(chromedp.CSS(`section.playground[data-example="sleep"] .pg-source[data-variant=concurrent] .cm-content`), "// typed")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, pageJS(edits("sleep")+`.concurrent.editor.getDoc().endsWith("// typed")`), 5*time.Second)
	waitJS(t, tab, `(JSON.parse(localStorage.getItem("unblocked.edits.v1") || "{}").sleep || {}).concurrent?.endsWith("// typed")`, 5*time.Second)
	if ok := evalT[bool](t, tab, src+`.dataset.edited === "concurrent" && !`+src+`.querySelector("[data-action=reset-source][data-variant=concurrent]").disabled`); !ok {
		t.Fatal("edit not marked")
	}
	// Undo works (history).
	evalT[bool](t, tab, `(`+src+`.querySelector(".pg-source[data-variant=concurrent] .cm-content").focus(), true)`)
	if err := tab.Run(chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil { // Ctrl-Z
		t.Fatal(err)
	}
	waitJS(t, tab, pageJS(`!`+edits("sleep")+`.concurrent.editor.getDoc().includes("// typed")`), 5*time.Second)
	assertEditClean(t, tab)
}

// The editor bundle loads only when a learner starts editing: not when the playground scrolls into
// view, but on a pointer press on a source, and then the caret is where the learner clicked.
func TestEditorLoadsOnIntent(t *testing.T) {
	tab := chromiumtest.NewTab(t, chrome, 60*time.Second)
	if err := tab.Run(chromedp.EmulateViewport(1280, 800)); err != nil { // sources side by side
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second time without edits stored by other tests (stored edits load the editor)
		if err := tab.Run(chromedp.Navigate(server.URL + sleepPage(t, "en"))); err != nil {
			t.Fatal(err)
		}
		waitJS(t, tab, pageJS(pg("sleep")+` && `+edits("sleep")), 20*time.Second)
		evalT[bool](t, tab, `(localStorage.clear(), true)`)
	}
	evalT[bool](t, tab, `(`+pg("sleep")+`.scrollIntoView(), true)`)
	evalT[bool](t, tab, `new Promise(r => setTimeout(() => r(true), 1500))`) // prefetches run meanwhile
	// this page's requests for the bundle (the first load above may have had stored edits)
	editorRequests := func() int {
		return evalT[int](t, tab, `performance.getEntriesByType("resource").filter(e => e.name.includes("/codemirror.min.")).length`)
	}
	if n := editorRequests(); n != 0 || evalT[bool](t, tab, pageJS(`!!`+edits("sleep")+`.sync.editor`)) {
		t.Fatalf("the editor loaded before anyone edited (%d requests)", n)
	}
	if h := evalT[string](t, tab, pg("sleep")+`.querySelector(".pg-editor-help").textContent`); !strings.Contains(h, "click into the code") {
		t.Errorf("no hint that the code is editable: %q", h)
	}
	// click on the "W" of wg.Wait() in the static concurrent source
	src := exampleSource(t, "sleep", "concurrent")
	at := strings.Index(src, "wg.Wait()") + 3
	xy := evalT[[]float64](t, tab, fmt.Sprintf(`(() => { const pre = %s.querySelector(".pg-source[data-variant=concurrent] pre");
		pre.scrollIntoView({block: "center", behavior: "instant"});
		const w = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT); let left = %d, n;
		while ((n = w.nextNode()) && left >= n.length) left -= n.length;
		const r = document.createRange(); r.setStart(n, left); r.setEnd(n, left + 1);
		n.parentElement.scrollIntoView({block: "center", behavior: "instant"}); // the pre scrolls too
		const b = r.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2] })()`, pg("sleep"), at))
	if err := tab.Run(chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, pageJS(`(e => e && e.view.contentDOM.contains(document.activeElement))(`+edits("sleep")+`.concurrent.editor)`), 20*time.Second)
	if n := editorRequests(); n != 1 {
		t.Errorf("%d requests for the editor bundle, want 1", n)
	}
	caret := evalT[int](t, tab, pageJS(edits("sleep")+`.concurrent.editor.view.state.selection.main.head`))
	if caret < at-1 || caret > at+1 {
		t.Errorf("caret at %d (%q), want the clicked %d (%q)", caret, src[max(caret-3, 0):min(caret+3, len(src))], at, src[at-3:at+3])
	}
	assertEditClean(t, tab)
}

// From the keyboard, focus on a source does not start editing (in the editor Tab indents, so
// moving through the page would change the code); Enter does, with focus in the editor.
func TestEditorKeyboardIntent(t *testing.T) {
	tab := openEditNoWait(t, ownOrigin(t), sleepPage(t, "en"))
	pre := pg("sleep") + `.querySelector(".pg-source[data-variant=sync] pre")`
	evalT[bool](t, tab, `(`+pre+`.focus(), true)`)
	if err := tab.Run(chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	evalT[bool](t, tab, `new Promise(r => setTimeout(() => r(true), 500))`)
	if evalT[bool](t, tab, pageJS(`!!`+edits("sleep")+`.sync.editor`)) || evalT[bool](t, tab, `!!localStorage.getItem("unblocked.edits.v1")`) {
		t.Fatal("tabbing past the source started editing it")
	}
	if d := evalT[string](t, tab, `document.activeElement.getAttribute("aria-label") || document.activeElement.tagName`); !strings.Contains(d, "concurrent source") {
		t.Errorf("Tab from the sync source went to %q, want the concurrent source", d)
	}
	if h := evalT[string](t, tab, `document.getElementById(`+pre+`.getAttribute("aria-describedby")).textContent`); !strings.Contains(h, "press Enter") {
		t.Errorf("the source's description %q does not say how to edit", h)
	}
	evalT[bool](t, tab, `(`+pre+`.focus(), true)`)
	if err := tab.Run(chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, pageJS(`(e => e && e.view.contentDOM.contains(document.activeElement))(`+edits("sleep")+`.sync.editor)`), 20*time.Second)
	if d := editorDoc(t, tab, "sleep", "sync"); d != exampleSource(t, "sleep", "sync") {
		t.Error("Enter changed the code")
	}
	assertEditClean(t, tab)
}

func TestEditorChineseNames(t *testing.T) {
	tab := openEdit(t, ownOrigin(t), sleepPage(t, "zh"), "sleep")
	labels := evalT[[]string](t, tab, `Array.from(`+pg("sleep")+`.querySelectorAll(".pg-source .cm-content")).map(e => e.getAttribute("aria-label"))`)
	if strings.Join(labels, ",") != "同步版源码,并发版源码" {
		t.Fatalf("editor names %q", labels)
	}
	if r := evalT[string](t, tab, pg("sleep")+`.querySelector("[data-action=reset-source][data-variant=sync]").getAttribute("aria-label")`); r != "重置同步版源码" {
		t.Fatalf("reset name %q", r)
	}
	assertEditClean(t, tab)
}

// editedSleep is the concurrent sleep program with its done lines marked.
func editedSleep(t *testing.T) string {
	return replaceOnce(t, exampleSource(t, "sleep", "concurrent"), `fmt.Printf("task %d done\n", id)`, `fmt.Printf("task %d done EDITED\n", id)`)
}

func TestEditRunCompiledPersistReset(t *testing.T) {
	tab := openEdit(t, servedURL(t), sleepPage(t, "en"), "sleep")
	edited := editedSleep(t)
	setSource(t, tab, "sleep", "concurrent", edited)
	state, out := runEdited(t, tab, "sleep", "concurrent", 200*time.Second)
	if state != "done" || strings.Count(out, "done EDITED") != editTasks {
		t.Fatalf("state %s, edited output not shown:\n%s", state, out)
	}
	if e, _ := engineOf(t, tab, "sleep", "concurrent"); e != "compiled" {
		t.Fatalf("engine %q", e)
	}
	ms := evalT[float64](t, tab, `Number(`+panel("sleep", "concurrent")+`.dataset.elapsedMs)`)
	// The unedited variant still runs the precompiled wasm.
	state, out = runEdited(t, tab, "sleep", "sync", 30*time.Second)
	if state != "done" || strings.Contains(out, "EDITED") || !strings.Contains(out, fmt.Sprintf("all %d tasks done", editTasks)) {
		t.Fatalf("sync: %s\n%s", state, out)
	}
	// The edited program really ran concurrently: at least one delay, and faster than the sync
	// run of this page by at least half the number of tasks.
	syncMs := evalT[float64](t, tab, `Number(`+panel("sleep", "sync")+`.dataset.elapsedMs)`)
	if ms < editDelay || syncMs/ms < editTasks/2.0 {
		t.Fatalf("compiled concurrent run of %d × %d ms took %v ms against sync %v ms", editTasks, editDelay, ms, syncMs)
	}
	if e, _ := engineOf(t, tab, "sleep", "sync"); e != "precompiled" {
		t.Fatalf("unedited sync engine %q", e)
	}

	// Persisted: a reload shows the edit; Reset restores the original and forgets it.
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitEditors(t, tab, "sleep")
	if d := editorDoc(t, tab, "sleep", "concurrent"); d != edited {
		t.Fatal("edit not restored after reload")
	}
	click(t, tab, pg("sleep")+`.querySelector("[data-action=reset-source][data-variant=concurrent]")`)
	if d := editorDoc(t, tab, "sleep", "concurrent"); d != exampleSource(t, "sleep", "concurrent") {
		t.Fatal("Reset did not restore the original")
	}
	waitJS(t, tab, `!(JSON.parse(localStorage.getItem("unblocked.edits.v1") || "{}").sleep)`, 5*time.Second)
	assertEditClean(t, tab)
}

func TestEditCompileErrorNamesLine(t *testing.T) {
	for _, m := range editModes {
		t.Run(m.name, func(t *testing.T) {
			tab := openEdit(t, m.origin(t), sleepPage(t, "en"), "sleep")
			bad := replaceOnce(t, exampleSource(t, "sleep", "sync"), `time.Sleep(delay)`, `time.Sleep(delayy)`) // an undefined name
			line := strings.Count(bad[:strings.Index(bad, "delayy")], "\n") + 1
			setSource(t, tab, "sleep", "sync", bad)
			state, _ := runEdited(t, tab, "sleep", "sync", 200*time.Second)
			errSel := pg("sleep") + `.querySelector(".pg-compile-errors[data-variant=sync]")`
			waitJS(t, tab, errSel+` && !`+errSel+`.hidden`, 10*time.Second)
			text := evalT[string](t, tab, errSel+`.textContent`)
			if !strings.Contains(text, fmt.Sprintf("%d:", line)) || !strings.Contains(text, "delayy") {
				t.Fatalf("error text %q does not name line %d", text, line)
			}
			marked := evalT[[]int](t, tab, pageJS(edits("sleep")+`.sync.editor.errorLines()`))
			if len(marked) != 1 || marked[0] != line {
				t.Fatalf("marked lines %v, want [%d]", marked, line)
			}
			if state != "error" {
				t.Fatalf("panel state %q", state)
			}
			assertEditClean(t, tab)
		})
	}
}

func TestEditRunInterpreted(t *testing.T) {
	tab := openEdit(t, ownOrigin(t), sleepPage(t, "en"), "sleep")
	setSource(t, tab, "sleep", "concurrent", editedSleep(t))
	state, out := runEdited(t, tab, "sleep", "concurrent", 200*time.Second)
	if state != "done" || strings.Count(out, "done EDITED") != editTasks || !strings.Contains(out, fmt.Sprintf("all %d tasks done", editTasks)) {
		t.Fatalf("interpreted run: %s\n%s", state, out)
	}
	eng, text := engineOf(t, tab, "sleep", "concurrent")
	if eng != "interpreted" || !strings.Contains(text, "interpreted") || !strings.Contains(text, "slower") {
		t.Fatalf("engine %q: %q", eng, text)
	}
	t.Logf("interpreted run: %v ms (program)", evalT[float64](t, tab, `Number(`+panel("sleep", "concurrent")+`.dataset.elapsedMs)`))
	// Run both compares compiled sync with interpreted concurrent, and says that is not fair
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done" && `+pg("sleep")+`.querySelector(".pg-speedup").textContent`, 200*time.Second)
	if sp := evalT[string](t, tab, pg("sleep")+`.querySelector(".pg-speedup").textContent`); !strings.Contains(sp, "(Concurrent was interpreted, which is slower than compiled Go: not a fair race)") {
		t.Errorf("speed-up line %q lacks the interpreter caveat", sp)
	}
	assertEditClean(t, tab)
}

// The "done when": delete wg.Wait() from the sleep example's concurrent source and run it.
// main returns before its tasks finish, so the program ends with fewer done lines than tasks,
// normally (exit status done), in the interpreter on the static build and as compiled Go when served.
func TestEditForgetWaitEndsEarly(t *testing.T) {
	for _, m := range editModes {
		t.Run(m.name, func(t *testing.T) {
			tab := openEdit(t, m.origin(t), sleepPage(t, "en"), "sleep")
			noWait := replaceOnce(t, exampleSource(t, "sleep", "concurrent"), "\twg.Wait()\n", "")
			setSource(t, tab, "sleep", "concurrent", noWait)
			state, out := runEdited(t, tab, "sleep", "concurrent", 200*time.Second)
			eng, _ := engineOf(t, tab, "sleep", "concurrent")
			starts, dones := countTasks(out)
			t.Logf("%s (%s, %s): %d starts, %d dones, %s ms\n%s", m.name, eng, state, starts, dones, evalT[string](t, tab, `String(`+panel("sleep", "concurrent")+`.dataset.elapsedMs)`), out)
			if eng != m.engine {
				t.Fatalf("engine %q, want %q", eng, m.engine)
			}
			if state != "done" {
				t.Fatalf("state %q, want done (main returned normally)\n%s", state, out)
			}
			if !strings.Contains(out, fmt.Sprintf("all %d tasks done in", editTasks)) {
				t.Fatalf("main's last line missing:\n%s", out)
			}
			if dones >= editTasks || dones > starts {
				t.Fatalf("%d starts and %d done lines of %d tasks: the program waited for its tasks\n%s", starts, dones, editTasks, out)
			}
			assertEditClean(t, tab)
		})
	}
}

func TestEditBusyLoopStop(t *testing.T) {
	tab := openEdit(t, servedURL(t), sleepPage(t, "en"), "sleep")
	spin := replaceOnce(t, exampleSource(t, "sleep", "sync"), "\ttime.Sleep(delay)\n", "\tfor start := time.Now(); time.Since(start) < time.Hour; {\n\t}\n")
	setSource(t, tab, "sleep", "sync", spin)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	p := panel("sleep", "sync")
	waitJS(t, tab, p+`.querySelector(".pg-output").textContent.includes("task 1 start")`, 200*time.Second)
	if e, _ := engineOf(t, tab, "sleep", "sync"); e != "compiled" {
		t.Fatalf("engine %q", e)
	}
	lag := evalT[float64](t, tab, `new Promise(r => { const t0 = performance.now(); setTimeout(() => r(performance.now() - t0), 0) })`)
	// the program spins for an hour: on the page's thread the timer would never fire; in its
	// worker it fires at once (the bound only tells a hang from a busy machine)
	if lag > 2000 {
		t.Fatalf("page lag %.0f ms while the edited program spins", lag)
	}
	click(t, tab, pg("sleep")+`.querySelector("[data-action=stop]")`)
	waitJS(t, tab, p+`.dataset.state === "stopped"`, 5*time.Second)
	// Responsive: the editor still takes edits at once.
	t0 := time.Now()
	setSource(t, tab, "sleep", "sync", exampleSource(t, "sleep", "sync")+"// after stop\n")
	if d := time.Since(t0); d > 10*time.Second {
		t.Fatalf("editing after Stop took %v (the page hangs)", d)
	}
	assertEditClean(t, tab)
}

func TestEditShareLink(t *testing.T) {
	page := sleepPage(t, "en")
	base := ownOrigin(t)
	tab := openEdit(t, base, page, "sleep")
	sync := exampleSource(t, "sleep", "sync")
	setSource(t, tab, "sleep", "sync", sync+"// shared edit\n")
	waitJS(t, tab, pg("sleep")+`.dataset.edited === "sync"`, 5*time.Second)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=share-edit]")`)
	waitJS(t, tab, pg("sleep")+`.dataset.shared`, 10*time.Second)
	status := evalT[string](t, tab, pg("sleep")+`.querySelector(".pg-edit-status").textContent`)
	if !strings.Contains(status, "Link copied") && !strings.Contains(status, "Copy this link") {
		t.Fatalf("no visible confirmation: %q", status)
	}
	link := evalT[string](t, tab, pg("sleep")+`.dataset.shared`)
	if !strings.HasPrefix(link, base+strings.SplitN(page, "?", 2)[0]) || !strings.Contains(link, "#edit=") {
		t.Fatalf("link %q", link)
	}
	// A fresh visitor (no stored edits) opening the link sees the edit.
	evalT[bool](t, tab, `(localStorage.clear(), true)`)
	tab2 := chromiumtest.NewTab(t, chrome, 60*time.Second)
	if err := tab2.Run(chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab2, pageJS(`(e => !!e && !!e.sync.editor && e.sync.editor.getDoc() === `+fmt.Sprintf("%q", sync+"// shared edit\n")+`)(`+edits("sleep")+`)`), 30*time.Second)
	if d := editorDoc(t, tab2, "sleep", "concurrent"); d != exampleSource(t, "sleep", "concurrent") {
		t.Fatal("the unshared variant changed")
	}
	assertEditClean(t, tab2)
}

func TestChallengeJudged(t *testing.T) {
	const id = "rewrite-concurrent"
	for _, m := range editModes {
		t.Run(m.name, func(t *testing.T) {
			tab := openEdit(t, m.origin(t), rewritePage(t), "rewrite")
			waitChallengeEditor(t, tab, id)
			ch := chal(id)
			if name := evalT[string](t, tab, ch+`.querySelector(".ch-editor .cm-content").getAttribute("aria-label")`); name == "" {
				t.Fatal("challenge editor has no accessible name")
			}
			if d := evalT[string](t, tab, pageJS(challengeState(id)+`.editor.getDoc()`)); d != exampleSource(t, "rewrite", "sync") {
				t.Fatal("the challenge does not start from wasm/rewrite/sync/main.go")
			}
			solution := evalT[string](t, tab, ch+`.querySelector(".ch-solution pre").textContent`)
			if solution != exampleSource(t, "rewrite", "concurrent") {
				t.Fatalf("the solution shown is not wasm/rewrite/concurrent/main.go:\n%s", solution)
			}
			check := func() (string, string) { t.Helper(); return checkChallenge(t, tab, id) }
			// The start code is the sync program: fails, and says why in plain words.
			v, text := check()
			if v != "fail" || !strings.Contains(text, "one after another") || !strings.Contains(text, "500 ms") || !strings.Contains(text, "the goal is at most") {
				t.Fatalf("start code: %s %q\noutput:\n%s", v, text, evalT[string](t, tab, ch+`.querySelector(".ch-output").textContent`))
			}
			if strings.Contains(evalT[string](t, tab, `localStorage.getItem("unblocked.progress.v1") || ""`), id) {
				t.Fatal("a fail was saved as progress")
			}
			if e := evalT[string](t, tab, ch+`.dataset.engine`); e != "precompiled" {
				t.Fatalf("unedited start code ran %q, want the precompiled example", e)
			}
			// The solution, typed in with a comment of the learner's (so it is edited code), passes
			// and is saved with the progress.
			evalT[bool](t, tab, pageJS(fmt.Sprintf(`(%s.editor.setDoc(%q), true)`, challengeState(id), solution+"\n// my version\n")))
			v, text = checkSettled(t, tab, id)
			t.Logf("%s: %s", m.name, text)
			if v != "pass" || !strings.Contains(text, "Passed") {
				t.Fatalf("solution: %s %q\noutput:\n%s", v, text, evalT[string](t, tab, ch+`.querySelector(".ch-output").textContent`))
			}
			if e := evalT[string](t, tab, ch+`.dataset.engine`); e != m.engine {
				t.Fatalf("engine %q, want %q", e, m.engine)
			}
			rec := evalT[map[string]any](t, tab, `JSON.parse(localStorage.getItem("unblocked.progress.v1")).exercises[`+fmt.Sprintf("%q", id)+`]`)
			if rec["verdict"] != "pass" || rec["kind"] != "challenge" || rec["engine"] != m.engine {
				t.Fatalf("progress record %v", rec)
			}
			// A syntax error is reported on its line, not judged.
			evalT[bool](t, tab, pageJS(fmt.Sprintf(`(%s.editor.setDoc(%q), true)`, challengeState(id), replaceOnce(t, exampleSource(t, "rewrite", "sync"), "func main() {", "func main() {{"))))
			v, text = check()
			if v != "fail" || !strings.Contains(text, "does not compile") {
				t.Fatalf("syntax error: %s %q", v, text)
			}
			assertEditClean(t, tab)
		})
	}
}

// The judge on its own: overlap counting for check=bounded.
func TestChallengeBoundedJudge(t *testing.T) {
	tab := openEdit(t, ownOrigin(t), rewritePage(t), "rewrite")
	type verdict struct {
		Pass bool   `json:"pass"`
		Text string `json:"text"`
	}
	// results are the lines the rewrite programs end with: every page, in input order
	results := func(n, at int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, `,{t:%d,text:%q}`, at, fmt.Sprintf("result %d: %q", i, fmt.Sprintf("ok page-%d\n", i)))
		}
		return b.String()
	}
	judge := func(lines string) verdict {
		return evalT[verdict](t, tab, pageJS(`(await mod("challenge")).judge("bounded", {tasks: 4, delay: 100, limit: 2}, {status: "done", elapsedMs: 190, lines: `+lines+`}, "compiled")`))
	}
	two := `[{t:0,text:"task 1 start"},{t:0,text:"task 2 start"},{t:100,text:"task 1 done"},{t:100,text:"task 3 start"},{t:100,text:"task 2 done"},{t:100,text:"task 4 start"},{t:190,text:"task 3 done"},{t:190,text:"task 4 done"}` + results(4, 190) + `]`
	four := `[{t:0,text:"task 1 start"},{t:0,text:"task 2 start"},{t:0,text:"task 3 start"},{t:0,text:"task 4 start"},{t:100,text:"task 1 done"},{t:100,text:"task 2 done"},{t:100,text:"task 3 done"},{t:100,text:"task 4 done"}` + results(4, 100) + `]`
	// right timing, but one result slot overwritten by every page: the first wrong line is named
	lost := `[{t:0,text:"task 1 start"},{t:0,text:"task 2 start"},{t:100,text:"task 1 done"},{t:100,text:"task 3 start"},{t:100,text:"task 2 done"},{t:100,text:"task 4 start"},{t:190,text:"task 3 done"},{t:190,text:"task 4 done"},{t:190,text:"result 1: \"ok page-4\\n\""}]`
	if v := judge(lost); v.Pass || !strings.Contains(v.Text, "Line 9 of the output") || !strings.Contains(v.Text, `ok page-1`) {
		t.Fatalf("one overwritten result: %+v", v)
	}
	if v := judge(two); !v.Pass {
		t.Fatalf("2 at once, limit 2: %+v", v)
	}
	if v := judge(four); v.Pass || !strings.Contains(v.Text, "Up to 4") {
		t.Fatalf("4 at once, limit 2: %+v", v)
	}
	// 8 tasks, limit 3, 300 ms: three rounds at best, so 950 ms is a pass and 1.5 s is not (when
	// its tasks took their 300 ms and the time went between the rounds: a slow program, not a
	// machine whose timers were late)
	rounds := func(elapsed, every, gap int) verdict {
		var b strings.Builder
		for i := 0; i < 8; i++ {
			s := (i / 3) * (every + gap)
			fmt.Fprintf(&b, `{t:%d,text:"task %d start"},{t:%d,text:"task %d done"},`, s, i+1, s+every, i+1)
		}
		b.WriteString(strings.TrimPrefix(results(8, elapsed), ","))
		return evalT[verdict](t, tab, pageJS(fmt.Sprintf(`(await mod("challenge")).judge("bounded", {tasks: 8, delay: 300, limit: 3}, {status: "done", elapsedMs: %d, lines: [%s]}, "compiled")`, elapsed, b.String())))
	}
	if v := rounds(950, 310, 0); !v.Pass {
		t.Fatalf("3 rounds of 300 ms at limit 3: %+v", v)
	}
	if v := rounds(1500, 300, 300); v.Pass || !strings.Contains(v.Text, "the work itself needs 3 × 300 ms") || !strings.Contains(v.Text, "1.500 s") {
		t.Fatalf("1.5 s for 3 rounds of 300 ms: %+v", v)
	}
	assertEditClean(t, tab)
}

// The bounded challenge on its page: the start code runs one page at a time and fails; the
// solution shown (errgroup with SetLimit) passes, in flight at most limit at once.
func TestChallengeBoundedOnPage(t *testing.T) {
	const id = "rewrite-bounded"
	tab := openEdit(t, servedURL(t), rewritePage(t), "rewrite")
	waitChallengeEditor(t, tab, id)
	ch := chal(id)
	p := evalT[map[string]map[string]any](t, tab, `JSON.parse(`+ch+`.dataset.params)`)
	limit := int(p["limit"]["value"].(float64))
	check := func() (string, string) { t.Helper(); return checkChallenge(t, tab, id) }
	if v, text := check(); v != "fail" || !strings.Contains(text, "one after another") {
		t.Fatalf("start code: %s %q", v, text)
	}
	solution := evalT[string](t, tab, ch+`.querySelector(".ch-solution pre").textContent`)
	evalT[bool](t, tab, pageJS(fmt.Sprintf(`(%s.editor.setDoc(%q), true)`, challengeState(id), solution)))
	v, text := checkSettled(t, tab, id)
	t.Logf("solution: %s", text)
	if v != "pass" || !strings.Contains(text, fmt.Sprintf("(limit %d)", limit)) {
		t.Fatalf("solution: %s %q\noutput:\n%s", v, text, evalT[string](t, tab, ch+`.querySelector(".ch-output").textContent`))
	}
	assertEditClean(t, tab)
}
