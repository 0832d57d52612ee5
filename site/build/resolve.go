package build

import (
	"fmt"
	"html/template"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"unblocked/site/content"
	"unblocked/site/diag"
	"unblocked/site/examples"
	"unblocked/site/markdown/directive"
	"unblocked/site/templates"
)

// use is one directive of a lesson, validated and resolved. It hangs off
// the directive node (Node.Data) so the renderer finds it without a lookup.
type use struct {
	lesson *content.Lesson
	node   *directive.Node
	ex     *examples.Example
	params []templates.Param
	pageID string // the element id: pg-<example>-<n>, ex-<id>, ch-<id>
	id     string // exercise/challenge id
	run    string // exercise: sync|concurrent
	pred   string // exercise: elapsed|choice
	check  string // challenge: concurrent|bounded

	// choices are taken out of the question's task list once; the node
	// keeps them for later builds that reuse the same cached parse.
	choices []choice
	taken   bool

	// Filled in by the render stage.
	wasm    map[string]string // variant → URL
	sources map[string]templates.Source
}

type choice struct {
	html     template.HTML
	accepted bool
}

// Attributes allowed on each directive, besides the example's parameters.
var directiveAttrs = map[string][]string{
	"playground": {"example"},
	"exercise":   {"id", "example", "run", "predict"},
	"challenge":  {"id", "example", "check"},
}

var paramNames = []string{"tasks", "delay", "limit"}

// resolveAll validates every directive of every lesson. checkExamples is
// false when the examples failed to load: their errors are reported
// already, and every reference would otherwise be reported as unknown too.
func (b *Builder) resolveAll(set *content.Set, exs map[string]*examples.Example, checkExamples bool) ([]*use, diag.List) {
	var errs diag.List
	var uses []*use
	for _, lang := range content.Langs {
		ids := map[string]string{} // exercise/challenge id → where first used
		for _, l := range set.ByLang[lang] {
			pgCount := map[string]int{}
			for _, n := range l.Doc.Directives {
				u, e := b.resolve(l, n, exs, checkExamples)
				errs = append(errs, e...)
				if u == nil {
					continue
				}
				switch n.Name {
				case "playground":
					pgCount[u.ex.Name]++
					u.pageID = fmt.Sprintf("pg-%s-%d", u.ex.Name, pgCount[u.ex.Name])
				case "exercise", "challenge":
					where := fmt.Sprintf("%s:%d", l.Path, n.Line)
					if prev, dup := ids[u.id]; dup {
						errs.Add(diag.Errorf(l.Path, n.Line, n.Col, "duplicate %s id %q (also used at %s)", n.Name, u.id, prev))
						continue
					}
					ids[u.id] = where
					u.pageID = map[string]string{"exercise": "ex-", "challenge": "ch-"}[n.Name] + u.id
				}
				uses = append(uses, u)
			}
		}
	}
	return uses, errs
}

