package e2e

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium/chromiumtest"
)

// TestErrorOverlayContrast: the author's build-error overlay keeps its own colours over the
// site's stylesheet (whose pre and button rules it used to inherit: pale pink on light grey),
// with contrast ≥ 4.5:1 in the light and the dark theme.
func TestErrorOverlayContrast(t *testing.T) {
	t.Parallel()
	css, err := filepath.Glob(filepath.Join(siteDir, "assets", "site.*.css"))
	if err != nil || len(css) != 1 {
		t.Fatalf("the built stylesheet: %v %v", css, err)
	}
	sheet, err := os.ReadFile(css[0])
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "lessons")
	os.MkdirAll(dir, 0o755)
	page := `<!doctype html><html lang="en" data-theme="light"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/site.css"><script defer src="/__workbook/reload.js"></script></head><body><main><p id="v">page</p></main></body></html>`
	build := func(context.Context) (map[string][]byte, error) {
		if b, err := os.ReadFile(filepath.Join(dir, "BROKEN")); err == nil {
			return nil, errors.New(string(b))
		}
		return map[string][]byte{"index.html": []byte(page), "404.html": []byte("lost"), "site.css": sheet}, nil
	}
	url := serveWatching(t, filepath.Dir(dir), build)
	tab := chromiumtest.NewTab(t, chrome, 90*time.Second)
	if err := tab.Run(chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, `document.documentElement.dataset.workbookReload === "live"`, 20*time.Second)
	tmp := filepath.Join(dir, ".BROKEN.tmp")
	os.WriteFile(tmp, []byte(`lessons/en/01-sync-vs-concurrent.md:7:3: unknown example "slep"`), 0o644)
	os.Rename(tmp, filepath.Join(dir, "BROKEN"))
	waitJS(t, tab, `!!document.getElementById("workbook-overlay")?.querySelector("pre")`, 30*time.Second)
	for _, theme := range []string{"light", "dark"} {
		ratios := evalT[map[string]float64](t, tab, `(() => {
			document.documentElement.dataset.theme = "`+theme+`";
			const rgb = c => { const m = c.match(/[\d.]+/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m.slice(0, 3) };
			const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4) }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b) };
			const bgOf = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c) return c } return [255, 255, 255] };
			const ratio = e => { const a = lum(rgb(getComputedStyle(e).color)), b = lum(bgOf(e)); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
			const o = document.getElementById("workbook-overlay");
			return {errors: ratio(o.querySelector("pre")), heading: ratio(o.querySelector("p")), button: ratio(o.querySelector("button"))};
		})()`)
		t.Logf("%s theme: %v", theme, ratios)
		for part, r := range ratios {
			if r < 4.5 {
				t.Errorf("%s theme: the overlay's %s at %.2f:1, want ≥ 4.5:1", theme, part, r)
			}
		}
	}
}
