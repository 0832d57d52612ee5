package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"unblocked/internal/chromium"
	"unblocked/internal/chromium/chromiumtest"
)

// The classroom in a browser (docs/arch/classroom.md): presenter mode, follow the teacher,
// Save for offline, a light first visit, handouts.

func key(t *testing.T, tab *chromium.Tab, k string, opts ...chromedp.KeyOption) {
	t.Helper()
	if err := tab.Run(chromedp.KeyEvent(k, opts...)); err != nil {
		t.Fatalf("key %q: %v", k, err)
	}
}

// openAt opens path at a viewport of width × height and waits for its scripts.
func openAt(t *testing.T, origin, path string, width, height int64) *chromium.Tab {
	t.Helper()
	tab := openPlain(t, origin, path, width, height)
	waitReady(t, tab)
	return tab
}

// openPlain opens a page without the site's scripts (the join page).
func openPlain(t *testing.T, origin, path string, width, height int64) *chromium.Tab {
	t.Helper()
	return navigateAt(t, chromiumtest.NewTab(t, chrome, 120*time.Second), origin, path, width, height)
}

// openPhone opens a page on "another device" (a browser context of its own), as a learner's phone.
func openPhone(t *testing.T, origin, path string) *chromium.Tab {
	t.Helper()
	return navigateAt(t, chromiumtest.NewDeviceTab(t, chrome, 120*time.Second), origin, path, 400, 800)
}