func (b *Builder) resolve(l *content.Lesson, n *directive.Node, exs map[string]*examples.Example, checkExamples bool) (*use, diag.List) {
	var errs diag.List
	at := func(line, col int, format string, args ...any) {
		errs.Add(diag.Errorf(l.Path, line, col, format, args...))
	}
	for _, e := range n.Errors {
		at(e.Line, e.Col, "%s", e.Msg)
	}
	allowed, known := directiveAttrs[n.Name]
	if !known {
		at(n.Line, n.Col, "unknown directive %s (want ::playground, :::exercise or :::challenge)", n.Name)
		return nil, errs
	}
	if n.Container != (n.Name != "playground") {
		if n.Container {
			at(n.Line, n.Col, "playground is a leaf directive: write ::playground{…} on one line")
		} else {
			at(n.Line, n.Col, "%s is a container: write :::%s{…}, the question, and a closing :::", n.Name, n.Name)
		}
		return nil, errs
	}
	if len(n.Errors) > 0 {
		return nil, errs
	}
	u := &use{lesson: l, node: n}
	if prev, ok := n.Data.(*use); ok && prev.taken {
		u.choices, u.taken = prev.choices, true
	}
	for _, a := range n.Attrs {
		if !slices.Contains(allowed, a.Key) && !slices.Contains(paramNames, a.Key) {
			at(a.Line, a.Col, "unknown attribute %s of %s (allowed: %s)", a.Key, n.Name, strings.Join(append(slices.Clone(allowed), paramNames...), ", "))
		}
	}
	req := func(key string, values ...string) string {
		v, ok := n.Attr(key)
		if !ok {
			at(n.Line, n.Col, "%s needs %s=…", n.Name, key)
			return ""
		}
		if len(values) > 0 && !slices.Contains(values, v) {
			a := attrOf(n, key)
			at(a.Line, a.Col, "%s=%s: want one of %s", key, v, strings.Join(values, ", "))
			return ""
		}
		return v
	}
	name := req("example")
	switch n.Name {
	case "exercise":
		u.id = req("id")
		u.run = req("run", "sync", "concurrent")
		u.pred = req("predict", "elapsed", "choice")
	case "challenge":
		u.id = req("id")
		u.check = req("check", "concurrent", "bounded")
	}
	if u.id != "" && !validID(u.id) {
		a := attrOf(n, "id")
		at(a.Line, a.Col, "id=%s: use lower-case letters, digits and -", u.id)
	}
	if name != "" && checkExamples {
		ex := exs[name]
		if ex == nil {
			a := attrOf(n, "example")
			at(a.Line, a.Col, "unknown example %q (no wasm/%s/example.yaml)", name, name)
		} else {
			u.ex = ex
			var perrs diag.List
			u.params, perrs = resolveParams(l.Path, n, ex)
			errs = append(errs, perrs...)
			if u.check == "bounded" && !hasParam(ex, "limit") {
				at(n.Line, n.Col, "check=bounded needs an example with a limit parameter; %s has none", ex.Name)
			}
		}
	}
	if u.pred == "choice" {
		if !u.taken {
			u.choices, u.taken = b.takeChoices(l, n), true
		}
		accepted := 0
		for _, c := range u.choices {
			if c.accepted {
				accepted++
			}
		}
		switch {
		case len(u.choices) == 0:
			at(n.Line, n.Col, "predict=choice needs a task list in the question (- [x] accepted answer, - [ ] wrong answer)")
		case accepted == 0:
			at(n.Line, n.Col, "predict=choice: no answer is checked (- [x])")
		}
	}
	n.Data = u
	if len(errs) > 0 || u.ex == nil {
		return nil, errs
	}
	return u, nil
}

func validID(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return s != ""
}

func attrOf(n *directive.Node, key string) directive.Attr {
	for _, a := range n.Attrs {
		if a.Key == key {
			return a
		}
	}
	return directive.Attr{Line: n.Line, Col: n.Col}
}

