package build

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const (
	lessonEN = `---
title: One
summary: The first lesson.
---

Intro with a [link to two](../two/#second-heading) and [to here](#run-it).

## Run it

::playground{example=sleep tasks=2}

:::exercise{id=one-elapsed example=sleep run=concurrent tasks=3 delay=10ms predict=elapsed}
How long?

---

Because.
:::
`
	lessonZH = `---
title: 第一课
summary: 第一课。
---

介绍 [第二课](../two/)。

## 运行

::playground{example=sleep tasks=2}

:::exercise{id=one-elapsed example=sleep run=concurrent tasks=3 delay=10ms predict=elapsed}
多久？

---

因为。
:::
`
	lessonTwo = `---
title: Two
summary: The second lesson.
---

## Second heading

:::exercise{id=two-choice example=sleep run=sync predict=choice}
Which line comes first?

- [x] task 1 start
- [ ] task 2 start

---

Sync runs in order.
:::
`
	exampleYAML = "title: {en: Sleeping tasks, zh: 睡眠任务}\nnet: false\nparams:\n  tasks: {default: 3, min: 1, max: 100}\n  delay: {default: 10ms, min: 0s, max: 1s}\n"
	syncGo      = `package main

import (
	"flag"
	"fmt"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 3, "")
	delay := flag.Duration("delay", 10*time.Millisecond, "")
	flag.Parse()
	for i := 1; i <= *tasks; i++ {
		fmt.Println("task", i, "start")
		time.Sleep(*delay)
		fmt.Println("task", i, "done")
	}
}
`
	concurrentGo = `package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

func main() {
	tasks := flag.Int("tasks", 3, "")
	delay := flag.Duration("delay", 10*time.Millisecond, "")
	flag.Parse()
	var wg sync.WaitGroup
	for i := 1; i <= *tasks; i++ {
		wg.Go(func() {
			fmt.Println("task", i, "start")
			time.Sleep(*delay)
			fmt.Println("task", i, "done")
		})
	}
	wg.Wait()
}
`
)

func fixtureFiles() map[string]string {
	return map[string]string{
		"go.mod":                        "module fixture\n\ngo 1.26\n",
		"lessons/en/01-one.md":          lessonEN,
		"lessons/en/02-two.md":          lessonTwo,
		"lessons/zh/01-one.md":          lessonZH,
		"lessons/zh/02-two.md":          lessonTwo,
		"wasm/sleep/example.yaml":       exampleYAML,
		"wasm/sleep/sync/main.go":       syncGo,
		"wasm/sleep/concurrent/main.go": concurrentGo,
	}
}

// writeRepo writes files into a new temporary repository.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// sharedCache is the cache folder of the tests that do not look into theirs: a temporary
// folder, so the same assets are compressed once per run (brotli under -race is slow).
var sharedCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "unblocked-build-test-")
	if err != nil {
		panic(err)
	}
	sharedCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// newTestBuilder is a Builder over root with the fake compiler; without opt.CacheDir it
// caches in sharedCache.
func newTestBuilder(t *testing.T, root string, opt Options) (*Builder, *fakeCompiler) {
	t.Helper()
	fc := &fakeCompiler{root: root}
	opt.Root, opt.Compiler = root, fc
	if opt.CacheDir == "" {
		opt.CacheDir = sharedCache
	}
	return New(opt), fc
}

func buildFixture(t *testing.T, base string, files map[string]string) *Site {
	t.Helper()
	b, _ := newTestBuilder(t, writeRepo(t, files), Options{Base: base, Dev: true})
	site, err := b.Build(context.Background())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return site
}

func find(t *testing.T, s *Site, pattern string) string {
	t.Helper()
	re := regexp.MustCompile("^" + pattern + "$")
	for name := range s.Files {
		if re.MatchString(name) {
			return name
		}
	}
	t.Fatalf("no output file matches %s", pattern)
	return ""
}

var (
	attrURL = regexp.MustCompile(`(?:href|src|data-wasm(?:-sync|-concurrent)?)="([^"]*)"`)
	// alternateRE is a <link rel="alternate" hreflang>: absolute on purpose (search engines
	// require it), never loaded, so the URL checks below skip it (TestHrefLangAbsolute checks it)
	alternateRE = regexp.MustCompile(`<link rel="alternate" hreflang="[^"]*" href="[^"]*">`)
	idAttr      = regexp.MustCompile(` id="([^"]*)"`)
)

