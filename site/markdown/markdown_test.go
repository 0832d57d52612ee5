package markdown

import (
	"fmt"
	stdhtml "html"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

const lesson = "---\ntitle: T\nsummary: S\n---\n# 同步 vs 异步:一个简单对比\n\n## Run it\n\n## Run it\n\n### `go` keyword\n\nSee [next](../goroutines/#why) and [here](#run-it) and [go](https://go.dev/).\n\n```go\nfunc main() {}\n```\n"

func TestParse(t *testing.T) {
	m := New(Options{Base: "/sub/"})
	d := m.Parse([]byte(lesson))
	var ids []string
	for _, h := range d.Headings {
		ids = append(ids, h.ID)
	}
	if got, want := strings.Join(ids, " "), "同步-vs-异步一个简单对比 run-it run-it-1 go-keyword"; got != want {
		t.Errorf("heading IDs %q, want %q", got, want)
	}
	if d.Headings[0].Line != 5 {
		t.Errorf("first heading on line %d, want 5 (front matter must not shift lines)", d.Headings[0].Line)
	}
	if toc := d.TOC(); len(toc) != 3 || toc[2].Text != "go keyword" {
		t.Errorf("TOC %+v", toc)
	}
	if len(d.Links) != 2 || d.Links[0].Dest != "../goroutines/#why" || d.Links[0].Line != 13 || d.Links[0].Col != 5 || d.Links[1].Dest != "#run-it" {
		t.Errorf("links %+v", d.Links)
	}
	if d.FrontMatter == nil {
		t.Fatal("front matter not found")
	}
	var fm struct{ Title, Summary string }
	if err := d.FrontMatter.Decode(&fm); err != nil || fm.Title != "T" {
		t.Errorf("front matter %+v, %v", fm, err)
	}
	if got := string(d.Source[d.BodyStart:]); !strings.HasPrefix(got, "# 同步") {
		t.Errorf("BodyStart at %q", got[:10])
	}
	html, err := m.Render(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{`<h1 id="同步-vs-异步一个简单对比">`, `class="chroma"`, `<span class="kd">func</span>`} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "style=") {
		t.Errorf("inline styles in HTML:\n%s", s)
	}
}

func TestRootLinksUnderBase(t *testing.T) {
	m := New(Options{Base: "/sub/"})
	html, err := m.Render(m.Parse([]byte("[a](/en/x/)")), nil)
	if err != nil || !strings.Contains(string(html), `href="/sub/en/x/"`) {
		t.Fatalf("%s %v", html, err)
	}
}

func TestHighlightKeepsText(t *testing.T) {
	code := "package main\n\nfunc main() {\n\tprintln(\"<a>&\")\n}\n"
	html, err := Highlight([]byte(code), "go", "wasm/x/sync/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(html), `<pre class="chroma" tabindex="0" role="group" aria-label="wasm/x/sync/main.go"><code>`) || strings.Contains(string(html), "style=") {
		t.Fatalf("unexpected wrapper: %s", html)
	}
	if got := stdhtml.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(html), "")); got != code {
		t.Fatalf("textContent %q, want %q", got, code)
	}
}

// Highlighted blocks carry only the spans the stylesheet uses: a .line per line and the token
// classes a theme colours; the text stays as it was, in prose blocks and sources alike.
func TestHighlightCompact(t *testing.T) {
	code := "package main\n\nfunc main() {\n\tx := []int{1, 2}\n\tprintln(len(x))\n}\n"
	src, err := Highlight([]byte(code), "go", "main.go")
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{})
	prose, err := m.Render(m.Parse([]byte("```go\n"+code+"```\n")), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, html := range map[string]string{"source": string(src), "prose": string(prose)} {
		if strings.Contains(html, `class="w"`) || strings.Contains(html, `class="cl"`) {
			t.Errorf("%s: whitespace or line-wrapper spans left:\n%s", name, html)
		}
		if n := strings.Count(html, `<span class="line">`); n != strings.Count(code, "\n") {
			t.Errorf("%s: %d lines, want %d:\n%s", name, n, strings.Count(code, "\n"), html)
		}
		if !strings.Contains(html, `<span class="kd">func</span>`) || !strings.Contains(html, `<span class="mi">1</span>`) {
			t.Errorf("%s: a coloured token lost its class:\n%s", name, html)
		}
		body := html[strings.Index(html, "<pre"):]
		body = body[:strings.Index(body, "</pre>")]
		if got := stdhtml.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, "")); got != code {
			t.Errorf("%s: textContent %q, want %q", name, got, code)
		}
		if again := string(compact([]byte(html))); again != html {
			t.Errorf("%s: compact is not idempotent:\n%s\n%s", name, html, again)
		}
	}
}