func hasParam(ex *examples.Example, name string) bool {
	for _, p := range ex.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// resolveParams applies the directive's overrides to the example's
// defaults, checking kind and range.
func resolveParams(path string, n *directive.Node, ex *examples.Example) ([]templates.Param, diag.List) {
	var errs diag.List
	for _, key := range paramNames {
		if _, ok := n.Attr(key); ok && !hasParam(ex, key) {
			a := attrOf(n, key)
			errs.Add(diag.Errorf(path, a.Line, a.Col, "example %s has no parameter %s", ex.Name, key))
		}
	}
	var out []templates.Param
	for _, p := range ex.Params {
		tp := templates.Param{Name: p.Name, Kind: p.Kind, Value: p.Default, Min: p.Min, Max: p.Max}
		if v, ok := n.Attr(p.Name); ok {
			a := attrOf(n, p.Name)
			if msg := checkValue(p, v); msg != "" {
				errs.Add(diag.Errorf(path, a.Line, a.Col, "%s=%s: %s", p.Name, v, msg))
			} else {
				tp.Value = v
			}
		}
		out = append(out, tp)
	}
	return out, errs
}

func checkValue(p examples.Param, v string) string {
	parse := func(s string) (int64, error) {
		if p.Kind == "duration" {
			d, err := time.ParseDuration(s)
			return int64(d), err
		}
		return strconv.ParseInt(s, 10, 64)
	}
	x, err := parse(v)
	if err != nil {
		if p.Kind == "duration" {
			return "not a Go duration (like 200ms or 1s)"
		}
		return "not a whole number"
	}
	if lo, err := parse(p.Min); err == nil && x < lo {
		return fmt.Sprintf("below the example's minimum %s", p.Min)
	}
	if hi, err := parse(p.Max); err == nil && x > hi {
		return fmt.Sprintf("above the example's maximum %s", p.Max)
	}
	return ""
}

// paramsJSON is the data-params attribute: {"tasks":{"value":5,"min":1,
// "max":10000},"delay":{"value":"1s",…}} in parameter order, numbers for
// ints and strings for durations.
func paramsJSON(ps []templates.Param) string {
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

// takeChoices removes the first task list from the question and returns
// its items as answers.
func (b *Builder) takeChoices(l *content.Lesson, n *directive.Node) []choice {
	var q ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if p, ok := c.(*directive.Part); ok && !p.Explanation {
			q = p
		}
	}
	if q == nil {
		return nil
	}
	var list *ast.List
	_ = ast.Walk(q, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if lst, ok := c.(*ast.List); ok && entering && list == nil && taskBox(lst.FirstChild()) != nil {
			list = lst
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if list == nil {
		return nil
	}
	var out []choice
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		box := taskBox(item)
		if box == nil {
			continue
		}
		box.Parent().RemoveChild(box.Parent(), box)
		html, err := b.md.RenderNode(l.Doc.Source, item)
		if err != nil {
			continue
		}
		h := strings.TrimSpace(string(html))
		h = strings.TrimSuffix(strings.TrimPrefix(h, "<li>"), "</li>")
		out = append(out, choice{html: template.HTML(strings.TrimSpace(h)), accepted: box.IsChecked})
	}
	list.Parent().RemoveChild(list.Parent(), list)
	return out
}

func taskBox(item ast.Node) *east.TaskCheckBox {
	if item == nil || item.FirstChild() == nil {
		return nil
	}
	box, _ := item.FirstChild().FirstChild().(*east.TaskCheckBox)
	return box
}

// signature is what must match between translations of a lesson.
func signature(n *directive.Node) string {
	s := n.Name
	for _, k := range []string{"example", "id"} {
		if v, ok := n.Attr(k); ok {
			s += " " + k + "=" + v
		}
	}
	return s
}

// checkStructure reports translations whose widgets differ from the
// English lesson: a learner switching language must find the same
// playgrounds and exercises in the same order.
func checkStructure(set *content.Set) diag.List {
	var errs diag.List
	ref := content.Langs[0]
	for _, lang := range content.Langs[1:] {
		for _, l := range set.ByLang[lang] {
			r := set.Lesson(ref, l.Slug)
			if r == nil {
				continue
			}
			errs = append(errs, checkOutline(r, l)...)
			a, b := r.Doc.Directives, l.Doc.Directives
			for i := 0; i < max(len(a), len(b)); i++ {
				switch {
				case i >= len(a):
					errs.Add(diag.Errorf(l.Path, b[i].Line, b[i].Col, "%s has no counterpart in %s (it has %d directives, this file %d)", signature(b[i]), r.Path, len(a), len(b)))
				case i >= len(b):
					errs.Add(diag.Errorf(l.Path, 0, 0, "missing %s: %s:%d has it (it has %d directives, this file %d)", signature(a[i]), r.Path, a[i].Line, len(a), len(b)))
				case signature(a[i]) != signature(b[i]):
					errs.Add(diag.Errorf(l.Path, b[i].Line, b[i].Col, "%s differs from %s:%d, which has %s at this place", signature(b[i]), r.Path, a[i].Line, signature(a[i])))
				default:
					continue
				}
				break
			}
		}
	}
	return errs
}

// checkOutline reports the first place where l's headings (their levels, in order) differ from
// those of its translation r: the languages are one lesson, section by section.
func checkOutline(r, l *content.Lesson) diag.List {
	a, b := r.Doc.Headings, l.Doc.Headings
	for i := 0; i < max(len(a), len(b)); i++ {
		switch {
		case i >= len(a):
			return diag.List{diag.Errorf(l.Path, b[i].Line, 1, "level-%d heading %q has no counterpart in %s (it has %d headings, this file %d)", b[i].Level, b[i].Text, r.Path, len(a), len(b))}
		case i >= len(b):
			return diag.List{diag.Errorf(l.Path, 0, 0, "missing a level-%d heading: %s:%d has %q (it has %d headings, this file %d)", a[i].Level, r.Path, a[i].Line, a[i].Text, len(a), len(b))}
		case a[i].Level != b[i].Level:
			return diag.List{diag.Errorf(l.Path, b[i].Line, 1, "level-%d heading %q where %s:%d has level %d (%q)", b[i].Level, b[i].Text, r.Path, a[i].Line, a[i].Level, a[i].Text)}
		}
	}
	return nil
}

// pageAnchors lists the ids a link may target on each page, by site path
// ("/en/goroutines/").
func pageAnchors(set *content.Set) map[string]map[string]bool {
	pages := map[string]map[string]bool{"/": {"wb-main": true}, "/404.html": {"wb-main": true}}
	for _, lang := range content.Langs {
		for _, l := range set.ByLang[lang] {
			ids := map[string]bool{"wb-main": true, "wb-toc": true}
			for _, h := range l.Doc.Headings {
				ids[h.ID] = true
			}
			pg := map[string]int{}
			for _, n := range l.Doc.Directives {
				ex, _ := n.Attr("example")
				id, _ := n.Attr("id")
				switch n.Name {
				case "playground":
					pg[ex]++
					ids[fmt.Sprintf("pg-%s-%d", ex, pg[ex])] = true
				case "exercise":
					ids["ex-"+id] = true
				case "challenge":
					ids["ch-"+id] = true
				}
			}
			pages["/"+lang+"/"+l.Slug+"/"] = ids
		}
	}
	return pages
}

// checkLinks reports internal links to pages that do not exist and
// fragments that match no id of the target page.
func checkLinks(set *content.Set) diag.List {
	var errs diag.List
	pages := pageAnchors(set)
	for _, lang := range content.Langs {
		for _, l := range set.ByLang[lang] {
			self := "/" + lang + "/" + l.Slug + "/"
			for _, link := range l.Doc.Links {
				u, err := url.Parse(link.Dest)
				if err != nil {
					errs.Add(diag.Errorf(l.Path, link.Line, link.Col, "malformed link %q: %v", link.Dest, err))
					continue
				}
				target := self
				if u.Path != "" {
					target = u.Path
					if !strings.HasPrefix(target, "/") {
						target = path.Join(path.Dir(strings.TrimSuffix(self, "/")+"/x"), target)
						if strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(target, "/") {
							target += "/"
						}
					}
					target = strings.TrimSuffix(target, "index.html")
				}
				ids, ok := pages[target]
				if !ok && set.Broken[target] {
					continue // the broken lesson's own errors say what is wrong
				}
				if !ok {
					hint := ""
					if _, ok := pages[target+"/"]; ok {
						hint = " (add the trailing /)"
					}
					errs.Add(diag.Errorf(l.Path, link.Line, link.Col, "dead link %q: no page %s%s", link.Dest, target, hint))
					continue
				}
				if u.Fragment != "" && !ids[u.Fragment] {
					errs.Add(diag.Errorf(l.Path, link.Line, link.Col, "dead link %q: %s has no heading with id %q", link.Dest, target, u.Fragment))
				}
			}
		}
	}
	return errs
}
