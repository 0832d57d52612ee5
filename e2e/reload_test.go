package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium/chromiumtest"
	"unblocked/site/serve"
	siteserver "unblocked/site/server"
)

const reloadPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
<script defer src="/__workbook/reload.js"></script></head><body><p id="v">%s</p></body></html>`

// TestLiveReloadAndOverlay: live reload as an author sees it, on the server `workbook serve`
// runs, watching a fixture: a save reloads the page; a broken build shows the errors as an
// overlay over the last good page; the fix reloads it again. Each step waits for the page to
// say it listens (reload.js sets data-workbook-reload="live"), not for time to pass.
func TestLiveReloadAndOverlay(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "lessons") // a watched folder; its files are the "site"
	// write saves as many editors do, a whole new file renamed into place: a rebuild never
	// reads half a file (this fixture "build" would serve an empty page, which cannot reload).
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(dir, "."+name+".tmp") // the watcher ignores dot files
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("404.html", "lost")
	write("index.html", fmt.Sprintf(reloadPage, "one"))
	build := func(context.Context) (map[string][]byte, error) {
		if b, err := os.ReadFile(filepath.Join(dir, "BROKEN")); err == nil {
			return nil, errors.New(string(b))
		}
		files := map[string][]byte{}
		for _, name := range []string{"index.html", "404.html"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return nil, err
			}
			files[name] = b
		}
		return files, nil
	}
	url := serveWatching(t, root, build)

	tab := chromiumtest.NewTab(t, chrome, 90*time.Second)
	if err := tab.Run(chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	wait := func(js string) {
		t.Helper()
		if err := tab.WaitJS(js, 20*time.Second); err != nil {
			var state string
			tab.Eval(`document.documentElement.outerHTML`, &state)
			t.Fatalf("%v\npage now: %s\nconsole: %q", err, state, tab.Problems())
		}
	}
	shows := func(text string) string {
		return fmt.Sprintf(`document.getElementById("v")?.textContent === %q && document.documentElement.dataset.workbookReload === "live"`, text)
	}
	overlay := `(document.getElementById("workbook-overlay")?.textContent || "")`
	wait(shows("one"))

	write("index.html", fmt.Sprintf(reloadPage, "two"))
	wait(shows("two"))

	write("BROKEN", `lessons/en/01-sync-vs-concurrent.md:7:3: unknown example "slep"`)
	wait(overlay + `.includes('lessons/en/01-sync-vs-concurrent.md:7:3: unknown example "slep"')`)
	var role string
	if err := tab.Eval(`document.getElementById("workbook-overlay").getAttribute("role")`, &role); err != nil || role != "alert" {
		t.Errorf("overlay role %q, %v", role, err)
	}
	wait(shows("two")) // the last good page is still the one shown

	os.Remove(filepath.Join(dir, "BROKEN"))
	write("index.html", fmt.Sprintf(reloadPage, "three"))
	wait(shows("three") + ` && !document.getElementById("workbook-overlay")`)
	chromiumtest.AssertClean(t, tab)
}

// serveWatching runs the server `workbook serve` runs, watching root and building with build,
// until the test ends, and returns its URL once it listens. A server that stops before it
// listens fails the test rather than leaving it waiting.
func serveWatching(t *testing.T, root string, build serve.BuildFunc) string {
	t.Helper()
	srv, err := siteserver.New(siteserver.Options{Root: root, Addr: "127.0.0.1:0", Build: build, Watch: true, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- srv.Run(ctx, func(url string) { ready <- url }) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case url := <-ready:
		return url
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("server stopped before it listened: %v", err)
		return ""
	}
}
