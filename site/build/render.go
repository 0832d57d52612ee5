package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/a-h/templ"

	"unblocked/site/assets"
	"unblocked/site/content"
	"unblocked/site/examples"
	"unblocked/site/markdown"
	"unblocked/site/markdown/directive"
	"unblocked/site/templates"
)

// assetFS is site/assets on disk when the repository has it (so edits show
// up in `serve` without recompiling), else the embedded copy.
func (b *Builder) assetFS() fs.FS {
	dir := path.Join(b.opt.Root, "site", "assets")
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return os.DirFS(dir)
	}
	return assets.FS
}

// isLazyScript reports scripts that are not part of app.js: the worker
// runs in its own context.
func isLazyScript(name string) bool { return name == "worker.js" }

type urls struct {
	css, app, worker, wasmExec, interp string
	vendor                             map[string]string // vendor file name → URL
	wasm                               map[string]string // "sleep-sync" → "<base>wasm/examples.<hash>.wasm#sleep/sync"
	modules                            []string          // the modules' URLs, sorted
}

func (b *Builder) render(ctx context.Context, st *state) (*Site, error) {
	files := map[string][]byte{}
	base := b.opt.Base
	hashed := func(dir, stem, ext string, data []byte) string {
		name := fmt.Sprintf("%s/%s.%s%s", dir, stem, hashHex(data), ext)
		files[name] = data
		return base + name
	}
	afs := b.assetFS()
	var u urls

	// Stylesheet: css/*.css in name order, then the highlighting rules.
	var css bytes.Buffer
	cssFiles, _ := fs.Glob(afs, "css/*.css")
	sort.Strings(cssFiles)
	for _, f := range cssFiles {
		data, err := fs.ReadFile(afs, f)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&css, "/* %s */\n", f)
		css.Write(data)
		css.WriteByte('\n')
	}
	chroma, err := markdown.ChromaCSS(markdown.LightStyle, markdown.DarkStyle)
	if err != nil {
		return nil, err
	}
	css.WriteString(chroma)
	u.css = hashed("assets", "site", ".css", css.Bytes())

	// Scripts: js/*.js except the worker, concatenated in name order.
	var app bytes.Buffer
	jsFiles, _ := fs.Glob(afs, "js/*.js")
	sort.Strings(jsFiles)
	for _, f := range jsFiles {
		data, err := fs.ReadFile(afs, f)
		if err != nil {
			return nil, err
		}
		name := path.Base(f)
		if isLazyScript(name) {
			// the worker answers its programs' lab requests with lab.js, which goes in front
			lab, err := fs.ReadFile(afs, "lab.js")
			if err != nil {
				return nil, fmt.Errorf("site/assets/lab.js: %w", err)
			}
			data = append(append(lab[:len(lab):len(lab)], '\n'), data...)
			u.worker = hashed("assets", strings.TrimSuffix(name, ".js"), ".js", data)
			continue
		}
		fmt.Fprintf(&app, "/* %s */\n", name)
		app.Write(data)
		if !bytes.HasSuffix(data, []byte("\n")) {
			app.WriteByte('\n')
		}
	}
	u.app = hashed("assets", "app", ".js", app.Bytes())

	// Vendor bundles are loaded on demand by the scripts, from the URL in site-config.
	u.vendor = map[string]string{}
	vendorFiles, _ := fs.Glob(afs, "vendor/*")
	for _, f := range vendorFiles {
		data, err := fs.ReadFile(afs, f)
		if err != nil {
			return nil, err
		}
		name := path.Base(f)
		ext := path.Ext(name)
		u.vendor[name] = hashed("assets", strings.TrimSuffix(name, ext), ext, data)
	}

	wasmExec, err := examples.WasmExecJS()
	if err != nil {
		return nil, fmt.Errorf("wasm_exec.js: %w", err)
	}
	u.wasmExec = hashed("assets", "wasm_exec", ".js", wasmExec)

	// A program's URL is its bundle's, with the program's name as the fragment: the page compiles
	// each module once and runs the program the fragment names (docs/architecture.md).
	moduleURL := map[string]string{}
	for bundle, f := range st.modules {
		name := fmt.Sprintf("wasm/%s.%s.wasm", bundle, f.hash)
		files[name] = f.data
		moduleURL[bundle] = base + name
		u.modules = append(u.modules, base+name)
	}
	sort.Strings(u.modules)
	u.wasm = map[string]string{}
	for _, ex := range st.examples {
		for _, v := range examples.Variants {
			if m, ok := moduleURL[examples.BundleOf(ex)]; ok {
				u.wasm[ex.Name+"-"+v] = m + "#" + examples.ProgramName(ex, v)
			}
		}
	}
	if !b.opt.Dev || b.opt.Interp {
		if st, err := os.Stat(path.Join(b.opt.Root, "site", "interp")); err == nil && st.IsDir() {
			data, err := b.compiler.CompileDir(ctx, "site/interp")
			if err != nil {
				return nil, fmt.Errorf("compiling the interpreter (site/interp): %w", err)
			}
			u.interp = hashed("wasm", "interp", ".wasm", data)
		}
	}
	for _, f := range []string{"favicon.svg"} {
		data, err := fs.ReadFile(afs, f)
		if err != nil {
			return nil, err
		}
		files[f] = data
	}

	if err := b.prepareUses(st, &u); err != nil {
		return nil, err
	}
	if err := b.renderPages(ctx, st, &u, files); err != nil {
		return nil, err
	}
	files["sitemap.xml"] = b.sitemap(st.lessons)

	sw, err := b.serviceWorker(afs, st, &u, files)
	if err != nil {
		return nil, err
	}
	files["sw.js"] = sw

	out, err := b.comp.all(ctx, files)
	if err != nil {
		return nil, err
	}
	return &Site{Files: out}, nil
}

