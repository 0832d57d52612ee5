package e2e

// What a learner meets in the first hour (issue 11): per-playground links, the language switch
// that keeps your place, stale results, exercise grading, the timeline's ticks, the checklist.

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"unblocked/internal/chromium/chromiumtest"
)

// pitfallsPage is the lesson with seven playgrounds, among them starve and fanout.
func pitfallsPage(t *testing.T) string {
	t.Helper()
	return lessonWith(t, "en", `id="pg-starve-1"`)
}

// TestParamsPerPlayground: parameters in the URL belong to one playground (?pg=<key>&tasks=…),
// a link to it opens at it, focused, and Share carries that playground's parameters only.
func TestParamsPerPlayground(t *testing.T) {
	t.Parallel()
	path := pitfallsPage(t)
	tab := open(t, server.URL, path)
	setParam(t, tab, "fanout", "tasks", "50")
	q, err := url.ParseQuery(strings.TrimPrefix(evalT[string](t, tab, `location.search`), "?"))
	if err != nil {
		t.Fatal(err)
	}
	if q.Get("pg") != "fanout" || q.Get("tasks") != "50" {
		t.Fatalf("URL after setting fanout's tasks: %v, want pg=fanout&tasks=50", q)
	}

	tab2 := open(t, server.URL, path+"?pg=fanout&tasks=50")
	waitJS(t, tab2, pg("fanout")+`.dataset.linked === "true"`, 10*time.Second)
	got := evalT[map[string]any](t, tab2, pageJS(`({fanout: `+pgAPI("fanout")+`.readParams().tasks,
		starve: `+pgAPI("starve")+`.readParams().tasks, starveDefault: JSON.parse(`+pg("starve")+`.dataset.params).tasks.value,
		focused: document.activeElement === `+pg("fanout")+`,
		top: `+pg("fanout")+`.getBoundingClientRect().top, h: innerHeight})`))
	t.Logf("opened ?pg=fanout&tasks=50: %v", got)
	if got["fanout"] != float64(50) {
		t.Errorf("fanout's tasks %v, want 50", got["fanout"])
	}
	if got["starve"] != got["starveDefault"] {
		t.Errorf("starve's tasks %v: the link was fanout's, starve should keep its default %v", got["starve"], got["starveDefault"])
	}
	if got["focused"] != true {
		t.Error("the linked playground is not focused")
	}
	if top := got["top"].(float64); top < -1 || top > got["h"].(float64)/2 {
		t.Errorf("the linked playground is not scrolled to: its top at %.0f px of %v", top, got["h"])
	}

	// Share: the edit link carries this playground's parameters, not the page URL's
	tab3 := openEdit(t, ownOrigin(t), path, "fanout")
	setParam(t, tab3, "fanout", "tasks", "7")
	setParam(t, tab3, "starve", "tasks", "2") // the page URL is now starve's
	setSource(t, tab3, "fanout", "sync", exampleSource(t, "fanout", "sync")+"// shared\n")
	waitJS(t, tab3, pg("fanout")+`.dataset.edited === "sync"`, 5*time.Second)
	click(t, tab3, pg("fanout")+`.querySelector("[data-action=share-edit]")`)
	waitJS(t, tab3, pg("fanout")+`.dataset.shared`, 10*time.Second)
	link, err := url.Parse(evalT[string](t, tab3, pg("fanout")+`.dataset.shared`))
	if err != nil {
		t.Fatal(err)
	}
	if lq := link.Query(); lq.Get("pg") != "fanout" || lq.Get("tasks") != "7" || !strings.HasPrefix(link.Fragment, "edit=") {
		t.Errorf("share link %s: want ?pg=fanout&tasks=7…#edit=", link)
	}
	evalT[bool](t, tab3, `(localStorage.clear(), true)`)
	tab4 := chromiumtest.NewTab(t, chrome, 60*time.Second)
	if err := tab4.Run(chromedp.Navigate(link.String())); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab4)
	if n := evalT[float64](t, tab4, pageJS(pgAPI("fanout")+`.readParams().tasks`)); n != 7 {
		t.Errorf("shared link opened with fanout tasks %v, want 7", n)
	}
	chromiumtest.AssertClean(t, tab2)
}

