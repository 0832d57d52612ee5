package serve

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/e2e/browser"
)

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
<script defer src="/__workbook/reload.js"></script></head><body><p id="v">%s</p></body></html>`

// Live reload end to end in a real browser: a save reloads the page; a
// broken build shows the errors as an overlay over the last good page; the
// fix reloads it again.
func TestBrowserReloadAndOverlay(t *testing.T) {
	chrome, err := browser.Launch()
	if err != nil {
		t.Fatal(err)
	}
	defer chrome.Close()

	dir := t.TempDir()
	write(t, dir, "404.html", "lost")
	write(t, dir, "index.html", sprintf(page, "one"))
	s := New(Options{Base: "/", Build: dirBuild(dir), Log: testLog{t}})
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(ctx, dir, []string{"."}, 20*time.Millisecond)

	tab := chrome.NewTab(t, 60*time.Second)
	if err := tab.Run(chromedp.Navigate(ts.URL + "/")); err != nil {
		t.Fatal(err)
	}
	wait := func(js string) {
		t.Helper()
		if err := tab.WaitJS(js, 10*time.Second); err != nil {
			var state string
			tab.Eval(`document.documentElement.outerHTML + JSON.stringify(performance.getEntriesByType("resource").map(e => e.name))`, &state)
			t.Fatalf("%v\npage now: %s\nconsole: %q\nrequests: %q", err, state, tab.Problems(), tab.Requests())
		}
	}
	wait(`document.getElementById("v").textContent === "one"`)
	time.Sleep(200 * time.Millisecond) // the event stream connects after load

	write(t, dir, "index.html", sprintf(page, "two"))
	wait(`document.getElementById("v") && document.getElementById("v").textContent === "two"`)
	time.Sleep(200 * time.Millisecond)

	write(t, dir, "BROKEN", "lessons/en/01-sync-vs-concurrent.md:7:3: unknown example \"slep\"")
	wait(`(document.getElementById("workbook-overlay") || {}).textContent?.includes('lessons/en/01-sync-vs-concurrent.md:7:3: unknown example "slep"')`)
	var role string
	if err := tab.Eval(`document.getElementById("workbook-overlay").getAttribute("role")`, &role); err != nil || role != "alert" {
		t.Errorf("overlay role %q, %v", role, err)
	}
	// The last good page is still the one shown.
	wait(`document.getElementById("v").textContent === "two"`)

	os.Remove(filepath.Join(dir, "BROKEN"))
	write(t, dir, "index.html", sprintf(page, "three"))
	wait(`document.getElementById("v") && document.getElementById("v").textContent === "three" && !document.getElementById("workbook-overlay")`)
	tab.AssertClean(t)
}

func sprintf(f string, a ...any) string { return fmt.Sprintf(f, a...) }

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) { l.t.Logf("serve: %s", b); return len(b), nil }
