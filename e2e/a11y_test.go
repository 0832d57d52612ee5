package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"unblocked/internal/chromium"
	"unblocked/internal/chromium/chromiumtest"
)

// axeTags are the axe-core rule sets every page must pass: WCAG 2.0/2.1 A and AA, the WCAG 2.2
// AA target size, and axe's best practices (landmarks, heading order, one h1, regions).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

type a11yPage struct {
	name, path string
	lesson     bool // has playgrounds: run one, check the Run buttons and the timeline
}

// TestA11y runs axe-core (vendored in testdata/axe) on the index, a lesson with playgrounds in
// both languages, the challenge lesson and the 404 page, each in the light and the dark theme at
// phone (360 px) and desktop width. Lessons are checked after "Run both", so the output panels,
// the timeline and its table are part of the audit. It also asserts no horizontal scrolling at
// 360 px, an accessible name on every control, keyboard focus reaching the Run buttons with a
// visible focus indicator, and timeline bars that stand out from their lane (3:1).
func TestA11y(t *testing.T) {
	t.Parallel()
	axe, err := os.ReadFile(filepath.Join(repoRoot, "e2e", "testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	// Its own origin, so the theme other tests store in localStorage cannot leak in.
	srv := ownServer(t)

	pages := []a11yPage{
		{"index", "/", false},
		{"zh-index", "/zh/", false},
		{"en-lesson", "/en/sync-vs-concurrent/?tasks=3&delay=100", true},
		{"zh-lesson", "/zh/sync-vs-concurrent/?tasks=3&delay=100", true},
		{"en-challenge", "/en/rewrite/", false},
		{"404", "/404.html", false},
	}
	for _, p := range pages {
		for _, scheme := range []string{"light", "dark"} {
			for _, width := range []int64{360, 1280} {
				t.Run(fmt.Sprintf("%s/%s/%d", p.name, scheme, width), func(t *testing.T) {
					tab := a11yOpen(t, srv.URL+p.path, scheme, width)
					if p.lesson {
						a11yRunBoth(t, tab)
						a11yTimelineContrast(t, tab)
					}
					a11yAxe(t, tab, string(axe))
					if width <= 360 {
						a11yNoOverflow(t, tab, width)
					}
					a11yNames(t, tab)
					if p.lesson {
						a11yTabToRun(t, tab)
					}
				})
			}
		}
	}
}

// a11yOpen opens url with the colour scheme and viewport width emulated before the page loads.
func a11yOpen(t *testing.T, url, scheme string, width int64) *chromium.Tab {
	t.Helper()
	tab := chromiumtest.NewTab(t, chrome, 60*time.Second)
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := tab.Run(chromedp.EmulateViewport(width, 800, opts...)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme},
			{Name: "prefers-reduced-motion", Value: "reduce"},
		},
	}); err != nil {
		t.Fatal(err)
	}
	if err := tab.Run(chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
	if err := tab.WaitJS(pageReady, 15*time.Second); err != nil {
		t.Fatal(err)
	}
	var theme string
	if err := tab.Eval(`document.documentElement.dataset.theme || ""`, &theme); err != nil {
		t.Fatal(err)
	}
	if theme != scheme {
		t.Fatalf("emulated prefers-color-scheme %s, page theme %q", scheme, theme)
	}
	// let hydration and the lazily loaded editors settle
	if err := tab.WaitJS(`new Promise(r => setTimeout(() => r(true), 400))`, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	return tab
}

func a11yEval[T any](t *testing.T, tab *chromium.Tab, js string) T {
	t.Helper()
	var v T
	if err := tab.Eval(js, &v); err != nil {
		t.Fatalf("eval %.80s…: %v", js, err)
	}
	return v
}

func a11yRunBoth(t *testing.T, tab *chromium.Tab) {
	t.Helper()
	a11yEval[bool](t, tab, `(() => { document.querySelector("section.playground button[data-action=run-both]").click(); return true })()`)
	const done = `Array.from(document.querySelector("section.playground").querySelectorAll(".pg-run:not([data-engine=python])")).every(p => p.dataset.state === "done")`
	if err := tab.WaitJS(done, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	// the scheduler view under each Go run (docs/arch/scheduler.md) is part of what axe checks;
	// the Python panels were not run and have none
	const viewed = `Array.from(document.querySelector("section.playground").querySelectorAll(".pg-run:not([data-engine=python])")).every(p => { const e = p.querySelector("[data-scheduler]"); return e && e.dataset.scheduler !== "parsing" })`
	if err := tab.WaitJS(viewed, 60*time.Second); err != nil {
		t.Fatal(err)
	}
}

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target  []any
		Summary string
	}
}