// prepareUses gives every directive its URLs and highlighted sources.
func (b *Builder) prepareUses(st *state, u *urls) error {
	for _, x := range st.uses {
		x.wasm = map[string]string{}
		x.sources = map[string]templates.Source{}
		for _, v := range examples.Variants {
			x.wasm[v] = u.wasm[x.ex.Name+"-"+v]
			src := x.ex.Sync
			if v == "concurrent" {
				src = x.ex.Concurrent
			}
			html, err := b.highlightGo(src.Code)
			if err != nil {
				return err
			}
			x.sources[v] = templates.Source{Variant: v, Path: src.Path, HTML: template.HTML(html)}
		}
	}
	return nil
}

func (b *Builder) highlightGo(code []byte) ([]byte, error) {
	key := sha256.Sum256(code)
	if h, ok := b.highlight[key]; ok {
		return h, nil
	}
	h, err := markdown.Highlight(code, "go")
	if err != nil {
		return nil, err
	}
	b.highlight[key] = h
	return h, nil
}

// renderDirective is the directive.Handler: node.Data was set by resolve.
func (b *Builder) renderDirective(w io.Writer, n *directive.Node, parts directive.Parts) error {
	x, ok := n.Data.(*use)
	if !ok || x.wasm == nil {
		return fmt.Errorf("directive %s was not resolved", n.Name)
	}
	lang := x.lesson.Lang
	title := x.ex.Title[lang]
	if title == "" {
		title = x.ex.Name
	}
	pj := paramsJSON(x.params)
	var c templ.Component
	switch n.Name {
	case "playground":
		c = templates.PlaygroundWidget(templates.Playground{
			ID: x.pageID, Lang: lang, Example: x.ex.Name, Title: title, Net: x.ex.Net, NoSpeedup: !x.ex.Speedup,
			WasmSync: x.wasm["sync"], WasmConcur: x.wasm["concurrent"], ParamsJSON: pj, Params: x.params,
			Sources: []templates.Source{x.sources["sync"], x.sources["concurrent"]},
		})
	case "exercise":
		var chs []templates.Choice
		for _, ch := range x.choices {
			chs = append(chs, templates.Choice{HTML: ch.html, Accepted: ch.accepted})
		}
		c = templates.ExerciseWidget(templates.Exercise{
			ID: x.id, Lang: lang, Example: x.ex.Name, Run: x.run, Predict: x.pred, Net: x.ex.Net,
			Wasm: x.wasm[x.run], ParamsJSON: pj, Question: template.HTML(parts.Question),
			Explanation: template.HTML(parts.Explanation), Choices: chs,
		})
	case "challenge":
		c = templates.ChallengeWidget(templates.Challenge{
			ID: x.id, Lang: lang, Example: x.ex.Name, Check: x.check, Net: x.ex.Net,
			WasmSync: x.wasm["sync"], WasmConcur: x.wasm["concurrent"], ParamsJSON: pj,
			Question: template.HTML(parts.Question), Hint: template.HTML(parts.Explanation),
			Start: x.sources["sync"], Solution: x.sources["concurrent"],
		})
	default:
		return fmt.Errorf("unknown directive %s", n.Name)
	}
	return c.Render(context.Background(), w)
}