func navigateAt(t *testing.T, tab *chromium.Tab, origin, path string, width, height int64) *chromium.Tab {
	t.Helper()
	if err := tab.Run(chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	if err := tab.Run(chromedp.Navigate(origin + path)); err != nil {
		t.Fatalf("navigate %s: %v", path, err)
	}
	return tab
}

// stepTo presses → until the playground of example is on screen; it returns the steps taken.
func stepTo(t *testing.T, tab *chromium.Tab, example string) int {
	t.Helper()
	for i := 0; i < 40; i++ {
		if evalT[bool](t, tab, pg(example)+`.getClientRects().length > 0`) {
			return i
		}
		key(t, tab, kb.ArrowRight)
	}
	t.Fatalf("no step shows the %s playground", example)
	return 0
}

func TestPresenterMode(t *testing.T) {
	t.Parallel()
	path := lessonWith(t, "en", `data-example="sleep"`)
	// its own origin: another test's saved edit of this example would load the editor in place
	// of the page's source
	tab := openAt(t, ownOrigin(t), path+"?present", 1280, 800)
	waitJS(t, tab, `document.documentElement.hasAttribute("data-present")`, 5*time.Second)

	// the frame goes, text and code grow
	type look struct {
		Nav, TOC          string
		Body, Code, Out   float64
		Width, Gap, Level float64
		H2s               int
	}
	measure := func() look {
		return evalT[look](t, tab, `(() => {
			const px = (e) => e ? parseFloat(getComputedStyle(e).fontSize) : 0;
			const disp = (s) => { const e = document.querySelector(s); return e ? getComputedStyle(e).display : "absent" };
			const sec = `+pg("sleep")+`;
			// the sources as shown: the page's code, or the editor once one is loaded
			const cols = Array.from(sec.querySelectorAll(".pg-source")).filter((e) => e.getClientRects().length);
			const a = cols[0].getBoundingClientRect(), b = cols[1].getBoundingClientRect();
			const code = cols[0].querySelector("pre:not([hidden]), .cm-content");
			return {Nav: disp(".lesson-nav"), TOC: disp(".toc"), Body: px(document.querySelector(".lesson-body p")),
				Code: px(code), Out: px(sec.querySelector(".pg-output")),
				Width: sec.getBoundingClientRect().width, Gap: b.left - a.right, Level: Math.abs(a.top - b.top),
				H2s: Array.from(document.querySelectorAll(".lesson-body h2")).filter(h => h.getClientRects().length).length}
		})()`)
	}
	first := evalT[int](t, tab, `document.querySelectorAll(".lesson-body h2").length`)
	if first < 2 {
		t.Fatalf("the lesson has %d sections; the test needs two or more", first)
	}
	if got := evalT[string](t, tab, `document.documentElement.dataset.presentStep`); got != "0" {
		t.Fatalf("starts at step %q", got)
	}
	steps := stepTo(t, tab, "sleep")
	l := measure()
	t.Logf("after %d steps: %+v", steps, l)
	if l.Nav != "none" || l.TOC != "none" {
		t.Errorf("navigation %s, table of contents %s: want both hidden", l.Nav, l.TOC)
	}
	if l.Body < 24 || l.Code < 20 || l.Out < 20 {
		t.Errorf("body %.1f px, code %.1f px, output %.1f px: want ≥ 24, ≥ 20, ≥ 20", l.Body, l.Code, l.Out)
	}
	if l.Width < 1100 {
		t.Errorf("playground %.0f px wide at 1280: want (nearly) full width", l.Width)
	}
	if l.Gap <= 0 || l.Level > 2 {
		t.Errorf("sync and concurrent not side by side (gap %.0f, tops differ by %.0f)", l.Gap, l.Level)
	}
	if l.H2s != 1 {
		t.Errorf("%d sections on screen, want 1", l.H2s)
	}
	// the section is the address's fragment, and ← steps back
	hash := evalT[string](t, tab, `location.hash`)
	if hash == "" || !strings.Contains(evalT[string](t, tab, `location.search`), "present") {
		t.Errorf("address %q %q: want ?present and the section's #id", evalT[string](t, tab, `location.search`), hash)
	}
	before := evalT[string](t, tab, `document.documentElement.dataset.presentStep`)
	key(t, tab, kb.ArrowLeft)
	key(t, tab, " ")
	if got := evalT[string](t, tab, `document.documentElement.dataset.presentStep`); got != before {
		t.Errorf("← then Space: step %s, want %s again", got, before)
	}

	// Shift+Enter runs both versions of the section's playground
	setParam(t, tab, "sleep", "tasks", "4")
	setParam(t, tab, "sleep", "delay", "40ms")
	tab.Eval(`document.activeElement && document.activeElement.blur()`, nil)
	key(t, tab, kb.Enter, chromedp.KeyModifiers(chromedp.ModifierShift))
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 30*time.Second)
	bars := evalT[string](t, tab, pageJS(`String(`+pgAPI("sleep")+`.timeline().bars.concurrent) + "/" + `+pgAPI("sleep")+`.timeline().bars.sync`))
	if bars != "4/4" {
		t.Fatalf("bars after Shift+Enter: %s, want 4/4", bars)
	}

	// R replays the run's timeline slowly: the bars come back one by one, all of them
	key(t, tab, "r")
	waitJS(t, tab, pg("sleep")+`.dataset.replay === "running"`, 5*time.Second)
	during := evalT[int](t, tab, pageJS(pgAPI("sleep")+`.timeline().bars.sync`))
	waitJS(t, tab, pg("sleep")+`.dataset.replay === "done"`, 30*time.Second)
	after := evalT[string](t, tab, pageJS(`String(`+pgAPI("sleep")+`.timeline().bars.concurrent) + "/" + `+pgAPI("sleep")+`.timeline().bars.sync`))
	if during >= 4 || after != "4/4" {
		t.Errorf("replay: %d sync bars while replaying, %s after; want fewer than 4, then 4/4", during, after)
	}

	// ? lists the keys, presenter mode's among them
	key(t, tab, "?")
	waitJS(t, tab, `document.querySelector("dialog.keys-help[open]")`, 5*time.Second)
	help := evalT[string](t, tab, `document.querySelector("dialog.keys-help").textContent`)
	for _, want := range []string{"Presenter mode", "Shift+Enter", "slow motion"} {
		if !strings.Contains(help, want) {
			t.Errorf("keys list lacks %q: %s", want, help)
		}
	}
	key(t, tab, kb.Escape)
	// P leaves presenter mode: everything is back
	tab.Eval(`document.activeElement && document.activeElement.blur()`, nil)
	key(t, tab, "p")
	if evalT[bool](t, tab, `document.documentElement.hasAttribute("data-present") || document.querySelectorAll("[data-present-off]").length > 0`) {
		t.Error("P did not leave presenter mode")
	}
	if evalT[bool](t, tab, `location.search.includes("present")`) {
		t.Errorf("?present still in the address: %s", evalT[string](t, tab, `location.href`))
	}
	chromiumtest.AssertClean(t, tab)
}