func a11yAxe(t *testing.T, tab *chromium.Tab, axe string) {
	t.Helper()
	if err := tab.Eval(`(() => { if (!window.axe) { `+axe+`
	} return true })()`, nil); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	tags, _ := json.Marshal(axeTags)
	js := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ""})),
	})))`
	vs := a11yEval[[]axeViolation](t, tab, js)
	for _, v := range vs {
		var b strings.Builder
		fmt.Fprintf(&b, "axe %s (%s): %s", v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 8 {
				fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-i)
				break
			}
			target, _ := json.Marshal(n.Target)
			fmt.Fprintf(&b, "\n    %s: %s", target, strings.ReplaceAll(n.Summary, "\n", " | "))
		}
		t.Error(b.String())
	}
}

func a11yNoOverflow(t *testing.T, tab *chromium.Tab, width int64) {
	t.Helper()
	sw := a11yEval[int64](t, tab, `document.documentElement.scrollWidth`)
	if sw > width {
		wide := a11yEval[[]string](t, tab, `Array.from(document.querySelectorAll("body *")).filter(e => {
			const r = e.getBoundingClientRect(); return r.right > innerWidth + 1 && getComputedStyle(e).position !== "fixed"
		}).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.trim().replace(/\s+/g, ".") : "") + " right=" + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("horizontal overflow at %d px: scrollWidth %d; widest: %s", width, sw, strings.Join(wide, ", "))
	}
}

// a11yNames checks, in Chromium's accessibility tree, that every exposed control has a name.
func a11yNames(t *testing.T, tab *chromium.Tab) {
	t.Helper()
	res, err := chromedp.Call(tab.Ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		t.Fatal(err)
	}
	controls := map[string]bool{"button": true, "textbox": true, "spinbutton": true, "radio": true, "checkbox": true,
		"combobox": true, "searchbox": true, "slider": true, "tab": true, "link": true, "switch": true}
	str := func(v *accessibility.Value) string {
		if v == nil {
			return ""
		}
		var s string
		json.Unmarshal([]byte(v.Value), &s)
		return strings.TrimSpace(s)
	}
	seen := 0
	for _, n := range res.Nodes {
		if n.Ignored || !controls[str(n.Role)] {
			continue
		}
		seen++
		if str(n.Name) != "" {
			continue
		}
		desc := fmt.Sprintf("backend node %d", n.BackendDOMNodeID)
		if d, err := chromedp.Call(tab.Ctx, dom.DescribeNode, dom.DescribeNodeParams{BackendNodeID: n.BackendDOMNodeID}); err == nil && d.Node != nil {
			desc = fmt.Sprintf("<%s %s>", strings.ToLower(d.Node.NodeName), strings.Join(d.Node.Attributes, " "))
		}
		t.Errorf("%s without an accessible name: %s", str(n.Role), desc)
	}
	if seen == 0 {
		t.Errorf("no controls found in the accessibility tree")
	}
}