// TestLanguageSwitchKeepsPlace: 中文 from a section halfway down an English lesson lands on the
// same section of the Chinese page, with the playground's parameters, and back again (from
// where the reader has scrolled to, with no #fragment in the URL).
func TestLanguageSwitchKeepsPlace(t *testing.T) {
	t.Parallel()
	path := pitfallsPage(t)
	tab := open(t, server.URL, path)
	outline := evalT[map[string][]string](t, tab, `({en: document.querySelector(".lang-switch").dataset.ids.split(" "),
		zh: document.querySelector(".lang-switch a[hreflang=zh-Hans]").dataset.ids.split(" ")})`)
	en, zh := outline["en"], outline["zh"]
	if len(en) < 4 || len(en) != len(zh) {
		t.Fatalf("outlines: en %q, zh %q", en, zh)
	}
	k := len(en) / 2
	if err := tab.Run(chromedp.Navigate(server.URL + path + "?pg=fanout&tasks=50#" + en[k])); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	click(t, tab, `document.querySelector(".lang-switch a[hreflang=zh-Hans]")`)
	waitJS(t, tab, `location.pathname.startsWith("/zh/") && `+pageReady+` && document.documentElement.dataset.landed === "true"`, 15*time.Second)
	got := evalT[map[string]any](t, tab, pageJS(`({hash: decodeURIComponent(location.hash), search: location.search,
		tasks: `+pgAPI("fanout")+`.readParams().tasks, top: document.getElementById(`+fmt.Sprintf("%q", zh[k])+`).getBoundingClientRect().top})`))
	t.Logf("en #%s → zh: %v", en[k], got)
	if got["hash"] != "#"+zh[k] {
		t.Errorf("landed at %v, want #%s (the counterpart of #%s)", got["hash"], zh[k], en[k])
	}
	if got["tasks"] != float64(50) || !strings.Contains(got["search"].(string), "pg=fanout") {
		t.Errorf("parameters lost: %v", got)
	}
	if top := got["top"].(float64); top < -1 || top > 200 {
		t.Errorf("the section's heading is at %.0f px, not at the top", top)
	}

	// back, from a section scrolled to (no fragment)
	j := k + 1
	evalT[bool](t, tab, fmt.Sprintf(`(history.replaceState(null, "", location.pathname + location.search),
		document.getElementById(%q).scrollIntoView({block: "start", behavior: "instant"}), true)`, zh[j]))
	click(t, tab, `document.querySelector(".lang-switch a[hreflang=en]")`)
	waitJS(t, tab, `location.pathname.startsWith("/en/") && `+pageReady, 15*time.Second)
	if h := evalT[string](t, tab, `decodeURIComponent(location.hash)`); h != "#"+en[j] {
		t.Errorf("back to English at %q, want #%s (the counterpart of #%s)", h, en[j], zh[j])
	}
	chromiumtest.AssertClean(t, tab)
}

// TestShortenedAddress: a learner who cuts a lesson's address back to /zh/ (or /en/) gets that
// language's lessons in that language, not the 404 page, and its language switch leads to the
// other language's list.
func TestShortenedAddress(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, "/zh/")
	got := evalT[map[string]any](t, tab, `({lang: document.documentElement.lang, title: document.title,
		notFound: !!document.querySelector(".not-found"),
		links: Array.from(document.querySelectorAll("main a[data-lesson]")).map(a => a.getAttribute("href")),
		other: (a => a && a.getAttribute("href"))(document.querySelector(".lang-switch a[hreflang=en]"))})`)
	links, _ := got["links"].([]any)
	if got["lang"] != "zh-Hans" || got["notFound"] != false || got["other"] != "/en/" || len(links) < 5 {
		t.Fatalf("/zh/: %v, want a Chinese page listing the lessons, its switch leading to /en/", got)
	}
	for _, l := range links {
		if !strings.HasPrefix(l.(string), "/zh/") {
			t.Errorf("/zh/ links to %v", l)
		}
	}
	click(t, tab, `document.querySelector(".lang-switch a[hreflang=en]")`)
	waitJS(t, tab, `location.pathname === "/en/" && `+pageReady, 15*time.Second)
	en := evalT[[]string](t, tab, `Array.from(document.querySelectorAll("main a[data-lesson]")).map(a => a.getAttribute("href"))`)
	if len(en) != len(links) || !strings.HasPrefix(en[0], "/en/") {
		t.Errorf("/en/ lists %q, want the %d English lessons", en, len(links))
	}
	chromiumtest.AssertClean(t, tab)
}

