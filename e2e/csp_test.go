package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium/chromiumtest"
)

// recordViolations collects the page's Content-Security-Policy violations in window.__csp from
// the document's start ("directive: blocked URI or sample").
const recordViolations = `window.__csp = []; document.addEventListener("securitypolicyviolation",
	e => window.__csp.push(e.violatedDirective + ": " + (e.blockedURI || e.sample)), true);`

// TestContentSecurityPolicy: a lesson page carries a CSP that allows only its own origin, no
// inline script but the head script it hashes and no inline style; under it the page runs both
// programs, loads the editor (styled: CodeMirror's rules in a constructed stylesheet) and meets
// not one violation. An inline script and an inline style injected afterwards are refused, so
// the policy is in force.
func TestContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	tab := chromiumtest.NewTab(t, chrome, 90*time.Second)
	if _, err := chromedp.Call(tab.Ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordViolations}); err != nil {
		t.Fatal(err)
	}
	if err := tab.Run(chromedp.Navigate(server.URL + sleepPage(t, "en"))); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab)
	policy := evalT[string](t, tab, `document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`)
	for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval' 'sha256-", "style-src 'self';",
		"worker-src 'self'", "connect-src 'self'", "object-src 'none'"} {
		if !strings.Contains(policy, want) {
			t.Errorf("CSP %q lacks %q", policy, want)
		}
	}
	if strings.Contains(policy, "unsafe-inline") || strings.Contains(policy, "http") {
		t.Errorf("CSP %q allows inline code or another host", policy)
	}

	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-both]")`)
	waitJS(t, tab, panel("sleep", "sync")+`.dataset.state === "done" && `+panel("sleep", "concurrent")+`.dataset.state === "done"`, 30*time.Second)
	waitEditors(t, tab, "sleep")
	styled := evalT[map[string]string](t, tab, `(() => { const e = `+pg("sleep")+`.querySelector(".pg-source .cm-editor"), s = getComputedStyle(e);
		return {display: s.display, bg: s.backgroundColor, gutter: getComputedStyle(e.querySelector(".cm-gutters")).display} })()`)
	if styled["display"] != "flex" || styled["gutter"] != "flex" || styled["bg"] == "rgba(0, 0, 0, 0)" {
		t.Errorf("the editor is not styled under the CSP: %v", styled)
	}
	if v := evalT[[]string](t, tab, `window.__csp`); len(v) > 0 {
		t.Errorf("CSP violations: %q", v)
	}
	chromiumtest.AssertClean(t, tab)

	// the policy is in force (Chromium logs these refusals as errors: after AssertClean)
	refused := evalT[map[string]any](t, tab, `new Promise(r => {
		const s = document.createElement("script"); s.textContent = "window.__inline = true"; document.head.append(s);
		const p = document.createElement("p"); p.setAttribute("style", "color: rgb(1, 2, 3)"); document.body.append(p);
		setTimeout(() => r({inline: !!window.__inline, styled: getComputedStyle(p).color === "rgb(1, 2, 3)", violations: window.__csp}), 100) })`)
	if refused["inline"] != false || refused["styled"] != false {
		t.Errorf("an injected inline script or style ran: %v", refused)
	}
	if v, _ := refused["violations"].([]any); len(v) < 2 {
		t.Errorf("violations reported: %v, want the script and the style", refused["violations"])
	}
}