func TestBuildOutputs(t *testing.T) {
	t.Parallel()
	s := buildFixture(t, "/", fixtureFiles())
	for _, name := range []string{"index.html", "404.html", "sitemap.xml", "sw.js", "favicon.svg",
		"en/one/index.html", "en/two/index.html", "zh/one/index.html", "zh/two/index.html", "index.html.gz", "index.html.br"} {
		if _, ok := s.Files[name]; !ok {
			t.Errorf("missing %s", name)
		}
	}
	for _, p := range []string{`assets/site\.[0-9a-f]{10}\.css`, `assets/main\.[0-9a-f]{10}\.js`, `assets/worker\.[0-9a-f]{10}\.js`,
		`assets/wasm_exec\.[0-9a-f]{10}\.js`, `wasm/examples\.[0-9a-f]{10}\.wasm`, `wasm/examples\.[0-9a-f]{10}\.wasm\.br`} {
		find(t, s, p)
	}
	// one module for the examples, each program named in its URL's fragment
	for name := range s.Files {
		if strings.HasPrefix(name, "wasm/") && !regexp.MustCompile(`^wasm/examples\.[0-9a-f]{10}\.wasm(\.br|\.gz)?$`).MatchString(name) {
			t.Errorf("unexpected module %s: the examples are one bundle", name)
		}
	}
	page := string(s.Files["en/one/index.html"])
	for _, want := range []string{
		`<html lang="en">`, `<title>One · Unblocked</title>`, `<meta name="description" content="The first lesson.">`,
		`<link rel="alternate" hreflang="zh-Hans" href="http://127.0.0.1:8080/zh/one/">`, `<a href="/zh/one/" hreflang="zh-Hans" lang="zh-Hans" data-ids="`, `data-action="toggle-theme"`, `data-action="reset-progress"`,
		`data-lesson="two"`, `<h2 id="run-it">`, `class="playground"`, `data-params="{&#34;tasks&#34;:{&#34;value&#34;:2,`,
		`data-exercise="one-elapsed"`, `<script defer src="/__workbook/reload.js">`,
		`rel="next" href="/en/two/"`, `<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;;`,
		`<script type="module" src="/assets/main.`, `<link rel="modulepreload" href="/assets/runner.`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("en/one lacks %s", want)
		}
	}
	zh := string(s.Files["zh/one/index.html"])
	for _, want := range []string{`<html lang="zh-Hans">`, `<span aria-current="true" lang="zh-Hans">中文</span>`, `"lang":"zh"`} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh/one lacks %s", want)
		}
	}
	index := string(s.Files["index.html"])
	for _, want := range []string{`<html lang="en">`, `<section class="lesson-list" lang="zh-Hans"`, `<span lang="zh-Hans">面向`} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %s", want)
		}
	}
	if strings.Contains(index+zh+page, `lang="zh"`) {
		t.Error(`a page still declares lang="zh" instead of zh-Hans`)
	}
	two := string(s.Files["en/two/index.html"])
	if !strings.Contains(two, `name="prediction" value="1" data-accepted`) || strings.Contains(two, `type="checkbox"`) {
		t.Errorf("choice exercise not turned into radios:\n%s", two)
	}
	// site-config per contract.
	m := regexp.MustCompile(`<script id="site-config" type="application/json">([^<]*)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no site-config")
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg["base"] != "/" || cfg["lang"] != "en" || cfg["lesson"] != "one" || cfg["sw"] != "/sw.js" ||
		!strings.HasPrefix(cfg["worker"].(string), "/assets/worker.") || !strings.HasPrefix(cfg["wasmExec"].(string), "/assets/wasm_exec.") ||
		cfg["compile"] != "/__workbook/compile" {
		t.Errorf("site-config %v", cfg)
	}
	// Nothing is loaded from another host.
	for name, data := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range attrURL.FindAllStringSubmatch(alternateRE.ReplaceAllString(string(data), ""), -1) {
			if strings.Contains(m[1], "//") {
				t.Errorf("%s refers to another host: %s", name, m[1])
			}
		}
	}
	sw := string(s.Files["sw.js"])
	if !strings.HasPrefix(sw, `self.UNBLOCKED = {"version":"`) || !strings.Contains(sw, `"/en/one/"`) || !regexp.MustCompile(`"/wasm/examples\.[0-9a-f]{10}\.wasm"[,\]]`).MatchString(sw) {
		t.Errorf("sw.js header: %.300s", sw)
	}
	for _, re := range []string{`data-wasm-sync="(/wasm/examples\.[0-9a-f]{10}\.wasm)#sleep/sync"`, `data-wasm-concurrent="(/wasm/examples\.[0-9a-f]{10}\.wasm)#sleep/concurrent"`,
		`data-wasm="(/wasm/examples\.[0-9a-f]{10}\.wasm)#sleep/concurrent"`} {
		m := regexp.MustCompile(re).FindStringSubmatch(page)
		if m == nil || s.Files[strings.TrimPrefix(m[1], "/")] == nil {
			t.Errorf("en/one: no %s naming a built module", re)
		}
	}
	if bytes.Contains(s.Files["sitemap.xml"], []byte("<loc>http://127.0.0.1:8080/zh/two/</loc>")) == false {
		t.Errorf("sitemap: %s", s.Files["sitemap.xml"])
	}
}