// TestStaleResults: the moment an input changes, the speed-up line goes and the panels say their
// result is of the earlier values; a run refused for a bad value leaves nothing that looks
// current; after a compile error the panel keeps no earlier time or output and says "does not
// compile" once.
func TestStaleResults(t *testing.T) {
	t.Parallel()
	// its own origin: no edits stored by tests running alongside (tabs share one profile), so
	// the unedited code runs precompiled
	tab := open(t, ownOrigin(t), lessonWith(t, "en", `data-example="sleep"`)+"?pg=sleep&tasks=2&delay=50")
	both := `["sync", "concurrent"].every(v => ` + pg("sleep") + `.querySelector(".pg-run[data-variant=" + v + "]").dataset.state === "done")`
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, both+` && `+pg("sleep")+`.querySelector(".pg-speedup").textContent !== ""`, 30*time.Second)
	state := `({speed: ` + pg("sleep") + `.querySelector(".pg-speedup").textContent,
		stale: Array.from(` + pg("sleep") + `.querySelectorAll(".pg-run:not([data-engine=python])")).map(p => p.dataset.stale || ""),
		status: Array.from(` + pg("sleep") + `.querySelectorAll(".pg-run:not([data-engine=python]) .pg-status")).map(p => p.textContent)})`
	evalT[bool](t, tab, `(() => { const i = `+pg("sleep")+`.querySelector("input[name=tasks]"); i.value = "lots"; i.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)
	s := evalT[map[string]any](t, tab, state)
	t.Logf("after typing: %v", s)
	if s["speed"] != "" || fmt.Sprint(s["stale"]) != "[true true]" || !strings.Contains(fmt.Sprint(s["status"]), "earlier values") {
		t.Errorf("after an input changed: %v, want no speed-up and both panels marked stale", s)
	}
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	s = evalT[map[string]any](t, tab, state)
	if s["speed"] != "" || fmt.Sprint(s["stale"]) != "[true true]" {
		t.Errorf("after a refused run: %v", s)
	}
	setParam(t, tab, "sleep", "tasks", "2")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && !`+panel("sleep", "sync")+`.dataset.stale`, 30*time.Second)
	chromiumtest.AssertClean(t, tab)

	// a compile error (the served site compiles edited code)
	tab2 := openEdit(t, servedURL(t), sleepPage(t, "en"), "sleep")
	click(t, tab2, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab2, panel("sleep", "sync")+`.dataset.state === "done"`, 60*time.Second)
	setSource(t, tab2, "sleep", "sync", replaceOnce(t, exampleSource(t, "sleep", "sync"), `time.Sleep(delay)`, `time.Sleep(delayy)`))
	if st := evalT[string](t, tab2, panel("sleep", "sync")+`.dataset.stale || ""`); st != "true" {
		t.Errorf("after editing the code the panel is not marked stale (%q)", st)
	}
	state2, out := runEdited(t, tab2, "sleep", "sync", 200*time.Second)
	p := evalT[map[string]string](t, tab2, `(p => ({elapsed: p.querySelector(".pg-elapsed").textContent, ms: p.dataset.elapsedMs || "",
		text: p.innerText}))(`+panel("sleep", "sync")+`)`)
	t.Logf("after a compile error: state %s, %v", state2, p)
	if state2 != "error" || out != "" || p["elapsed"] != "" || p["ms"] != "" {
		t.Errorf("the earlier run is still shown: state %q, output %q, %v", state2, out, p)
	}
	if n := strings.Count(p["text"], "does not compile"); n != 1 {
		t.Errorf("%q says \"does not compile\" %d times, want once", p["text"], n)
	}
}

// TestStarveSameWork: the CPU-bound pair does the same computing in both versions (the same task
// results), and the page says so rather than calling noise a speed-up.
func TestStarveSameWork(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, pitfallsPage(t)+"?pg=starve&tasks=2&delay=40")
	click(t, tab, pg("starve")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, pg("starve")+`.querySelector(".pg-speedup").textContent !== ""`, 60*time.Second)
	got := evalT[map[string]string](t, tab, `(s => ({text: s.textContent, same: s.dataset.sameWork || ""}))(`+pg("starve")+`.querySelector(".pg-speedup"))`)
	t.Logf("starve: %v", got)
	if got["same"] != "true" || !strings.Contains(got["text"], "Same computing") || strings.Contains(got["text"], "faster") && !strings.Contains(got["text"], "do not make this faster") {
		t.Errorf("starve speed-up line %v: want the same work stated, no speed-up claimed", got)
	}
	chromiumtest.AssertClean(t, tab)
}

