// Package templates holds the page and widget components (templ). The
// builder fills the view types below; nothing here reads files or knows
// about goldmark, so the markup can be tested with plain values.
package templates

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"unblocked/site/assets/i18n"
)

// Page is what every page's layout needs.
type Page struct {
	Lang        string // "en" or "zh" (a language code); the index is "en" with zh parts marked lang="zh-Hans"
	Title       string // full <title>
	Description string
	Base        string      // "/" or "/sub/"
	CSS         string      // URL of the stylesheet
	Scripts     Scripts     // the page's modules, inline head script and CSP (site/assets)
	ReloadJS    string      // Dev only: the live-reload script URL
	Config      any         // the site-config object
	Lesson      string      // current lesson slug ("" elsewhere)
	Nav         []NavItem   // lessons of Lang, shown on lesson pages
	Alternates  []Alternate // the same page in other languages
	// HrefLang is the page in every language, with absolute URLs, for <link rel="alternate">
	// (hreflang "x-default" for the version shown to other languages); empty on the index.
	HrefLang []HrefLang
	// Outline is the ids of the page's headings in document order: with an Alternate's IDs it
	// lets the language switch land on the same section (both languages share the outline).
	Outline []string
}

// HrefLang is one <link rel="alternate" hreflang href> of a page.
type HrefLang struct {
	Tag  string // "en", "zh-Hans", "x-default"
	Href string // absolute
}

// NavItem is one lesson in the navigation.
type NavItem struct {
	Slug, Title, Href string
	Current           bool
}

// Alternate is the same page in another language.
type Alternate struct {
	Lang, Href string
	IDs        []string // its heading ids, in the order of Page.Outline
}

// LessonList is one language's lessons on the index page.
type LessonList struct {
	Lang    string
	Lessons []IndexEntry
}

// IndexEntry is one lesson on the index page.
type IndexEntry struct {
	Slug, Title, Summary, Href string
}

// TOCEntry is an h2 with its h3s.
type TOCEntry struct {
	ID, Text string
	Children []TOCEntry
}

// Lesson is a lesson page.
type Lesson struct {
	Title, Section string
	TOC            []TOCEntry
	Body           template.HTML
	Prev, Next     *NavItem
}

// Param is one generated control of a playground.
type Param struct {
	Name     string // tasks, delay, limit
	Kind     string // int, duration
	Value    string // as written: "5", "1s"
	Min, Max string
}

// Source is one highlighted program.
type Source struct {
	Variant string        // sync, concurrent
	Path    string        // wasm/sleep/sync/main.go
	HTML    template.HTML // <pre class=chroma><code>…
}

// Playground is a ::playground widget.
type Playground struct {
	PageID               string // its element id, pg-<example>-<n>; its parts' ids start with it
	Lang                 string
	Example, Title       string
	Net                  bool
	NoSpeedup            bool // the example's concurrent version is a mistake: no "N× faster"
	CPU                  bool // CPU-bound work: data-cpu="true", compared as the same computing
	WasmSync, WasmConcur string
	Params               []Param
	Sources              []Source
	PySources            []Source // the example's Python pair (sync, concurrent): Run Python; none without one
}

// Choice is one answer of a predict=choice exercise.
type Choice struct {
	HTML     template.HTML
	Accepted bool
}

// Exercise is a :::exercise widget.
type Exercise struct {
	PageID                          string // its element id, ex-<ID>
	ID, Lang, Example, Run, Predict string
	Net                             bool
	Wasm                            string
	Params                          []Param
	Question, Explanation           template.HTML
	Choices                         []Choice
}

// Challenge is a :::challenge widget.
type Challenge struct {
	PageID                   string // its element id, ch-<ID>
	ID, Lang, Example, Check string
	Net                      bool
	WasmSync, WasmConcur     string
	Params                   []Param
	Question, Hint           template.HTML
	Start, Solution          Source
}

// pyKey is the UI string naming a Python variant: pySync, pyConcurrent.
func pyKey(variant string) string {
	if variant == "sync" {
		return "pySync"
	}
	return "pyConcurrent"
}

// T returns the UI string key in lang (site/assets/i18n, the table the page scripts read too).
func T(lang, key string) string { return i18n.T(lang, key) }

// Tf is T with its {placeholders} filled from name, value pairs.
func Tf(lang, key string, pairs ...string) string { return i18n.Format(lang, key, pairs...) }

// paramsJSON is the data-params attribute of every widget: {"tasks":{"value":5,"min":1,
// "max":10000},"delay":{"value":"1s",…}} in parameter order, numbers for ints and strings for
// durations.
func paramsJSON(ps []Param) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		q := func(s string) string {
			if p.Kind == "int" {
				return s
			}
			return strconv.Quote(s)
		}
		fmt.Fprintf(&b, "%q:{\"value\":%s,\"min\":%s,\"max\":%s}", p.Name, q(p.Value), q(p.Min), q(p.Max))
	}
	b.WriteByte('}')
	return b.String()
}