// Every URL in every page must carry the base path.
func TestBasePath(t *testing.T) {
	t.Parallel()
	root := writeRepo(t, fixtureFiles())
	b, _ := newTestBuilder(t, root, Options{Base: "/sub/", Dev: true})
	s, err := b.Build(context.Background())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for name, data := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range attrURL.FindAllStringSubmatch(alternateRE.ReplaceAllString(string(data), ""), -1) {
			u := m[1]
			if strings.HasPrefix(u, "#") || strings.HasPrefix(u, "../") {
				continue
			}
			if !strings.HasPrefix(u, "/sub/") {
				t.Errorf("%s: URL %q lacks the base", name, u)
			}
		}
		if !strings.Contains(string(data), `"base":"/sub/"`) {
			t.Errorf("%s: site-config base", name)
		}
	}
	checkLinksResolve(t, s, root, "/sub/")
	if !bytes.Contains(s.Files["sitemap.xml"], []byte("<loc>http://127.0.0.1:8080/sub/en/one/</loc>")) {
		t.Errorf("sitemap without base: %s", s.Files["sitemap.xml"])
	}
	if !strings.Contains(string(s.Files["sw.js"]), `"base":"/sub/","precache":["/sub/","/sub/en/","/sub/en/one/"`) {
		t.Errorf("sw.js: %.200s", s.Files["sw.js"])
	}
}

// checkLinksResolve follows every local URL and #fragment of every page.
// checkLinksResolve checks every URL of every page of s, built from root, resolves.
func checkLinksResolve(t *testing.T, s *Site, root, base string) {
	t.Helper()
	ids := map[string][]string{}
	for name, data := range s.Files {
		if strings.HasSuffix(name, ".html") {
			for _, m := range idAttr.FindAllStringSubmatch(string(data), -1) {
				ids[name] = append(ids[name], m[1])
			}
		}
	}
	for name, data := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pageDir := "/" + strings.TrimSuffix(name, "index.html")
		for _, m := range attrURL.FindAllStringSubmatch(alternateRE.ReplaceAllString(string(data), ""), -1) {
			u := m[1]
			if strings.Contains(u, "/__workbook/") {
				continue // answered by the dev server, never written
			}
			target, frag, _ := strings.Cut(u, "#")
			if f, err := url.PathUnescape(frag); err == nil {
				frag = f // a browser finds the element by the decoded fragment: #%E6%AD%BB → id="死"
			}
			switch {
			case target == "":
				target = base + strings.TrimSuffix(name, "index.html")
			case strings.HasPrefix(target, "../"):
				target = filepath.ToSlash(filepath.Join(base+pageDir[1:], target)) + "/"
			}
			file, ok := strings.CutPrefix(target, base)
			if !ok {
				t.Errorf("%s: %q outside the base", name, u)
				continue
			}
			if file == "" || strings.HasSuffix(file, "/") {
				file += "index.html"
			}
			if _, ok := s.Files[file]; !ok {
				t.Errorf("%s: dead link %q (%s)", name, u, file)
				continue
			}
			if strings.HasSuffix(file, ".wasm") {
				// a bundle: the fragment names one of its programs, <example>/<variant>
				if st, err := os.Stat(filepath.Join(root, "wasm", filepath.FromSlash(frag), "main.go")); frag == "" || err != nil || !st.Mode().IsRegular() {
					t.Errorf("%s: %q names no program wasm/%s", name, u, frag)
				}
				continue
			}
			if frag != "" && !slices.Contains(ids[file], frag) {
				t.Errorf("%s: dead anchor %q", name, u)
			}
		}
	}
}

var preRE = regexp.MustCompile(`<pre[^>]*>`)

var widgetRE = regexp.MustCompile(`<section class="(playground|exercise|challenge)"[^>]*? data-(?:example|exercise|challenge)="([^"]*)"`)