// TestExerciseJudgedOnOwnTime: a predict-then-run exercise is judged against the program's own
// elapsed time (its "done in" line), the verdict gives the numbers it judged, and when the
// machine was visibly busy during the run a wrong verdict offers a re-run.
func TestExerciseJudgedOnOwnTime(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-exercise="sleep-50"`))
	ex := `document.querySelector('section.exercise[data-exercise="sleep-50"]')`
	check := func(prediction string, block bool) map[string]any {
		t.Helper()
		evalT[bool](t, tab, `(() => { const e = `+ex+`; delete e.querySelector(".ex-result").dataset.verdict; e.querySelector("input[name=prediction]").value = "`+prediction+`";
			e.querySelector("button[data-action=check]").click(); return true })()`)
		if block { // the page's thread busy for 400 ms while the program runs (as a loaded machine would)
			evalT[bool](t, tab, `(() => { const t0 = performance.now(); while (performance.now() - t0 < 400); return true })()`)
		}
		waitJS(t, tab, ex+`.querySelector(".ex-result").dataset.verdict`, 60*time.Second)
		return evalT[map[string]any](t, tab, `(e => ({verdict: e.querySelector(".ex-result").dataset.verdict, text: e.querySelector(".ex-result").textContent,
			measured: Number(e.dataset.measuredMs), tol: Number(e.dataset.toleranceMs), late: Number(e.dataset.lateMs),
			own: (/done in (\S+)\s*$/.exec(e.querySelector(".ex-output").textContent) || [])[1] || "",
			rerun: !e.querySelector("button[data-action=rerun]").hidden}))(`+ex+`)`)
	}
	// 50 tasks of 200 ms, concurrently: about 200 ms
	r := check("200", false)
	t.Logf("predicted 200: %v", r)
	own, err := time.ParseDuration(r["own"].(string))
	if err != nil {
		t.Fatalf("no \"done in\" line in the output: %v", r)
	}
	if m := r["measured"].(float64); m != float64(own.Round(time.Millisecond).Milliseconds()) {
		t.Errorf("measured %v ms, but the program printed %v: judge its own time", m, own)
	}
	// on a calm machine this is about 200 ms, and right; a loaded one (this test's, at times) makes
	// it longer, and the verdict must then follow the numbers it shows and offer a re-run
	m, tol := r["measured"].(float64), r["tol"].(float64)
	if want := map[bool]string{true: "correct", false: "incorrect"}[max(200-m, m-200) <= tol]; r["verdict"] != want {
		t.Errorf("a prediction of 200 ms judged %v at the program's %v (allowance %v ms), want %s", r["verdict"], own, tol, want)
	}
	if r["verdict"] == "incorrect" && r["late"].(float64) > 100 && r["rerun"] != true {
		t.Errorf("a busy run judged wrong offers no re-run: %v", r)
	}
	first := r["verdict"]
	text := r["text"].(string)
	for _, want := range []string{"measured " + thousands(m) + " ms", "predicted 200 ms", "Within " + thousands(tol) + " ms"} {
		if !strings.Contains(text, want) {
			t.Errorf("verdict %q lacks %q", text, want)
		}
	}
	// a wrong prediction while the page was busy: the verdict says so and offers a re-run
	r = check("5000", true)
	t.Logf("predicted 5000, busy: %v", r)
	if r["verdict"] != "incorrect" || r["rerun"] != true || r["late"].(float64) < 100 || !strings.Contains(r["text"].(string), "busy") {
		t.Errorf("busy run: %v, want incorrect with a re-run offer", r)
	}
	click(t, tab, ex+`.querySelector("button[data-action=rerun]")`)
	waitJS(t, tab, ex+`.dataset.state === "done" && `+ex+`.querySelector(".ex-result").dataset.verdict`, 60*time.Second)
	// both tries are kept: the first one beside the latest
	rec := evalT[map[string]any](t, tab, `JSON.parse(localStorage.getItem("unblocked.progress.v1")).exercises["sleep-50"]`)
	if f, _ := rec["first"].(map[string]any); f == nil || f["prediction"] != "200" || f["verdict"] != first || rec["tries"].(float64) < 3 {
		t.Errorf("stored %v: want the first try (200, %v) kept and 3 tries", rec, first)
	}
	chromiumtest.AssertClean(t, tab)
}

// thousands formats n as the English page does: 1,447.
func thousands(n float64) string {
	s := fmt.Sprint(int(n + 0.5))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestTimelineTicksNeverOverlap: at every width from a phone's lane to a desktop's, the shown
// axis labels never overlap and the last one (with the unit) shows; on a 360 px screen too.
func TestTimelineTicksNeverOverlap(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, lessonWith(t, "en", `data-example="sleep"`)+"?pg=sleep&tasks=2&delay=80")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 60*time.Second)
	// overlaps(width) → the labels of shown ticks that overlap, after the axis got that width
	res := evalT[map[string]any](t, tab, `(async () => {
		const tl = `+pg("sleep")+`.querySelector(".pg-timeline"), axis = tl.querySelector(".pg-axis");
		const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
		const bad = [];
		let labels = "";
		for (let w = 120; w <= 900; w += 7) {
			tl.style.width = w + "px";
			await frame();
			const shown = Array.from(axis.children).filter((k) => k.getClientRects().length && getComputedStyle(k).visibility !== "hidden");
			const last = axis.lastElementChild;
			if (!shown.includes(last)) bad.push(w + ": the last tick is hidden");
			for (let i = 1; i < shown.length; i++) {
				const a = shown[i - 1].getBoundingClientRect(), b = shown[i].getBoundingClientRect();
				if (a.right > b.left) bad.push(w + ": " + shown[i - 1].textContent + "|" + shown[i].textContent);
			}
			if (w === 316) labels = shown.map((k) => k.textContent).join(" ");
		}
		return {bad, labels, all: Array.from(axis.children).map((k) => k.textContent).join(" ")};
	})()`)
	t.Logf("axis %q; shown in a 316 px lane: %q", res["all"], res["labels"])
	if bad := res["bad"].([]any); len(bad) > 0 {
		t.Errorf("%d widths with overlapping or missing ticks, e.g. %v", len(bad), bad[:min(len(bad), 5)])
	}
}

// TestChecklistAndTableOnPhone: the cheat sheet's checklist is real (enabled, labelled by its
// item, saved across a reload) and its asyncio→Go table keeps every column on a 360 px screen.
func TestChecklistAndTableOnPhone(t *testing.T) {
	t.Parallel()
	// its own origin: a theme another test chose is kept in the shared origin's localStorage
	url := ownOrigin(t) + lessonWith(t, "en", `asyncio.Semaphore`)
	tab := a11yOpen(t, url, "light", 360)
	boxes := evalT[[]map[string]any](t, tab, `Array.from(document.querySelectorAll("main li input[type=checkbox]")).map(b => ({
		disabled: b.disabled, label: (b.labels && b.labels[0] ? b.labels[0].textContent.trim() : "").slice(0, 40)}))`)
	if len(boxes) < 3 {
		t.Fatalf("%d checkboxes on the cheat sheet", len(boxes))
	}
	for i, b := range boxes {
		if b["disabled"] == true || b["label"] == "" {
			t.Errorf("box %d: %v, want enabled and labelled", i, b)
		}
	}
	// tick the first three as a learner would, by their labels
	evalT[bool](t, tab, `(Array.from(document.querySelectorAll("main li input[type=checkbox]")).slice(0, 3).forEach(b => b.labels[0].click()), true)`)
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	ticked := evalT[[]bool](t, tab, `Array.from(document.querySelectorAll("main li input[type=checkbox]")).map(b => b.checked)`)
	if len(ticked) < 4 || !ticked[0] || !ticked[1] || !ticked[2] || ticked[3] {
		t.Errorf("after a reload the boxes are %v, want the first three ticked", ticked)
	}
	// the table: every cell on screen, labelled with its column
	off := evalT[[]string](t, tab, `Array.from(document.querySelectorAll("main table td")).filter(td => {
		const r = td.getBoundingClientRect(); return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1) }).slice(0, 5).map(td => td.textContent.slice(0, 30) + " right=" + Math.round(td.getBoundingClientRect().right))`)
	if len(off) > 0 {
		t.Errorf("table cells off a 360 px screen: %q", off)
	}
	goCells := evalT[int](t, tab, `Array.from(document.querySelectorAll("main table td[data-label=Go]")).filter(td => getComputedStyle(td, "::before").content.includes("Go")).length`)
	if goCells < 10 {
		t.Errorf("%d Go cells labelled with their column on a phone", goCells)
	}
	a11yNoOverflow(t, tab, 360)
	axe, err := os.ReadFile(filepath.Join(repoRoot, "e2e", "testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	a11yAxe(t, tab, string(axe))
	chromiumtest.AssertClean(t, tab)
}

// TestCodeReadsWell: at 1280 px every prose code block fits its (widened) column; on a phone
// code never wraps mid-token and scrolls by keyboard; playground sources show line numbers
// before editing starts; code has a Copy button.
func TestCodeReadsWell(t *testing.T) {
	t.Parallel()
	var pages []string
	for _, name := range []string{"sync-vs-concurrent", "pitfalls", "rewrite", "cheat-sheet", "channels", "shutdown"} {
		pages = append(pages, "/en/"+name+"/")
	}
	base := ownOrigin(t) // no theme or edits stored by other tests
	tab := a11yOpen(t, base+pages[0], "light", 1280)
	for _, p := range pages {
		if err := tab.Run(chromedp.Navigate(base + p)); err != nil {
			t.Fatal(err)
		}
		waitReady(t, tab)
		cut := evalT[[]string](t, tab, `Array.from(document.querySelectorAll(".lesson-body pre[tabindex]")).filter(p => !p.closest("section") && p.scrollWidth > p.clientWidth + 1)
			.map(p => p.textContent.split("\n").reduce((a, l) => l.length > a.length ? l : a, "").slice(0, 60) + " (" + p.scrollWidth + ">" + p.clientWidth + ")")`)
		if len(cut) > 0 {
			t.Errorf("%s at 1280 px: %d code blocks wider than their column: %q", p, len(cut), cut)
		}
	}
	// line numbers on a playground's source, before any editing
	ln := evalT[map[string]any](t, tab, `(() => { const pre = document.querySelector(".pg-source pre"); const lines = pre.querySelectorAll(".line");
		const cs = getComputedStyle(lines[0]);
		return {lines: lines.length, text: pre.textContent.split("\n").length - 1, before: getComputedStyle(lines[0], "::before").content,
			hanging: parseFloat(cs.textIndent) < 0 && parseFloat(cs.paddingLeft) === -parseFloat(cs.textIndent), wrapToken: getComputedStyle(pre).overflowWrap,
			copy: (b => !!b && Math.abs(b.getBoundingClientRect().bottom - pre.getBoundingClientRect().top) < 60)(pre.closest(".pg-col").querySelector(".code-tools button[data-action=copy-code]"))} })()`)
	if !strings.Contains(fmt.Sprint(ln["before"]), "counter") || ln["lines"].(float64) < ln["text"].(float64)-1 || ln["copy"] != true ||
		ln["hanging"] != true || ln["wrapToken"] != "normal" {
		t.Errorf("playground source: %v, want a numbered .line per line, a hanging indent, no mid-token wrap and a Copy button just above it", ln)
	}

	phone := a11yOpen(t, base+"/en/pitfalls/", "dark", 360)
	res := evalT[map[string]any](t, phone, `(() => {
		const pres = Array.from(document.querySelectorAll(".lesson-body pre[tabindex]")).filter(p => !p.closest("section"));
		const wrapped = pres.filter(p => getComputedStyle(p).whiteSpace !== "pre").length;
		const wide = pres.find(p => p.scrollWidth > p.clientWidth + 1);
		if (wide) wide.id = wide.id || "wide-code";
		// the hint that more is out of sight: only on blocks wider than their box
		const wrong = pres.filter(p => p.dataset.more && p.scrollWidth <= p.clientWidth + 1).length;
		return {n: pres.length, wrapped, wide: wide ? wide.id : "", wrong,
			more: wide ? wide.dataset.more || "" : "", shadow: wide ? getComputedStyle(wide).boxShadow : ""} })()`)
	if res["wrapped"].(float64) != 0 {
		t.Errorf("%v of %v code blocks wrap on a phone", res["wrapped"], res["n"])
	}
	if res["wrong"].(float64) != 0 {
		t.Errorf("%v code blocks that fit say more is out of sight", res["wrong"])
	}
	if id := res["wide"].(string); id != "" {
		if res["more"] != "right" || res["shadow"] == "none" {
			t.Errorf("a wide code block at its start: data-more %q, box-shadow %v; want \"right\" and an edge shadow", res["more"], res["shadow"])
		}
		evalT[bool](t, phone, `(document.getElementById("`+id+`").focus(), true)`)
		for range 5 {
			if err := phone.Run(chromedp.KeyEvent(kb.ArrowRight)); err != nil {
				t.Fatal(err)
			}
		}
		// keyboard scrolling is animated: wait for it to move
		if err := phone.WaitJS(`document.getElementById("`+id+`").scrollLeft > 0`, 5*time.Second); err != nil {
			t.Errorf("a wide code block did not scroll with the arrow keys: %v", err)
		} else if err := phone.WaitJS(`(document.getElementById("`+id+`").dataset.more || "").split(" ").includes("left")`, 5*time.Second); err != nil {
			t.Errorf("a scrolled code block does not say there is code to its left: %v", err)
		}
	} else {
		t.Log("no code block wider than a 360 px screen on this page")
	}
	// Copy: the clipboard gets the code, or (no clipboard permission) the code is selected
	got := evalT[map[string]string](t, phone, pageJS(`(async () => {
		const b = document.querySelector(".code-block > button[data-action=copy-code]");
		const pre = b.parentElement.querySelector("pre");
		let clip = ""; // what the page writes to the clipboard (reading it back needs a permission)
		navigator.clipboard.writeText = (s) => { clip = s; return Promise.resolve(); };
		b.click();
		for (let i = 0; i < 50 && !b.dataset.copied; i++) await new Promise(r => setTimeout(r, 20));
		return {copied: b.dataset.copied || "", text: pre.textContent, clip, selected: getSelection().toString(), name: b.getAttribute("aria-label")} })()`))
	if got["copied"] == "" || (got["clip"] != got["text"] && got["selected"] != got["text"]) || got["name"] == "" {
		t.Errorf("Copy: %v", got)
	}
	a11yNoOverflow(t, phone, 360)
}

// TestReadWhenEndReached: a lesson counts as read when its end was on screen, not after some
// time on a page never scrolled through. Long page timers are shortened (to 50 ms) so "some
// time" passes at once; a timer the test sets after them fires after them, which is the signal.
func TestReadWhenEndReached(t *testing.T) {
	t.Parallel()
	tab := chromiumtest.NewTab(t, chrome, 60*time.Second)
	if _, err := chromedp.Call(tab.Ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `{ const st = window.setTimeout;
			window.setTimeout = (f, ms, ...a) => st(f, ms >= 10000 ? 50 : ms, ...a); }`}); err != nil {
		t.Fatal(err)
	}
	path := lessonWith(t, "en", `id="pg-starve-1"`)
	if err := tab.Run(chromedp.Navigate(server.URL + path)); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	evalT[bool](t, tab, `(localStorage.clear(), true)`)
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	read := pageJS(`(await mod("progress")).isRead(config.lesson)`)
	// every long timer the page set has fired once this one has
	waitJS(t, tab, `new Promise(r => setTimeout(() => r(true), 60000))`, 10*time.Second)
	if evalT[bool](t, tab, read) {
		t.Fatal("the lesson counts as read though its end was never on screen")
	}
	// the reader reaches the end of the lesson (what follows it, the pager and on a narrow
	// window the list of lessons, may be longer than the window)
	evalT[bool](t, tab, `(document.querySelector(".lesson-end").scrollIntoView({block: "center", behavior: "instant"}), true)`)
	if err := tab.WaitJS(read, 10*time.Second); err != nil {
		t.Fatalf("%v: %v", err, evalT[any](t, tab, `(e => e ? {top: e.getBoundingClientRect().top, h: innerHeight, y: scrollY} : "no .lesson-end")(document.querySelector(".lesson-end"))`))
	}
}

// TestSpeedupAfterSeparateRuns: Run sync, then Run concurrent with the same parameters, shows the
// speed-up as Run both does; after a parameter changed it does not.
func TestSpeedupAfterSeparateRuns(t *testing.T) {
	t.Parallel()
	// its own origin: an edit stored by a test alongside would run interpreted (not a fair race)
	tab := open(t, ownOrigin(t), lessonWith(t, "en", `data-example="sleep"`)+"?pg=sleep&tasks=3&delay=100")
	speed := pg("sleep") + `.querySelector(".pg-speedup")`
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done"`, 30*time.Second)
	if s := evalT[string](t, tab, speed+`.textContent`); s != "" {
		t.Errorf("a speed-up after one run: %q", s)
	}
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done"`, 30*time.Second)
	waitJS(t, tab, speed+`.textContent !== ""`, 5*time.Second)
	got := evalT[map[string]string](t, tab, `(s => ({text: s.textContent, x: s.dataset.speedup || ""}))(`+speed+`)`)
	t.Logf("after two separate runs: %v", got)
	if !strings.Contains(got["text"], "faster") || got["x"] == "" {
		t.Errorf("speed-up line %v after Run sync then Run concurrent", got)
	}
	setParam(t, tab, "sleep", "tasks", "4")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-sync]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done"`, 30*time.Second)
	if s := evalT[string](t, tab, speed+`.textContent`); s != "" {
		t.Errorf("runs with different parameters compared: %q", s)
	}
}