func (b *Builder) pageConfig(lang, lesson string, u *urls) map[string]any {
	cfg := map[string]any{
		"base": b.opt.Base, "lang": lang, "lesson": lesson,
		"worker": u.worker, "wasmExec": u.wasmExec, "sw": b.opt.Base + "sw.js",
	}
	if len(u.vendor) > 0 {
		cfg["vendor"] = u.vendor
	}
	if b.opt.Dev {
		cfg["compile"] = b.opt.Base + "__workbook/compile"
	}
	if u.interp != "" { // after the compile endpoint when both are there (it refuses remote clients)
		cfg["interp"] = u.interp
	}
	return cfg
}

func (b *Builder) page(lang, lesson, title, desc string, u *urls) templates.Page {
	p := templates.Page{
		Lang: lang, Title: title, Description: desc, Base: b.opt.Base,
		CSS: u.css, AppJS: u.app, Config: b.pageConfig(lang, lesson, u),
		UIStrings: templates.UIStrings(lang), Lesson: lesson,
	}
	if b.opt.Dev {
		p.ReloadJS = b.opt.Base + "__workbook/reload.js"
	}
	return p
}

func (b *Builder) lessonURL(l *content.Lesson) string {
	return b.opt.Base + l.Lang + "/" + l.Slug + "/"
}

func (b *Builder) lists(set *content.Set) []templates.LessonList {
	var lists []templates.LessonList
	for _, lang := range content.Langs {
		ll := templates.LessonList{Lang: lang, Heading: templates.LangLabel(lang)}
		for _, l := range set.ByLang[lang] {
			ll.Lessons = append(ll.Lessons, templates.IndexEntry{Slug: l.Slug, Title: l.Title, Summary: l.Summary, Href: b.lessonURL(l)})
		}
		lists = append(lists, ll)
	}
	return lists
}