func TestChromaCSSScopes(t *testing.T) {
	css, err := ChromaCSS(LightStyle, DarkStyle)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"html[data-theme=light] .chroma .kd {",
		"@media (prefers-color-scheme: dark) {\nhtml:not([data-theme=light]) .bg",
		"html:not([data-theme=light]) .chroma .kd {",
		"html[data-theme=dark] .chroma .kd {",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("CSS lacks %q", want)
		}
	}
	if _, err := ChromaCSS("no-such-style", DarkStyle); err == nil {
		t.Error("unknown style accepted")
	}
}

// goldmark's own IDs keep only ASCII letters and digits, so every Chinese
// heading would become "heading", "heading-1"…; ours keep the words.
func TestCJKHeadingIDs(t *testing.T) {
	plain := goldmark.New(goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	var b strings.Builder
	if err := plain.Convert([]byte("## 同步与并发\n"), &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `id="heading"`) {
		t.Fatalf("goldmark's default changed, revisit ids: %s", b.String())
	}
	for in, want := range map[string]string{
		"同步与并发":               "同步与并发",
		"Go 的 `go` 关键字":       "go-的-go-关键字",
		"  Why?  (and how)  ": "why-and-how",
		"!!!":                 "section",
		"ÉTÉ — summer_time":   "été-summer-time",
		"同步 vs 异步:一个简单对比":     "同步-vs-异步一个简单对比",
	} {
		if got := Slug(stripMarkup(in)); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// A table is rendered inside a focusable scroll box named by its column headers.
func TestTableInScrollBox(t *testing.T) {
	m := New(Options{})
	html, err := m.Render(m.Parse([]byte("intro\n\n| asyncio | Go `go f()` |\n|---|---|\n| `gather` | errgroup |\n")), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `<div class="table-scroll" role="region" tabindex="0" aria-label="asyncio · Go go f()">` + "\n<table>\n<thead>"
	if !strings.Contains(string(html), want) || !strings.HasSuffix(strings.TrimSpace(string(html)), "</table>\n</div>") {
		t.Errorf("table not wrapped:\n%s", html)
	}
	if n := strings.Count(string(html), "<table>"); n != 1 {
		t.Errorf("%d tables rendered, want 1:\n%s", n, html)
	}
}

// Every code block can overflow its column, so every one is focusable (a keyboard scrolls
// it) and, where it has a language, named by it.
func TestCodeBlocksFocusable(t *testing.T) {
	m := New(Options{})
	html, err := m.Render(m.Parse([]byte("```go\nfunc main() {}\n```\n\n```sh\ngo run .\n```\n\n```nosuchlang\na < b\n```\n\n```\nplain\n```\n\n    indented <x>\n")), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{
		`<pre class="chroma" tabindex="0" role="group" aria-label="Go"><code><span class="line">`,
		`<pre class="chroma" tabindex="0" role="group" aria-label="Bash"><code>`,
		`<pre tabindex="0" role="group" aria-label="nosuchlang"><code class="language-nosuchlang">a &lt; b` + "\n</code></pre>\n",
		`<pre tabindex="0"><code>plain` + "\n</code></pre>\n",
		`<pre tabindex="0"><code>indented &lt;x&gt;` + "\n</code></pre>\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %s:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "<pre"); n != 5 || strings.Count(s, `tabindex="0"`) != 5 {
		t.Errorf("%d <pre> elements, %d focusable, want 5 of 5:\n%s", n, strings.Count(s, `tabindex="0"`), s)
	}
}

// naiveID is the original rule: the first unused of id, id-1, id-2, ….
func naiveID(used map[string]bool, id string) string {
	c := id
	for i := 1; used[c]; i++ {
		c = fmt.Sprintf("%s-%d", id, i)
	}
	used[c] = true
	return c
}

// Repeated headings get the same IDs as the first-unused-suffix rule, in linear work: 8,000
// headings "## Same" took 11 s, 16,000 took 66 s.
func TestHeadingIDsLinear(t *testing.T) {
	s := newIDs()
	ref := map[string]bool{}
	for i, h := range []string{"Same", "Same 1", "Same", "Same", "Same-2", "Same", "Other", "Same 1", "Same"} {
		if i == 6 {
			s.Put([]byte("same-5"))
			ref["same-5"] = true
		}
		if got, want := string(s.Generate([]byte(h), ast.KindHeading)), naiveID(ref, Slug(h)); got != want {
			t.Errorf("heading %d %q: id %q, want %q", i, h, got, want)
		}
	}
	probes := func(n int) int {
		s := newIDs()
		for range n {
			s.Generate([]byte("Same"), ast.KindHeading)
		}
		return s.probes
	}
	if a, b := probes(8000), probes(16000); a > 2*8000 || b > 2*a+1 {
		t.Errorf("8,000 equal headings: %d probes, 16,000: %d; want at most two per heading", a, b)
	}
	d := New(Options{}).Parse([]byte(strings.Repeat("## Same\n\n", 8000)))
	if len(d.Headings) != 8000 || d.Headings[7999].ID != "same-7999" || d.Headings[7999].Line != 2*7999+1 {
		t.Errorf("last of 8,000 headings: %+v", d.Headings[len(d.Headings)-1])
	}
}