// TestIndexReaderLanguageFirst: on a phone the index shows the reader's language first: the
// browser's language on a first visit, then the language of the lessons last read.
func TestIndexReaderLanguageFirst(t *testing.T) {
	t.Parallel()
	srv := ownServer(t) // its own origin: its own localStorage
	tab := chromiumtest.NewTab(t, chrome, 60*time.Second)
	if err := tab.Run(chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab.Ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `Object.defineProperty(navigator, "languages", {get: () => ["zh-CN", "zh", "en"]});`}); err != nil {
		t.Fatal(err)
	}
	first := `(() => { const s = document.querySelector(".lesson-lists > .lesson-list"); return s.getAttribute("lang") + " " + (s.getBoundingClientRect().top < document.querySelectorAll(".lesson-lists > .lesson-list")[1].getBoundingClientRect().top) })()`
	if err := tab.Run(chromedp.Navigate(srv.URL + "/")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	if got := evalT[string](t, tab, first); got != "zh-Hans true" {
		t.Errorf("a zh-CN reader's index starts with %q, want the Chinese list on top", got)
	}
	// a reader who reads the English lessons gets them first
	if err := tab.Run(chromedp.Navigate(srv.URL + lessonWith(t, "en", `data-lesson=`))); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	if err := tab.Run(chromedp.Navigate(srv.URL + "/")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	if got := evalT[string](t, tab, first); got != "en true" {
		t.Errorf("after reading an English lesson the index starts with %q, want English", got)
	}
}

// TestLongRunsSayPrinting: where Tasks and Delay are set, many short tasks bring a note that the
// times then measure printing; lesson 1 says it too.
func TestLongRunsSayPrinting(t *testing.T) {
	t.Parallel()
	tab := open(t, server.URL, "/en/sync-vs-concurrent/?pg=sleep&tasks=1000&delay=10")
	note := pg("sleep") + `.querySelector(".pg-print-note")`
	if got := evalT[string](t, tab, `(n => n && !n.hidden ? n.textContent : "")(`+note+`)`); !strings.Contains(got, "printing") {
		t.Errorf("1,000 × 10 ms: note %q, want one saying the times measure printing", got)
	}
	setParam(t, tab, "sleep", "tasks", "5")
	if h := evalT[bool](t, tab, note+`.hidden`); !h {
		t.Error("the printing note stays for 5 tasks")
	}
	if !evalT[bool](t, tab, `document.querySelector(".lesson-body").textContent.includes("printing")`) {
		t.Error("lesson 1 does not say that long runs measure printing")
	}
}

// TestResetOffersUndo: Reset puts the original code back at once and offers to undo it.
func TestResetOffersUndo(t *testing.T) {
	t.Parallel()
	tab := openEdit(t, ownOrigin(t), sleepPage(t, "en"), "sleep")
	orig := exampleSource(t, "sleep", "sync")
	edited := orig + "// my edit\n"
	setSource(t, tab, "sleep", "sync", edited)
	waitJS(t, tab, pg("sleep")+`.dataset.edited === "sync"`, 5*time.Second)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=reset-source][data-variant=sync]")`)
	if d := editorDoc(t, tab, "sleep", "sync"); d != orig {
		t.Fatal("Reset did not restore the original")
	}
	undo := pg("sleep") + `.querySelector("button[data-action=undo-reset]")`
	if evalT[bool](t, tab, undo+`.hidden`) {
		t.Fatal("no Undo after Reset")
	}
	click(t, tab, undo)
	if d := editorDoc(t, tab, "sleep", "sync"); d != edited {
		t.Errorf("Undo brought back %q, want the edit", d[max(0, len(d)-40):])
	}
	waitJS(t, tab, pg("sleep")+`.dataset.edited === "sync" && `+undo+`.hidden`, 5*time.Second)
}

