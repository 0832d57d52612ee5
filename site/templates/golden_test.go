package templates

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/a-h/templ"
)

var update = flag.Bool("update", false, "rewrite testdata/*.html with the current output")

// Each component is rendered from fixed values and compared, byte for byte, with
// testdata/<name>.html, as templ's own generator tests do. A difference writes
// testdata/<name>.actual.html beside it; `go test ./site/templates -update` accepts it.
func TestGolden(t *testing.T) {
	srcs := []Source{
		{Variant: "sync", Path: "wasm/sleep/sync/main.go", HTML: `<pre class="chroma" tabindex="0" role="group" aria-label="wasm/sleep/sync/main.go"><code>sync</code></pre>`},
		{Variant: "concurrent", Path: "wasm/sleep/concurrent/main.go", HTML: `<pre class="chroma" tabindex="0" role="group" aria-label="wasm/sleep/concurrent/main.go"><code>concurrent</code></pre>`},
	}
	params := []Param{
		{Name: "tasks", Kind: "int", Value: "5", Min: "1", Max: "10000"},
		{Name: "delay", Kind: "duration", Value: "1s", Min: "0s", Max: "10s"},
		{Name: "limit", Kind: "int", Value: "3", Min: "1", Max: "1000"},
	}
	playground := func(lang string) Playground {
		return Playground{PageID: "pg-sleep-1", Lang: lang, Example: "sleep", Title: "Sleeping tasks", NoSpeedup: lang == "zh",
			WasmSync: "/wasm/examples.0123456789.wasm#sleep/sync", WasmConcur: "/wasm/examples.0123456789.wasm#sleep/concurrent",
			Params: params, Sources: srcs}
	}
	page := func(lang, lesson string) Page {
		p := Page{Lang: lang, Title: "One · Unblocked", Description: "The first <lesson>.", Base: "/sub/",
			CSS: "/sub/assets/site.0123456789.css", Config: map[string]any{"base": "/sub/", "lang": lang, "lesson": lesson},
			Scripts: Scripts{CSP: "default-src 'self'; script-src 'self' 'sha256-x'", Head: "document.documentElement.dataset.theme='light'",
				Entry: "/sub/assets/main.0123456789.js", Preload: []string{"/sub/assets/runner.0123456789.js", "/sub/assets/strings-" + lang + ".0123456789.js"}},
			Lesson: lesson}
		if lesson != "" {
			p.Nav = []NavItem{{Slug: "one", Title: "One", Href: "/sub/" + lang + "/one/", Current: true}, {Slug: "two", Title: "Two", Href: "/sub/" + lang + "/two/"}}
			other := map[string]string{"en": "zh", "zh": "en"}[lang]
			p.Alternates = []Alternate{{Lang: other, Href: "/sub/" + other + "/" + lesson + "/", IDs: []string{"run-it-" + other, "why-" + other}}}
			p.Outline = []string{"run-it", "why"}
			p.HrefLang = []HrefLang{{Tag: "en", Href: "https://example.org/sub/en/one/"}, {Tag: "zh-Hans", Href: "https://example.org/sub/zh/one/"},
				{Tag: "x-default", Href: "https://example.org/sub/en/one/"}}
		}
		return p
	}
	lists := []LessonList{
		{Lang: "en", Lessons: []IndexEntry{{Slug: "one", Title: "One", Summary: "The first.", Href: "/sub/en/one/"}}},
		{Lang: "zh", Lessons: []IndexEntry{{Slug: "one", Title: "第一课", Summary: "第一课。", Href: "/sub/zh/one/"}}},
	}
	lesson := Lesson{Title: "One", Section: "同步 vs 异步", Body: "<p>Body</p>\n",
		TOC:  []TOCEntry{{ID: "run-it", Text: "Run it", Children: []TOCEntry{{ID: "why", Text: "Why"}}}},
		Next: &NavItem{Slug: "two", Title: "Two", Href: "/sub/en/two/"}}
	dev := page("en", "one")
	dev.ReloadJS = "/sub/__workbook/reload.js"

	for name, c := range map[string]templ.Component{
		"playground-en": PlaygroundWidget(playground("en")),
		"playground-zh": PlaygroundWidget(playground("zh")),
		// Run Python: the button, the Python files and the data-engine="python" panels
		"playground-python-zh": PlaygroundWidget(func() Playground {
			p := playground("zh")
			p.PySources = []Source{
				{Variant: "sync", Path: "wasm/sleep/python/sync.py", HTML: `<pre class="chroma"><code>time.sleep</code></pre>`},
				{Variant: "concurrent", Path: "wasm/sleep/python/async.py", HTML: `<pre class="chroma"><code>asyncio.sleep</code></pre>`},
			}
			return p
		}()),
		"exercise-elapsed-en": ExerciseWidget(Exercise{PageID: "ex-sleep-50", ID: "sleep-50", Lang: "en", Example: "sleep", Run: "concurrent",
			Predict: "elapsed", Wasm: "/wasm/examples.0123456789.wasm#sleep/concurrent", Params: params[:2],
			Question: "<p>How long?</p>\n", Explanation: "<p>Because.</p>\n"}),
		"exercise-choice-zh": ExerciseWidget(Exercise{PageID: "ex-order", ID: "order", Lang: "zh", Example: "fetch", Run: "sync", Predict: "choice",
			Net: true, Wasm: "/wasm/examples-net.0123456789.wasm#fetch/sync", Params: params[:1],
			Question: "<p>先打印哪一行?</p>\n", Explanation: "<p>按顺序。</p>\n",
			Choices: []Choice{{HTML: "<code>task 1</code>", Accepted: true}, {HTML: "<code>task 2</code>"}}}),
		"challenge-en": ChallengeWidget(Challenge{PageID: "ch-rewrite", ID: "rewrite", Lang: "en", Example: "rewrite", Check: "bounded",
			WasmSync: "/wasm/examples.0123456789.wasm#rewrite/sync", WasmConcur: "/wasm/examples.0123456789.wasm#rewrite/concurrent",
			Params: params, Question: "<p>Make it concurrent.</p>\n", Hint: "<p>Use a WaitGroup.</p>\n", Start: srcs[0], Solution: srcs[1]}),
		"challenge-zh-no-hint": ChallengeWidget(Challenge{PageID: "ch-rewrite", ID: "rewrite", Lang: "zh", Example: "rewrite", Check: "concurrent",
			Params: params[:2], Question: "<p>改成并发。</p>\n", Start: srcs[0], Solution: srcs[1]}),
		"lesson-en":     LessonPage(dev, lesson),
		"lesson-zh":     LessonPage(page("zh", "one"), Lesson{Title: "第一课", Section: ArticleTitle, Body: "<p>正文</p>\n", Prev: &NavItem{Slug: "zero", Title: "零", Href: "/sub/zh/zero/"}}),
		"lesson-no-nav": LessonPage(page("en", "one"), Lesson{Title: "Alone", Body: "<p>Only.</p>\n"}),
		"index":         Index(page("en", ""), lists),
		// /zh/: the Chinese lessons in Chinese chrome, the switch leading to /en/
		"lang-index-zh": LangIndex(func() Page {
			p := page("zh", "")
			p.Alternates = []Alternate{{Lang: "en", Href: "/sub/en/"}}
			return p
		}(), lists[1]),
		"404": NotFound(page("en", ""), lists),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.Render(context.Background(), &buf); err != nil {
				t.Fatal(err)
			}
			golden(t, name, buf.Bytes())
		})
	}
}

// golden compares got with testdata/<name>.html (or, with -update, writes it there).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name+".html")
	actual := filepath.Join("testdata", name+".actual.html")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(actual)
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./site/templates -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		os.Remove(actual)
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-80, 0)
	t.Errorf("%s differs from %s at byte %d:\n got …%s\nwant …%s\n(all of it is in %s; -update accepts it)",
		name, file, i, got[from:min(i+80, len(got))], want[from:min(i+80, len(want))], actual)
	if err := os.WriteFile(actual, got, 0o644); err != nil {
		t.Error(err)
	}
}
