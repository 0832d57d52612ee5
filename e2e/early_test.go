package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium/chromiumtest"
)

// A press on Run before the playground's module is in (a quick click right after load, a slow
// phone: main.js imports playground.js only on pages that have one) is not lost: it runs once
// the page is hydrated. The module's response is held back by the server until the test has
// clicked, so the click surely comes first.
func TestEarlyClickRuns(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	release := sync.OnceFunc(func() { close(gate) })
	defer release() // a test that fails before it lets the module through still ends
	srv := ownServer(t, holdUntil(gate, func(path string) bool {
		return strings.Contains(path, "/playground.") && strings.HasSuffix(path, ".js")
	}))

	tab := chromiumtest.NewTab(t, chrome, 2*time.Minute)
	url := srv.URL + lessonWith(t, "en", `data-example="sleep"`) + "?pg=sleep&tasks=2&delay=50"
	// navigate without waiting for load (the held module delays it)
	if _, err := chromedp.Call(tab.Ctx, page.Navigate, page.NavigateParams{URL: url}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, `document.documentElement.dataset.scripts === "loading" && !!`+pg("sleep"), 30*time.Second)
	click(t, tab, pg("sleep")+`.querySelector("[data-action=run-concurrent]")`)
	if st := evalT[string](t, tab, `document.documentElement.dataset.scripts + " " + (`+pg("sleep")+`.dataset.hydrated || "no")`); st != "loading no" {
		t.Fatalf("scripts %q when clicked: want the playground not hydrated yet", st)
	}
	release()
	waitJS(t, tab, panel("sleep", "concurrent")+`.dataset.state === "done"`, time.Minute)
	if out := evalT[string](t, tab, panel("sleep", "concurrent")+`.querySelector(".pg-output").textContent`); !strings.Contains(out, "task 2 done") {
		t.Errorf("output %q: want the run the early click asked for", out)
	}
	if st := evalT[string](t, tab, panel("sleep", "sync")+`.dataset.state`); st != "idle" {
		t.Errorf("sync panel %q: only the pressed button's run should start", st)
	}
	chromiumtest.AssertClean(t, tab)
}