// TestLessonNavNumbersShow: on a wide screen the list of lessons scrolls on its own, so it clips
// whatever sticks out of it; a lesson number's marker sits left of its item, and "10." to "15."
// lost their first digit when the list's indent was narrower than the widest marker.
func TestLessonNavNumbersShow(t *testing.T) {
	t.Parallel()
	tab := chromiumtest.NewTab(t, chrome, 60*time.Second)
	if err := tab.Run(chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	if err := tab.Run(chromedp.Navigate(server.URL + lessonWith(t, "en", `data-lesson=`))); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	got := evalT[map[string]any](t, tab, `(() => {
		const nav = document.querySelector(".lesson-nav"), ol = nav.querySelector("ol"), li = ol.lastElementChild;
		const ctx = document.createElement("canvas").getContext("2d");
		ctx.font = getComputedStyle(li).font;
		const marker = ctx.measureText(ol.children.length + ". ").width;
		const start = li.getBoundingClientRect().left; // where the item's text starts; its marker ends here
		return {items: ol.children.length, overflow: getComputedStyle(nav).overflowX,
			markerLeft: start - marker, clipLeft: nav.getBoundingClientRect().left + nav.clientLeft};
	})()`)
	t.Logf("lesson nav: %v", got)
	if got["items"].(float64) < 10 {
		t.Fatalf("only %v lessons in the nav: this test needs two-digit numbers", got["items"])
	}
	if got["overflow"] == "visible" {
		t.Fatalf("the nav no longer clips (overflow-x %v): this test checks nothing", got["overflow"])
	}
	if ml, cl := got["markerLeft"].(float64), got["clipLeft"].(float64); ml < cl {
		t.Errorf("the last lesson's number starts at %.1f px, left of the nav's edge at %.1f px: its first digit is cut off", ml, cl)
	}
}