// a11yTabToRun presses Tab from the top of the page until a Run button has the focus (leaving
// code editors with Escape, as their help text says), then checks it shows a focus indicator.
func a11yTabToRun(t *testing.T, tab *chromium.Tab) {
	t.Helper()
	a11yEval[bool](t, tab, `(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); return true })()`)
	type focus struct {
		Run, Editor bool
		Desc        string
	}
	var path []string
	for i := 0; i < 300; i++ {
		if err := tab.Run(chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		f := a11yEval[focus](t, tab, `(() => { const e = document.activeElement; return {
			run: !!(e && e.matches("button[data-action^=run-]")),
			editor: !!(e && e.closest(".cm-editor")),
			desc: e ? e.tagName.toLowerCase() + (e.dataset.action ? "[" + e.dataset.action + "]" : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/)[0] : "") : "none",
		} })()`)
		path = append(path, f.Desc)
		if f.Editor {
			if err := tab.Run(chromedp.KeyEvent(kb.Escape)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !f.Run {
			continue
		}
		type ring struct {
			Visible              bool
			Outline, Shadow, Msg string
		}
		r := a11yEval[ring](t, tab, `(() => { const e = document.activeElement, s = getComputedStyle(e);
			const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
			const shadow = s.boxShadow && s.boxShadow !== "none";
			return {visible: e.matches(":focus-visible") && (outline || shadow), outline: s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor,
				shadow: s.boxShadow, msg: e.matches(":focus-visible") ? "" : "not :focus-visible"} })()`)
		if !r.Visible {
			t.Errorf("Run button focused by Tab shows no focus indicator: outline %q, box-shadow %q %s", r.Outline, r.Shadow, r.Msg)
		}
		return
	}
	t.Errorf("Tab never reached a Run button; focus went through: %s", strings.Join(path, " → "))
}

// a11yTimelineContrast: each timeline bar against its lane, 3:1 (WCAG 1.4.11 non-text contrast).
func a11yTimelineContrast(t *testing.T, tab *chromium.Tab) {
	t.Helper()
	type pair struct {
		Variant, Bar, Lane string
		Ratio              float64
	}
	ps := a11yEval[[]pair](t, tab, `(() => {
		const rgb = c => { const m = c.match(/[\d.]+/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m.slice(0, 3) };
		const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4) }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b) };
		const bgOf = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c) return c } return [255, 255, 255] };
		return Array.from(document.querySelectorAll("section.playground .pg-lane")).map(lane => {
			const bar = lane.querySelector(".pg-bar");
			if (!bar) return {variant: lane.dataset.variant, bar: "none", lane: "", ratio: 0};
			const a = lum(rgb(getComputedStyle(bar).backgroundColor)), b = lum(bgOf(lane));
			return {variant: lane.dataset.variant, bar: getComputedStyle(bar).backgroundColor, lane: String(bgOf(lane)),
				ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
		});
	})()`)
	if len(ps) == 0 {
		t.Errorf("no timeline lanes")
	}
	for _, p := range ps {
		if p.Ratio < 3 {
			t.Errorf("timeline %s bars %s on lane rgb(%s): contrast %.2f:1, want ≥ 3:1", p.Variant, p.Bar, p.Lane, p.Ratio)
		}
	}
}

// TestEveryPageReflows: every page of the sitemap, before anything runs, fits a 320 px window
// (WCAG reflow: a 1280 px laptop at 400 % zoom) and a 640 px one (200 %: between the phone and
// the desktop layouts) without sideways scrolling; only code, tables and the scheduler view
// scroll inside their own boxes.
func TestEveryPageReflows(t *testing.T) {
	t.Parallel()
	sm, err := os.ReadFile(filepath.Join(siteDir, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, m := range regexp.MustCompile(`<loc>https?://[^/]+(/[^<]*)</loc>`).FindAllStringSubmatch(string(sm), -1) {
		pages = append(pages, m[1])
	}
	if len(pages) < 20 {
		t.Fatalf("sitemap lists %d pages: %q", len(pages), pages)
	}
	srv := ownServer(t)
	for _, width := range []int64{320, 640} {
		tab := a11yOpen(t, srv.URL+"/", "light", width)
		for _, p := range pages {
			if err := tab.Run(chromedp.Navigate(srv.URL + p)); err != nil {
				t.Fatal(err)
			}
			if err := tab.WaitJS(pageReady, 15*time.Second); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if sw := a11yEval[int64](t, tab, `document.documentElement.scrollWidth`); sw > width {
				t.Errorf("%s at %d px:", p, width)
				a11yNoOverflow(t, tab, width)
			}
		}
	}
}