// The teacher presents on the served site; a learner joins through /join/ and follows, then leaves.
func TestFollowTheTeacher(t *testing.T) {
	t.Parallel()
	origin := servedURL(t)
	path := lessonWith(t, "en", `data-example="sleep"`)
	other := lessonWith(t, "en", `data-example="gather"`)

	learner := openPhone(t, origin, "/join/")
	if !evalT[bool](t, learner, `!!document.querySelector("svg.qr path") && document.querySelector(".join-url").textContent.startsWith("http://")`) {
		t.Fatalf("join page without its QR code or URL: %s", evalT[string](t, learner, `document.body.innerHTML.slice(0, 500)`))
	}
	teacher := openAt(t, origin, path+"?present", 1280, 800)
	waitJS(t, teacher, `document.documentElement.hasAttribute("data-present")`, 5*time.Second)
	// the server has the teacher's place before the learner clicks
	waitJS(t, teacher, `fetch("/join/card.json").then(r => r.json()).then(j => typeof j.followers === "number")`, 10*time.Second)

	click(t, learner, `document.querySelector("a.join-follow")`)
	waitJS(t, learner, `document.documentElement.dataset.follow === "on" && document.documentElement.dataset.scripts === "ready"`, 30*time.Second)
	if got := evalT[string](t, learner, `location.pathname`); got != path {
		t.Errorf("learner landed on %s, want the teacher's %s", got, path)
	}
	if evalT[bool](t, learner, `location.search.includes("follow")`) {
		t.Errorf("?follow left in the learner's address: %s", evalT[string](t, learner, `location.href`))
	}
	waitJS(t, teacher, `document.querySelector(".present-bar").dataset.followers === "1"`, 10*time.Second)

	// the teacher steps: the learner's page shows the same section
	key(t, teacher, kb.ArrowRight)
	want := evalT[string](t, teacher, `location.hash`)
	waitJS(t, learner, fmt.Sprintf(`location.hash === %q`, want), 10*time.Second)

	// another lesson with its playground's parameters: the learner's page loads it
	if err := teacher.Run(chromedp.Navigate(origin + other + "?tasks=3&present")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, teacher)
	if err := learner.WaitJS(fmt.Sprintf(`location.pathname === %q && location.search.includes("tasks=3") && document.documentElement && document.documentElement.dataset.follow === "on"`, other), 30*time.Second); err != nil {
		var where string
		learner.Eval(`location.href + " follow=" + (document.documentElement && document.documentElement.dataset.follow)`, &where)
		t.Fatalf("learner at %s (teacher at %s): %v", where, evalT[string](t, teacher, `location.href`), err)
	}

	// J shows the join card: the LAN address (here the loopback one: the server listens there) and its QR code
	key(t, teacher, "j")
	waitJS(t, teacher, `document.querySelector(".join-card svg path") && document.querySelector(".join-card-url a")`, 10*time.Second)
	if got := evalT[string](t, teacher, `document.querySelector(".join-card-url a").getAttribute("href")`); got != origin+"/join/" {
		t.Errorf("join card links %q, want %s/join/", got, origin)
	}
	key(t, teacher, "j")

	// one click leaves; the next move leaves the learner where they are
	click(t, learner, `document.querySelector("[data-action=leave-follow]")`)
	if evalT[bool](t, learner, `"follow" in document.documentElement.dataset`) {
		t.Error("still following after Stop following")
	}
	waitJS(t, teacher, `document.querySelector(".present-bar").dataset.followers === "0"`, 10*time.Second)
	key(t, teacher, kb.ArrowRight)
	moved := evalT[string](t, teacher, `location.hash`)
	// a follower would have had it by the time the teacher's count came back: use a fresh follower as the signal
	probe := openPhone(t, origin, "/join/")
	click(t, probe, `document.querySelector("a.join-follow")`)
	waitJS(t, probe, fmt.Sprintf(`document.documentElement.dataset.follow === "on" && location.hash === %q`, moved), 30*time.Second)
	if got := evalT[string](t, learner, `location.pathname + location.hash`); got == other+moved {
		t.Errorf("the learner who left still moved to %s", got)
	}
	for _, tab := range []*chromium.Tab{teacher, learner} {
		chromiumtest.AssertClean(t, tab)
	}
}