// bodyKey covers everything a lesson body's HTML depends on besides its
// own text: the URLs and sources of the examples it places.
func bodyKey(l *content.Lesson, uses []*use) [32]byte {
	h := sha256.New()
	h.Write(l.Hash[:])
	for _, x := range uses {
		if x.lesson != l {
			continue
		}
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%v\x00", x.pageID, x.wasm["sync"], x.wasm["concurrent"], x.ex.Title)
		for _, v := range examples.Variants {
			s := sha256.Sum256([]byte(x.sources[v].HTML))
			h.Write(s[:])
		}
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

func (b *Builder) renderPages(ctx context.Context, st *state, u *urls, files map[string][]byte) error {
	set := st.lessons
	lists := b.lists(set)
	render := func(name string, c templ.Component) error {
		var buf bytes.Buffer
		if err := c.Render(ctx, &buf); err != nil {
			return fmt.Errorf("rendering %s: %w", name, err)
		}
		files[name] = buf.Bytes()
		return nil
	}
	idx := b.page("en", "", "Unblocked · concurrent IO in Go", "A hands-on workbook on concurrent IO in Go, with programs that run in the page. 用可在浏览器中运行的程序学习 Go 并发 IO。", u)
	if err := render("index.html", templates.Index(idx, lists)); err != nil {
		return err
	}
	nf := b.page("en", "", "Page not found · Unblocked", "Page not found.", u)
	if err := render("404.html", templates.NotFound(nf, lists)); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, lang := range content.Langs {
		ls := set.ByLang[lang]
		for i, l := range ls {
			key := bodyKey(l, st.uses)
			cb, ok := b.bodies[l.Path]
			if !ok || cb.key != key {
				html, err := b.md.Render(l.Doc)
				if err != nil {
					return fmt.Errorf("%s: %w", l.Path, err)
				}
				cb = cachedBody{key: key, html: html}
				b.bodies[l.Path] = cb
			}
			seen[l.Path] = true
			p := b.page(lang, l.Slug, l.Title+" · Unblocked", l.Summary, u)
			for _, n := range ls {
				p.Nav = append(p.Nav, templates.NavItem{Slug: n.Slug, Title: n.Title, Href: b.lessonURL(n), Current: n == l})
			}
			for _, other := range content.Langs {
				if other == lang {
					continue
				}
				if o := set.Lesson(other, l.Slug); o != nil {
					p.Alternates = append(p.Alternates, templates.Alternate{Lang: other, Label: templates.LangLabel(other), Href: b.lessonURL(o)})
				}
			}
			view := templates.Lesson{Title: l.Title, Section: l.Section, Body: template.HTML(cb.html), TOC: toc(l.Doc.TOC())}
			if i > 0 {
				view.Prev = &p.Nav[i-1]
			}
			if i+1 < len(ls) {
				view.Next = &p.Nav[i+1]
			}
			if err := render(lang+"/"+l.Slug+"/index.html", templates.LessonPage(p, view)); err != nil {
				return err
			}
		}
	}
	for k := range b.bodies {
		if !seen[k] {
			delete(b.bodies, k)
		}
	}
	return nil
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

// pageURLs lists every page under the base path, index first.
func (b *Builder) pageURLs(set *content.Set) []string {
	out := []string{b.opt.Base}
	for _, lang := range content.Langs {
		for _, l := range set.ByLang[lang] {
			out = append(out, b.lessonURL(l))
		}
	}
	return out
}

func (b *Builder) sitemap(set *content.Set) []byte {
	var buf bytes.Buffer
	buf.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for _, p := range b.pageURLs(set) {
		fmt.Fprintf(&buf, "  <url><loc>%s</loc></url>\n", template.HTMLEscapeString(b.opt.SiteURL+p))
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// serviceWorker prefixes site/assets/sw.js with the precache list and a
// version that changes whenever any file of the site changes.
func (b *Builder) serviceWorker(afs fs.FS, st *state, u *urls, files map[string][]byte) ([]byte, error) {
	src, err := fs.ReadFile(afs, "sw.js")
	if err != nil {
		return nil, fmt.Errorf("site/assets/sw.js: %w", err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		if !hashedName.MatchString(n) { // a hashed name already stands for its bytes
			h.Write(files[n])
		}
	}
	h.Write(src)
	precache := append(b.pageURLs(st.lessons), b.opt.Base+"404.html", u.css, u.app, u.worker, u.wasmExec)
	vendor := make([]string, 0, len(u.vendor))
	for _, v := range u.vendor {
		vendor = append(vendor, v)
	}
	sort.Strings(vendor)
	precache = append(precache, vendor...)
	precache = append(precache, u.modules...)
	cfg, err := json.Marshal(struct {
		Version  string   `json:"version"`
		Base     string   `json:"base"`
		Precache []string `json:"precache"`
	}{fmt.Sprintf("%x", h.Sum(nil))[:16], b.opt.Base, precache})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "self.UNBLOCKED = %s;\n", cfg)
	out.Write(src)
	return out.Bytes(), nil
}
