// Package model is the workbook as the build sees it once the resolve stage has run: every
// lesson page with its URL, its neighbours and its translations, and every widget its
// directives place, validated against the examples and pointing at their compiled programs.
//
// Resolve computes it once per build (prev/next, page ids, URLs, parameters, answers), so
// rendering is a function of the model alone, and nothing in it changes afterwards: the
// parsed lessons it holds are shared with the loader's cache and later builds.
//
// The rules every stage shares live here, one function each: the element id of a widget
// (PageIDs), the URL of a lesson (LessonURL); the languages are package language's.
package model

import (
	"fmt"

	"unblocked/site/examples"
	"unblocked/site/markdown"
	"unblocked/site/markdown/directive"
)

// Site is the resolved workbook.
type Site struct {
	Base    string               // URL base path, "/" or "/sub/"
	Lessons map[string][]*Lesson // language code → its lessons, in order
	Langs   []string             // the language codes, in display order
}

// Lesson returns the lesson of lang with slug, or nil.
func (s *Site) Lesson(lang, slug string) *Lesson {
	for _, l := range s.Lessons[lang] {
		if l.Slug == slug {
			return l
		}
	}
	return nil
}

// PageURLs lists every page of the site under the base path: the index, then each language's
// index and lessons in order (the 404 page is not a page one navigates to).
func (s *Site) PageURLs() []string {
	out := []string{s.Base}
	for _, lang := range s.Langs {
		if len(s.Lessons[lang]) > 0 {
			out = append(out, LangURL(s.Base, lang))
		}
		for _, l := range s.Lessons[lang] {
			out = append(out, l.URL)
		}
	}
	return out
}

// Lesson is one lesson page.
type Lesson struct {
	Lang, Slug              string
	Path                    string // its file: lessons/en/01-sync-vs-concurrent.md
	Title, Summary, Section string
	URL                     string // LessonURL(base, Lang, Slug)
	Doc                     *markdown.Doc
	Hash                    [32]byte // of the file's bytes
	Widgets                 []*Widget
	Prev, Next              *Lesson   // neighbours in the same language, nil at the ends
	Translations            []*Lesson // the same lesson in the other languages, in language order
}

// Kind is what a directive places.
type Kind string

// The widgets, by directive name.
const (
	Playground Kind = "playground" // ::playground: both programs, controls, output, timeline
	Exercise   Kind = "exercise"   // :::exercise: predict, run, compare
	Challenge  Kind = "challenge"  // :::challenge: edit the sync program until it passes a check
)

// Widget is one resolved directive. Lesson.Widgets[i] is placed by Lesson.Doc.Directives[i].
type Widget struct {
	Kind   Kind
	PageID string // its element id on the page (PageIDs)
	ID     string // exercise and challenge: the id progress is stored under
	Lang   string

	Example      string // the example's folder name under wasm/
	Title        string // the example's title in Lang
	Net, Speedup bool
	CPU          bool // the example's work is CPU-bound (examples.Example.CPU)
	Params       []Param
	Run          string // exercise: sync|concurrent, the program it runs
	Predict      string // exercise: elapsed|choice
	Check        string // challenge: one of ChallengeChecks
	// Start and Solution are a challenge's program folders (start=, solution=): the code the
	// learner begins with and the one shown as the answer. Default sync and concurrent.
	Start, Solution string
	Programs        map[string]string // variant → program URL: its module's URL + "#" + program name
	Sources         []Source          // sync, then concurrent; a challenge's: start, then solution
	PySources       []Source          // playground: the example's Python pair (sync, concurrent), or none
	// Choices are the answers of a predict=choice exercise, in order; their HTML is rendered
	// with the lesson body (directive.Parts.Choices).
	Choices []*directive.Choice
}

// Param is one parameter of a widget: the example's, with this placement's value.
type Param struct {
	examples.Param
	Value string // the directive's, else the example's default; as written: "5", "1s"
}

// Source is one program of a widget's example.
type Source struct {
	Variant string // sync, concurrent
	Path    string // wasm/sleep/sync/main.go
	Code    []byte
}

// Element ids every page reserves: the skip link's target and the table of contents.
const (
	MainID = "wb-main"
	TOCID  = "wb-toc"
)

// PageIDs returns the element id of each directive in ds (a lesson's, in document order):
// pg-<example>-<n> for the n-th playground of that example on the page, ex-<id> for an
// exercise, ch-<id> for a challenge, "" for anything else. Links may target them.
func PageIDs(ds []*directive.Node) []string {
	ids := make([]string, len(ds))
	playgrounds := map[string]int{}
	for i, d := range ds {
		switch Kind(d.Name) {
		case Playground:
			ex, _ := d.Attr("example")
			playgrounds[ex]++
			ids[i] = fmt.Sprintf("pg-%s-%d", ex, playgrounds[ex])
		case Exercise:
			id, _ := d.Attr("id")
			ids[i] = "ex-" + id
		case Challenge:
			id, _ := d.Attr("id")
			ids[i] = "ch-" + id
		}
	}
	return ids
}

// LessonURL is the URL of the lesson with slug in lang: <base><lang>/<slug>/.
func LessonURL(base, lang, slug string) string { return base + lang + "/" + slug + "/" }

// LangURL is the address of lang's index, the list of its lessons.
func LangURL(base, lang string) string { return base + lang + "/" }