// The real repository: every link resolves and both languages have the
// same widgets in the same order.
func TestRealRepo(t *testing.T) {
	t.Parallel()
	root, _ := filepath.Abs("../..")
	b, _ := newTestBuilder(t, root, Options{Base: "/", Dev: true})
	s, err := b.Build(context.Background())
	if err != nil {
		t.Fatalf("real repo does not build:\n%v", err)
	}
	checkLinksResolve(t, s, root, "/")
	checkPagePreload(t, s)
	n := 0
	for name, data := range s.Files {
		zhName, ok := strings.CutPrefix(name, "en/")
		if !ok || !strings.HasSuffix(name, "/index.html") {
			continue
		}
		n++
		zh, ok := s.Files["zh/"+zhName]
		if !ok {
			t.Errorf("%s has no zh page", name)
			continue
		}
		// kind and id only: the tags themselves carry translated labels
		same := func(a, b []string) bool { return slices.Equal(a[1:], b[1:]) }
		if a, b := widgetRE.FindAllStringSubmatch(string(data), -1), widgetRE.FindAllStringSubmatch(string(zh), -1); !slices.EqualFunc(a, b, same) {
			t.Errorf("%s: widgets differ between en and zh:\n%v\n%v", name, a, b)
		}
	}
	if n < 7 {
		t.Errorf("only %d English lessons built", n)
	}
	// pairs whose concurrent version is the mistake say so to the page (no "N× faster")
	for ex, page := range map[string]string{"fanout": "pitfalls", "leak": "pitfalls", "race": "races", "counter": "races"} {
		if !regexp.MustCompile(`<section class="playground"[^>]* data-example="` + ex + `"[^>]* data-speedup="false"`).MatchString(string(s.Files["en/"+page+"/index.html"])) {
			t.Errorf("en/%s: the %s playground lacks data-speedup=\"false\"", page, ex)
		}
	}
	if strings.Contains(string(s.Files["en/sync-vs-concurrent/index.html"]), "data-speedup") {
		t.Error("the sleep playground is marked data-speedup")
	}
	// A <pre> overflows when its longest line is wider than the column, which depends on the
	// fonts installed: every one must be reachable from the keyboard to be scrolled
	// (axe scrollable-region-focusable), and a named group where it has a name.
	pres := 0
	for name, data := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, tag := range preRE.FindAllString(string(data), -1) {
			pres++
			if !strings.Contains(tag, ` tabindex="0"`) || strings.Contains(tag, "aria-label=") && !strings.Contains(tag, " role=") {
				t.Errorf("%s: %s is not a focusable, named code block", name, tag)
			}
		}
	}
	if pres < 100 {
		t.Errorf("only %d <pre> elements in the site", pres)
	}
}