// A first visit moves only what the page needs; Save for offline then caches everything, and a
// lesson runs with the network off.
func TestSaveForOffline(t *testing.T) {
	t.Parallel()
	srv := ownServer(t)
	path := lessonWith(t, "en", `data-example="sleep"`)
	tab := openAt(t, srv.URL, path, 1280, 800)
	waitJS(t, tab, `navigator.serviceWorker.controller`, 15*time.Second)
	if wasm := srv.Paths("/wasm/"); len(wasm) > 2 {
		t.Errorf("a first visit fetched %d wasm files before any click: %v", len(wasm), wasm)
	}
	if evalT[string](t, tab, `document.documentElement.dataset.offline || ""`) != "" {
		t.Fatal("data-offline set before saving")
	}
	b := `document.querySelector("[data-action=save-offline]")`
	if got := evalT[string](t, tab, b+`.textContent`); got != "Save for offline" {
		t.Fatalf("button %q", got)
	}
	click(t, tab, b)
	waitJS(t, tab, `document.documentElement.dataset.offline === "ready"`, 180*time.Second)
	status := evalT[string](t, tab, `document.querySelector(".offline-status").textContent`)
	if !strings.Contains(status, "MB") {
		t.Errorf("status after saving: %q (want its size)", status)
	}
	if n := len(srv.Paths("/wasm/")); n < 3 {
		t.Errorf("saved with %d wasm requests", n)
	}
	t.Logf("saved: %s (%s bytes)", status, evalT[string](t, tab, `document.documentElement.dataset.offlineBytes`))

	// network off in the browser (page and service worker), the server gone too
	goOffline(t, tab)
	srv.Close()
	other := lessonWith(t, "en", `data-example="gather"`)
	for _, p := range []string{other, path} {
		if err := tab.Run(chromedp.Navigate(srv.URL + p)); err != nil {
			t.Fatalf("navigate offline to %s: %v", p, err)
		}
		waitReady(t, tab)
	}
	setParam(t, tab, "sleep", "tasks", "2")
	setParam(t, tab, "sleep", "delay", "30ms")
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 30*time.Second)
	if evalT[string](t, tab, `document.documentElement.dataset.offline || ""`) != "ready" {
		t.Error("a later visit does not say the site is saved")
	}
}

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// The first visit of a lesson, 15 s with no click, service worker included: ≤ 1,000 KB (the
// issue's budget; 5,563 KB when the worker precached the whole site). The window is the
// budget's definition, not a wait for readiness.
func TestFirstVisitLight(t *testing.T) {
	t.Parallel()
	srv := ownServer(t)
	// a tall window: the first playground is near the viewport, so its module comes too
	path := lessonWith(t, "en", `data-example="sleep"`)
	tab := openAt(t, srv.URL, path, 1280, 2400)
	t0 := time.Now()
	waitJS(t, tab, `navigator.serviceWorker.controller`, 15*time.Second)
	if err := tab.WaitJS(`false`, 15*time.Second-time.Since(t0)); err == nil {
		t.Fatal("impossible")
	}
	sent := srv.Bytes()
	t.Logf("first visit of %s, 15 s: %d KB in %d requests (wasm: %v)", path, sent/1000, len(srv.Paths("/")), srv.Paths("/wasm/"))
	if len(srv.Paths("/wasm/")) == 0 {
		t.Errorf("the playground near the viewport did not fetch its module")
	}
	if sent > 1_000_000 {
		t.Errorf("first visit moved %d KB, budget 1,000 KB: %v", sent/1000, srv.Paths("/"))
	}
}

// Handouts: print media hides hints, solutions and controls unless ?print=solutions, keeps the
// last run, and prints the rewrite lesson on few pages.
func TestHandout(t *testing.T) {
	t.Parallel()
	pathOf := rewritePage(t)
	count := func(query string, run bool) (pages int, hidden string) {
		tab := openAt(t, server.URL, pathOf+query, 1280, 800)
		if run {
			ex := evalT[string](t, tab, `(document.querySelector("section.playground") || {dataset: {}}).dataset.example || ""`)
			if ex != "" {
				setParam(t, tab, ex, "tasks", "3")
				click(t, tab, pg(ex)+`.querySelector("[data-action=run-both]")`)
				waitJS(t, tab, panel(ex, "concurrent")+`.dataset.state === "done"`, 60*time.Second)
			}
		}
		if _, err := chromedp.Call(tab.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		hidden = evalT[string](t, tab, `(() => {
			const vis = (s) => Array.from(document.querySelectorAll(s)).some(e => e.getClientRects().length > 0);
			const out = [];
			for (const s of [".ch-solution", ".ch-hint", "button", ".lesson-nav", ".pg-runs"]) out.push(s + "=" + (vis(s) ? "shown" : "hidden"));
			return out.join(" ") })()`)
		res, err := chromedp.Call(tab.Ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: boolp(true)})
		if err != nil {
			t.Fatalf("print to PDF: %v", err)
		}
		return len(pdfPage.FindAll(res.Data, -1)), hidden
	}
	handout, h := count("?print", true)
	teacher, ht := count("?print=solutions", false)
	t.Logf("rewrite lesson: handout %d pages (%s); with solutions %d pages (%s)", handout, h, teacher, ht)
	if !strings.Contains(h, ".ch-solution=hidden") || !strings.Contains(h, ".ch-hint=hidden") || !strings.Contains(h, "button=hidden") || !strings.Contains(h, ".lesson-nav=hidden") {
		t.Errorf("handout shows what it should not: %s", h)
	}
	if !strings.Contains(h, ".pg-runs=shown") {
		t.Errorf("handout drops the last run: %s", h)
	}
	if !strings.Contains(ht, ".ch-solution=shown") || !strings.Contains(ht, ".pg-runs=hidden") {
		t.Errorf("teacher's copy: %s (want solutions shown, no runs: none were made)", ht)
	}
	if handout < 1 || handout > 12 {
		t.Errorf("handout of the rewrite lesson: %d pages (21 before; want at most 12)", handout)
	}
}
