package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/a-h/templ"

	"unblocked/site/assets"
	"unblocked/site/language"
	"unblocked/site/markdown"
	"unblocked/site/markdown/directive"
	"unblocked/site/model"
	"unblocked/site/templates"
)

// The page stage: every page is a function of the model and of the URLs of the files the
// other stages made (links). A Builder remembers rendered lesson bodies and highlighted
// sources by everything they depend on, which is what makes a rebuild after one edit fast.

// links are the URLs every page's layout and site-config name.
type links struct {
	*assets.Output        // stylesheet, modules, worker, wasm_exec.js, vendor bundles, head script and CSP
	Interp         string // "" when this build has no interpreter
	Sched          string // the scheduler view's trace parser; "" without one
}

func (b *Builder) links(as *assets.Output, interp string) links {
	return links{Output: as, Interp: interp}
}

// cachedBody is a lesson's rendered body and the key of what it was rendered from.
type cachedBody struct {
	key     [32]byte
	html    []byte
	sources [][32]byte // the highlighted sources it holds: in use while it is
}

// renderPages renders the index, the 404 page and every lesson page.
func (b *Builder) renderPages(ctx context.Context, m *model.Site, ln links) (files, error) {
	out := files{}
	render := func(name string, c templ.Component) error {
		var buf bytes.Buffer
		if err := c.Render(ctx, &buf); err != nil {
			return fmt.Errorf("rendering %s: %w", name, err)
		}
		out[name] = buf.Bytes()
		return nil
	}
	lists := lessonLists(m)
	idx := b.page(ln, "en", "", "Unblocked · concurrent IO in Go", "A hands-on workbook on concurrent IO in Go, with programs that run in the page. 用可在浏览器中运行的程序学习 Go 并发 IO。")
	if err := render("index.html", templates.Index(idx, lists)); err != nil {
		return nil, err
	}
	// each language's index, /<lang>/: what a learner who shortens a lesson's address expects
	var withLessons []templates.LessonList
	for _, l := range lists {
		if len(l.Lessons) > 0 {
			withLessons = append(withLessons, l)
		}
	}
	for _, l := range withLessons {
		p := b.page(ln, l.Lang, "", templates.T(l.Lang, "lessons")+" · Unblocked", templates.T(l.Lang, "lead"))
		for _, o := range withLessons {
			if o.Lang != l.Lang {
				p.Alternates = append(p.Alternates, templates.Alternate{Lang: o.Lang, Href: model.LangURL(b.opt.Base, o.Lang)})
			}
			if len(withLessons) > 1 {
				p.HrefLang = append(p.HrefLang, templates.HrefLang{Tag: language.Tag(o.Lang), Href: b.opt.SiteURL + model.LangURL(b.opt.Base, o.Lang)})
			}
		}
		if len(withLessons) > 1 { // the bilingual index is for a reader of neither
			p.HrefLang = append(p.HrefLang, templates.HrefLang{Tag: "x-default", Href: b.opt.SiteURL + b.opt.Base})
		}
		if err := render(l.Lang+"/index.html", templates.LangIndex(p, l)); err != nil {
			return nil, err
		}
	}
	nf := b.page(ln, "en", "", "Page not found · Unblocked", "Page not found.")
	if err := render("404.html", templates.NotFound(nf, lists)); err != nil {
		return nil, err
	}
	for _, lang := range m.Langs {
		for _, l := range m.Lessons[lang] {
			body, err := b.body(ctx, l)
			if err != nil {
				return nil, err
			}
			p := b.page(ln, lang, l.Slug, l.Title+" · Unblocked", l.Summary)
			p.Scripts.Preload = ln.PagePreload(lang, pageModules(l)...)
			for _, n := range m.Lessons[lang] {
				p.Nav = append(p.Nav, navItem(n, n == l))
			}
			p.Outline = headingIDs(l)
			for _, t := range l.Translations {
				p.Alternates = append(p.Alternates, templates.Alternate{Lang: t.Lang, Href: t.URL, IDs: headingIDs(t)})
			}
			p.HrefLang = hrefLang(l, b.opt.SiteURL)
			view := templates.Lesson{Title: l.Title, Section: l.Section, Body: template.HTML(body), TOC: toc(l.Doc.TOC())}
			if l.Prev != nil {
				prev := navItem(l.Prev, false)
				view.Prev = &prev
			}
			if l.Next != nil {
				next := navItem(l.Next, false)
				view.Next = &next
			}
			if err := render(lang+"/"+l.Slug+"/index.html", templates.LessonPage(p, view)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// pageModules are the feature modules main.js imports when the page loads because l has their
// sections (site/assets/js/main.js, docs/arch/modules.md): the page preloads them and what they
// import statically, and no other page does. Modules needed only after a press (judge.js,
// scheduler.js, present.js, CodeMirror) are in no page's list.
func pageModules(l *model.Lesson) []string {
	var out []string
	add := func(names ...string) {
		for _, n := range names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	for _, w := range l.Widgets {
		switch w.Kind {
		case model.Playground:
			add("playground", "editor") // section.playground: its runs and its editor
			if len(w.PySources) > 0 {
				add("python") // its Run Python panels
			}
		case model.Exercise:
			add("exercise")
		case model.Challenge:
			add("challenge")
		}
	}
	return out
}

// headingIDs are the ids of l's headings in document order (the outline both languages share).
func headingIDs(l *model.Lesson) []string {
	ids := make([]string, len(l.Doc.Headings))
	for i, h := range l.Doc.Headings {
		ids[i] = h.ID
	}
	return ids
}

// hrefLang lists lesson l in every language with absolute URLs (search engines require them),
// in language order, and the first language's as x-default.
func hrefLang(l *model.Lesson, siteURL string) []templates.HrefLang {
	all := append([]*model.Lesson{l}, l.Translations...)
	codes := language.Codes()
	sort.SliceStable(all, func(i, j int) bool { return slices.Index(codes, all[i].Lang) < slices.Index(codes, all[j].Lang) })
	var out []templates.HrefLang
	for _, x := range all {
		out = append(out, templates.HrefLang{Tag: language.Tag(x.Lang), Href: siteURL + x.URL})
	}
	if len(all) > 1 {
		out = append(out, templates.HrefLang{Tag: "x-default", Href: siteURL + all[0].URL})
	}
	return out
}

func navItem(l *model.Lesson, current bool) templates.NavItem {
	return templates.NavItem{Slug: l.Slug, Title: l.Title, Href: l.URL, Current: current}
}

func lessonLists(m *model.Site) []templates.LessonList {
	var lists []templates.LessonList
	for _, lang := range m.Langs {
		ll := templates.LessonList{Lang: lang}
		for _, l := range m.Lessons[lang] {
			ll.Lessons = append(ll.Lessons, templates.IndexEntry{Slug: l.Slug, Title: l.Title, Summary: l.Summary, Href: l.URL})
		}
		lists = append(lists, ll)
	}
	return lists
}

// page is the layout's view of a page in lang (lesson is its slug, or "").
func (b *Builder) page(ln links, lang, lesson, title, desc string) templates.Page {
	cfg := map[string]any{
		"base": b.opt.Base, "lang": lang, "lesson": lesson,
		"worker": ln.Worker, "wasmExec": ln.WasmExec, "sw": b.opt.Base + "sw.js",
		"modules": ln.Modules, // every page module by name (tests import them: docs/arch/modules.md)
	}
	if len(ln.Vendor) > 0 {
		cfg["vendor"] = ln.Vendor
	}
	if ln.Pyodide != "" {
		cfg["pyodide"] = ln.Pyodide // Run Python's runtime, imported by its worker on the first press
	}
	if b.opt.Dev {
		cfg["compile"] = b.opt.Base + "__workbook/compile"
	}
	if ln.Sched != "" {
		cfg["sched"] = ln.Sched
	}
	if ln.Interp != "" { // after the compile endpoint when both are there (it refuses remote clients)
		cfg["interp"] = ln.Interp
	}
	p := templates.Page{
		Lang: lang, Title: title, Description: desc, Base: b.opt.Base,
		CSS: ln.CSS, Config: cfg, Lesson: lesson,
		Scripts: templates.Scripts{CSP: ln.CSP, Head: ln.HeadScript, Entry: ln.Entry, Preload: ln.PagePreload(lang)},
	}
	if b.opt.Dev {
		p.ReloadJS = b.opt.Base + "__workbook/reload.js"
	}
	return p
}

func toc(hs []markdown.Heading) []templates.TOCEntry {
	var out []templates.TOCEntry
	for _, h := range hs {
		e := templates.TOCEntry{ID: h.ID, Text: h.Text}
		if h.Level == 3 && len(out) > 0 {
			last := &out[len(out)-1]
			last.Children = append(last.Children, e)
			continue
		}
		out = append(out, e)
	}
	return out
}

// body renders a lesson's Markdown with its widgets, or returns the body rendered from the
// same lesson and widgets before.
func (b *Builder) body(ctx context.Context, l *model.Lesson) ([]byte, error) {
	key := bodyKey(l)
	if cb, ok := b.bodies.get(l.Path); ok && cb.key == key {
		for _, k := range cb.sources {
			b.highlight.get(k) // a cached body keeps its sources' highlighting in use
		}
		return cb.html, nil
	}
	b.stats.bodies++
	cb := cachedBody{key: key}
	html, err := b.md.Render(l.Doc, func(w io.Writer, n *directive.Node, parts directive.Parts) error {
		if n.Index >= len(l.Widgets) {
			return fmt.Errorf("directive %s was not resolved", n.Name)
		}
		wd := l.Widgets[n.Index]
		for _, s := range slices.Concat(wd.Sources, wd.PySources) {
			cb.sources = append(cb.sources, sourceKey(s))
		}
		c, err := b.widget(wd, parts)
		if err != nil {
			return err
		}
		return c.Render(ctx, w)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Path, err)
	}
	cb.html = html
	b.bodies.put(l.Path, cb)
	return html, nil
}

// bodyKey covers everything a lesson body's HTML depends on: the lesson's own bytes and, for
// each widget, what the resolve stage added (the example's title, parameters, sources and
// the URLs of its programs).
func bodyKey(l *model.Lesson) [32]byte {
	h := sha256.New()
	h.Write(l.Hash[:])
	for _, w := range l.Widgets {
		fmt.Fprintf(h, "%q %q %q %q %v %v %v %q %q %q %q %q\x00", w.Kind, w.PageID, w.ID, w.Title, w.Net, w.Speedup, w.CPU,
			w.Run, w.Predict, w.Check, w.Programs["sync"], w.Programs["concurrent"])
		fmt.Fprintf(h, "%q %q %q %q\x00", w.Start, w.Solution, w.Programs[w.Start], w.Programs[w.Solution])
		for _, p := range w.Params {
			fmt.Fprintf(h, "%q %q %q %q %q\x00", p.Name, p.Kind, p.Value, p.Min, p.Max)
		}
		for _, s := range slices.Concat(w.Sources, w.PySources) {
			sum := sha256.Sum256(s.Code)
			fmt.Fprintf(h, "%q %q %x\x00", s.Variant, s.Path, sum)
		}
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

// widget is the component a resolved directive renders as; parts are its rendered Markdown.
func (b *Builder) widget(w *model.Widget, parts directive.Parts) (templ.Component, error) {
	srcs := make([]templates.Source, len(w.Sources))
	for i, s := range w.Sources {
		html, err := b.highlightSource(s)
		if err != nil {
			return nil, err
		}
		srcs[i] = templates.Source{Variant: s.Variant, Path: s.Path, HTML: template.HTML(html)}
	}
	var pySrcs []templates.Source // Run Python's files
	for _, s := range w.PySources {
		html, err := b.highlightSource(s)
		if err != nil {
			return nil, err
		}
		pySrcs = append(pySrcs, templates.Source{Variant: s.Variant, Path: s.Path, HTML: template.HTML(html)})
	}
	params := make([]templates.Param, len(w.Params))
	for i, p := range w.Params {
		params[i] = templates.Param{Name: p.Name, Kind: p.Kind, Value: p.Value, Min: p.Min, Max: p.Max}
	}
	switch w.Kind {
	case model.Playground:
		return templates.PlaygroundWidget(templates.Playground{
			PageID: w.PageID, Lang: w.Lang, Example: w.Example, Title: w.Title, Net: w.Net, NoSpeedup: !w.Speedup, CPU: w.CPU,
			WasmSync: w.Programs["sync"], WasmConcur: w.Programs["concurrent"], Params: params, Sources: srcs,
			PySources: pySrcs,
		}), nil
	case model.Exercise:
		var chs []templates.Choice
		for _, c := range parts.Choices {
			chs = append(chs, templates.Choice{HTML: template.HTML(c.HTML), Accepted: c.Accepted})
		}
		return templates.ExerciseWidget(templates.Exercise{
			PageID: w.PageID, ID: w.ID, Lang: w.Lang, Example: w.Example, Run: w.Run, Predict: w.Predict, Net: w.Net,
			Wasm: w.Programs[w.Run], Params: params, Question: template.HTML(parts.Question),
			Explanation: template.HTML(parts.Explanation), Choices: chs,
		}), nil
	case model.Challenge:
		return templates.ChallengeWidget(templates.Challenge{
			PageID: w.PageID, ID: w.ID, Lang: w.Lang, Example: w.Example, Check: w.Check, Net: w.Net,
			WasmSync: w.Programs[w.Start], WasmConcur: w.Programs[w.Solution], Params: params,
			Question: template.HTML(parts.Question), Hint: template.HTML(parts.Explanation),
			Start: srcs[0], Solution: srcs[1],
		}), nil
	}
	return nil, fmt.Errorf("unknown widget %s", w.Kind)
}

// sourceKey identifies a program's highlighting: its file name (the block's label) and code.
func sourceKey(s model.Source) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", s.Path)
	h.Write(s.Code)
	var key [32]byte
	copy(key[:], h.Sum(nil))
	return key
}

// highlightSource is a program's highlighted HTML, named by its file.
func (b *Builder) highlightSource(s model.Source) ([]byte, error) {
	key := sourceKey(s)
	if html, ok := b.highlight.get(key); ok {
		return html, nil
	}
	b.stats.highlights++
	lang := "go"
	if strings.HasSuffix(s.Path, ".py") {
		lang = "python" // Run Python's files
	}
	html, err := markdown.Highlight(s.Code, lang, s.Path)
	if err != nil {
		return nil, err
	}
	b.highlight.put(key, html)
	return html, nil
}
