package e2e

import (
	"encoding/json"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// pageModules is a page's scripts as the browser saw them: every /assets/*.js its document
// fetched (the performance timeline: static and dynamic imports, preloads, fetches), what its
// HTML preloads (<link rel=modulepreload> and the entry), and site-config's worker scripts.
const pageModules = `(() => {
	const config = JSON.parse(document.getElementById("site-config").textContent);
	const p = (u) => new URL(u, location.href).pathname;
	const js = (u) => /\/assets\/[^/]+\.js$/.test(u);
	return JSON.stringify({
		loaded: performance.getEntriesByType("resource").map((r) => p(r.name)).filter(js),
		listed: Array.from(document.querySelectorAll("link[rel=modulepreload], script[type=module][src]")).map((e) => p(e.href || e.src)),
		runtime: [config.worker, config.wasmExec].filter(Boolean).map(p),
	});
})()`

var moduleName = regexp.MustCompile(`^([a-z0-9.-]+?)\.[0-9a-f]{10}\.js$`)

func modName(url string) string {
	if m := moduleName.FindStringSubmatch(path.Base(url)); m != nil {
		return m[1]
	}
	return url
}

// A page loads only what its sections need, and everything it loads without a click is in its
// HTML (so cmd/bench, which counts the HTML's preloads, counts it): judge.js waits for "Check my
// code", present.js for its keys, challenge.js for a page with challenges.
func TestModulesPerPage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, path string
		want, not  []string
	}{
		{"no playground", "/en/cheat-sheet/", []string{"exercise"}, []string{"playground", "editor", "challenge", "judge", "present", "follow", "scheduler", "python"}},
		{"playground, no challenge", lessonWith(t, "en", `data-example="sleep"`), []string{"playground", "editor", "exercise"}, []string{"challenge", "judge", "present", "follow", "scheduler"}},
		{"challenges", lessonWith(t, "en", `data-check="starve"`), []string{"playground", "editor", "challenge"}, []string{"judge", "present", "follow", "scheduler"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := openAt(t, server.URL, c.path, 1280, 2400)
			// a widget nearing the viewport fetches its wasm and the worker's scripts: scroll to the
			// end (every widget comes near) and wait for that, the last thing a page fetches by
			// itself, then look at everything it fetched
			evalT[bool](t, tab, `(scrollTo(0, document.documentElement.scrollHeight), true)`)
			waitJS(t, tab, `performance.getEntriesByType("resource").some((r) => /\.wasm(#|$)/.test(r.name))`, 30*time.Second)
			var got struct{ Loaded, Listed, Runtime []string }
			if err := json.Unmarshal([]byte(evalT[string](t, tab, pageModules)), &got); err != nil {
				t.Fatal(err)
			}
			loaded := map[string]bool{}
			for _, u := range got.Loaded {
				loaded[modName(u)] = true
				// the program worker's scripts are fetched with the first Run's wasm, not imported by the page
				if !slices.Contains(got.Listed, u) && !slices.Contains(got.Runtime, u) {
					t.Errorf("%s loads %s without a click, and its HTML does not preload it (cmd/bench would not count it)", c.path, u)
				}
			}
			for _, m := range c.want {
				if !loaded[m] {
					t.Errorf("%s did not load %s.js: %v", c.path, m, got.Loaded)
				}
			}
			for _, m := range c.not {
				if loaded[m] {
					t.Errorf("%s loaded %s.js before any press", c.path, m)
				}
			}
			// the keys still work: ? imports present.js and lists them
			evalT[bool](t, tab, `(document.dispatchEvent(new KeyboardEvent("keydown", {key: "?", bubbles: true})), true)`)
			waitJS(t, tab, `!!document.querySelector("dialog.keys-help[open]")`, 10*time.Second)
			if after := evalT[string](t, tab, pageModules); !strings.Contains(after, "/present.") {
				t.Errorf("? opened the keys without present.js: %s", after)
			}
		})
	}
}