// Dev builds name the compile endpoint; with Interp they also carry the interpreter (serve on a
// network address), and without it they do not build it at all.
func TestDevInterpreter(t *testing.T) {
	t.Parallel()
	files := fixtureFiles()
	files["site/interp/main.go"] = "package main\n\nfunc main() {}\n" // stands in for the real one
	root := writeRepo(t, files)
	cfgOf := func(interp bool) map[string]any {
		b, fc := newTestBuilder(t, root, Options{Base: "/", Dev: true, Interp: interp})
		s, err := b.Build(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if built := strings.Join(fc.dirs, " "); built != map[bool]string{false: "", true: "site/interp"}[interp] {
			t.Errorf("Interp %v: compiled %q", interp, built)
		}
		m := regexp.MustCompile(`<script id="site-config" type="application/json">([^<]*)</script>`).FindSubmatch(s.Files["en/one/index.html"])
		var cfg map[string]any
		if m == nil || json.Unmarshal(m[1], &cfg) != nil {
			t.Fatal("no site-config")
		}
		if u, ok := cfg["interp"].(string); ok && s.Files[strings.TrimPrefix(u, "/")] == nil {
			t.Errorf("site-config interp %s is not in the build", u)
		}
		return cfg
	}
	if cfg := cfgOf(false); cfg["compile"] != "/__workbook/compile" || cfg["interp"] != nil {
		t.Errorf("Dev: %v, want the compile endpoint and no interpreter", cfg)
	}
	cfg := cfgOf(true)
	if u, _ := cfg["interp"].(string); cfg["compile"] != "/__workbook/compile" || !regexp.MustCompile(`^/wasm/interp\.[0-9a-f]{10}\.wasm$`).MatchString(u) {
		t.Errorf("Dev with Interp: %v, want both", cfg)
	}
}

// TestHrefLangAbsolute: every lesson names itself in each language with absolute URLs (origin
// and base), plus x-default, and robots.txt points at the sitemap.
func TestHrefLangAbsolute(t *testing.T) {
	t.Parallel()
	root := writeRepo(t, fixtureFiles())
	b, _ := newTestBuilder(t, root, Options{Base: "/sub/", SiteURL: "https://example.org/"})
	s, err := b.Build(context.Background())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	zh := string(s.Files["zh/one/index.html"])
	got := alternateRE.FindAllString(zh, -1)
	want := []string{
		`<link rel="alternate" hreflang="en" href="https://example.org/sub/en/one/">`,
		`<link rel="alternate" hreflang="zh-Hans" href="https://example.org/sub/zh/one/">`,
		`<link rel="alternate" hreflang="x-default" href="https://example.org/sub/en/one/">`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("zh/one alternates:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	robots := string(s.Files["robots.txt"])
	if !strings.Contains(robots, "User-agent: *") || !strings.Contains(robots, "Sitemap: https://example.org/sub/sitemap.xml") {
		t.Errorf("robots.txt:\n%s", robots)
	}
}

// TestBuildSaysWhatItDoes: a build with Options.Progress reports each step as it starts (a cold
// build is minutes of compiling and compressing), and that it is done.
func TestBuildSaysWhatItDoes(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	b, _ := newTestBuilder(t, writeRepo(t, fixtureFiles()), Options{Progress: &log})
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	for _, want := range []string{"build: loading the lessons and the examples, compiling", "build: rendering the pages", "build: compressing ", "build: done in "} {
		if !strings.Contains(out, want) {
			t.Errorf("progress lacks %q:\n%s", want, out)
		}
	}
}

// The scheduler view's trace parser is built in every build that has it, Dev too, and named in
// site-config.sched by its content hash.
func TestSchedParser(t *testing.T) {
	t.Parallel()
	files := fixtureFiles()
	files["site/sched/parser/main.go"] = "package main\n\nfunc main() {}\n" // stands in for the real one
	root := writeRepo(t, files)
	b, fc := newTestBuilder(t, root, Options{Base: "/", Dev: true})
	s, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if built := strings.Join(fc.dirs, " "); built != "site/sched/parser" {
		t.Errorf("compiled %q, want the parser", built)
	}
	m := regexp.MustCompile(`<script id="site-config" type="application/json">([^<]*)</script>`).FindSubmatch(s.Files["en/one/index.html"])
	var cfg map[string]any
	if m == nil || json.Unmarshal(m[1], &cfg) != nil {
		t.Fatal("no site-config")
	}
	u, _ := cfg["sched"].(string)
	if !regexp.MustCompile(`^/wasm/sched\.[0-9a-f]{10}\.wasm$`).MatchString(u) || s.Files[strings.TrimPrefix(u, "/")] == nil {
		t.Errorf("site-config sched %q: want the parser's URL, in the build", u)
	}
}

var preloadRE = regexp.MustCompile(`<link rel="modulepreload" href="[^"]*/assets/([a-z0-9-]+)\.[0-9a-f]{10}\.js"`)

// checkPagePreload: a page preloads (and main.js imports at load) a feature's module only when
// it has the feature's sections, and no page preloads what is needed only after a press.
func checkPagePreload(t *testing.T, s *Site) {
	t.Helper()
	pages := 0
	for name, data := range s.Files {
		if !strings.HasSuffix(name, "index.html") {
			continue
		}
		html := string(data)
		pre := map[string]bool{}
		for _, m := range preloadRE.FindAllStringSubmatch(html, -1) {
			pre[m[1]] = true
		}
		if !pre["i18n"] {
			t.Errorf("%s preloads no i18n.js: %v", name, pre)
			continue
		}
		pages++
		for mod, marker := range map[string]string{
			"challenge":  `<section class="challenge`,
			"exercise":   `<section class="exercise`,
			"playground": `<section class="playground`,
			"editor":     `<section class="playground`,
			"python":     `data-action="run-python"`,
		} {
			if has := strings.Contains(html, marker); pre[mod] != has {
				t.Errorf("%s: preloads %s.js: %v, has %s: %v", name, mod, pre[mod], marker, has)
			}
		}
		for _, mod := range []string{"judge", "scheduler", "present", "follow", "worker", "pyworker"} {
			if pre[mod] {
				t.Errorf("%s preloads %s.js, which no page needs before a press", name, mod)
			}
		}
	}
	if pages < 10 {
		t.Errorf("only %d pages with scripts", pages)
	}
}
