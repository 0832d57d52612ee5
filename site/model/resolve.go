package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"unblocked/site/content"
	"unblocked/site/diag"
	"unblocked/site/examples"
	"unblocked/site/language"
	"unblocked/site/markdown/directive"
)

// Input is what the resolve stage reads.
type Input struct {
	Base    string       // URL base path, "/" or "/sub/"
	Lessons *content.Set // loaded lessons (those that failed to load are in Broken)
	// Examples by name; nil when they failed to load: their own errors are reported, and
	// every reference would otherwise be reported as unknown too. Without them the rest is
	// checked, but there is no model.
	Examples map[string]*examples.Example
	// Modules maps a bundle name (examples.BundleOf) to the URL of its compiled module.
	Modules map[string]string
}

// Resolve validates every directive against the examples, every internal link against the
// pages and their ids, and builds the model, in which every lesson has one widget per
// directive. The error lists every problem found (unsorted); the model is nil when there is
// any.
func Resolve(in Input) (*Site, diag.List) {
	s := &Site{Base: in.Base, Lessons: map[string][]*Lesson{}, Langs: language.Codes()}
	var errs diag.List
	for _, lang := range s.Langs {
		ids := map[string]string{} // exercise/challenge id → where first used
		for _, cl := range in.Lessons.ByLang[lang] {
			l := &Lesson{
				Lang: cl.Lang, Slug: cl.Slug, Path: cl.Path,
				Title: cl.Title, Summary: cl.Summary, Section: cl.Section,
				URL: LessonURL(in.Base, cl.Lang, cl.Slug), Doc: cl.Doc, Hash: cl.Hash,
			}
			pageIDs := PageIDs(cl.Doc.Directives)
			for i, n := range cl.Doc.Directives {
				w, werrs := resolveWidget(in, cl, n)
				errs = append(errs, werrs...)
				if w == nil {
					continue
				}
				w.PageID = pageIDs[i]
				if w.ID != "" {
					if prev, dup := ids[w.ID]; dup {
						errs.Add(diag.Errorf(cl.Path, n.Line, n.Col, "duplicate %s id %q (also used at %s)", n.Name, w.ID, prev))
						continue
					}
					ids[w.ID] = fmt.Sprintf("%s:%d", cl.Path, n.Line)
				}
				l.Widgets = append(l.Widgets, w)
			}
			s.Lessons[lang] = append(s.Lessons[lang], l)
		}
		ls := s.Lessons[lang]
		for i, l := range ls {
			if i > 0 {
				l.Prev = ls[i-1]
			}
			if i+1 < len(ls) {
				l.Next = ls[i+1]
			}
		}
	}
	for _, lang := range s.Langs {
		for _, l := range s.Lessons[lang] {
			for _, other := range s.Langs {
				if o := s.Lesson(other, l.Slug); other != lang && o != nil {
					l.Translations = append(l.Translations, o)
				}
			}
		}
	}
	errs = append(errs, checkLinks(in.Lessons)...)
	if len(errs) > 0 || in.Examples == nil {
		return nil, errs
	}
	return s, nil
}

// Attributes allowed on each directive, besides the example's parameters.
var directiveAttrs = map[Kind][]string{
	Playground: {"example"},
	Exercise:   {"id", "example", "run", "predict"},
	Challenge:  {"id", "example", "check", "start", "solution"},
}

// ChallengeChecks are the values of a challenge's check=, each judged by its own function in
// site/assets/js/judge.js (docs/arch/challenges.md says what each requires).
var ChallengeChecks = []string{"concurrent", "bounded", "wait", "fanout", "leak", "timeout", "race", "close", "shutdown", "starve"}

var paramNames = []string{"tasks", "delay", "limit"}

// resolveWidget validates one directive and resolves it; the widget is nil when anything is
// wrong with it.
func resolveWidget(in Input, l *content.Lesson, n *directive.Node) (*Widget, diag.List) {
	var errs diag.List
	at := func(line, col int, format string, args ...any) {
		errs.Add(diag.Errorf(l.Path, line, col, format, args...))
	}
	attrAt := func(key, format string, args ...any) {
		line, col := n.AttrPos(key)
		at(line, col, format, args...)
	}
	for _, e := range n.Errors {
		at(e.Line, e.Col, "%s", e.Msg)
	}
	kind := Kind(n.Name)
	allowed, known := directiveAttrs[kind]
	if !known {
		at(n.Line, n.Col, "unknown directive %s (want ::playground, :::exercise or :::challenge)", n.Name)
		return nil, errs
	}
	if n.Container != (kind != Playground) {
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
			attrAt(key, "%s=%s: want one of %s", key, v, strings.Join(values, ", "))
			return ""
		}
		return v
	}
	w := &Widget{Kind: kind, Lang: l.Lang}
	name := req("example")
	switch kind {
	case Exercise:
		w.ID = req("id")
		w.Run = req("run", "sync", "concurrent")
		w.Predict = req("predict", "elapsed", "choice")
	case Challenge:
		w.ID = req("id")
		w.Check = req("check", ChallengeChecks...)
		w.Start, w.Solution = "sync", "concurrent"
		if v, ok := n.Attr("start"); ok {
			w.Start = v
		}
		if v, ok := n.Attr("solution"); ok {
			w.Solution = v
		}
	}
	if w.ID != "" && !validID(w.ID) {
		attrAt("id", "id=%s: use lower-case letters, digits and -", w.ID)
	}
	var ex *examples.Example
	if name != "" && in.Examples != nil {
		ex = in.Examples[name]
		if ex == nil {
			attrAt("example", "unknown example %q (no wasm/%s/example.yaml)", name, name)
		} else {
			var perrs diag.List
			w.Params, perrs = resolveParams(l.Path, n, ex)
			errs = append(errs, perrs...)
			if w.Check == "bounded" && !hasParam(ex, "limit") {
				at(n.Line, n.Col, "check=bounded needs an example with a limit parameter; %s has none", ex.Name)
			}
			if kind == Challenge {
				for _, key := range []string{"start", "solution"} {
					v := w.Start
					if key == "solution" {
						v = w.Solution
					}
					if _, ok := ex.Program(v); !ok {
						attrAt(key, "%s=%s: example %s has no program wasm/%s/%s/main.go (it has %s)", key, v, ex.Name, ex.Name, v, strings.Join(ex.ProgramFolders(), ", "))
					}
				}
				if w.Start == w.Solution {
					at(n.Line, n.Col, "challenge: start and solution are the same program (%s)", w.Start)
				}
			}
		}
	}
	if w.Predict == "choice" {
		w.Choices = n.Choices()
		switch {
		case len(w.Choices) == 0:
			at(n.Line, n.Col, "predict=choice needs a task list in the question (- [x] accepted answer, - [ ] wrong answer)")
		case !slices.ContainsFunc(w.Choices, func(c *directive.Choice) bool { return c.Accepted }):
			at(n.Line, n.Col, "predict=choice: no answer is checked (- [x])")
		}
	}
	if len(errs) > 0 || ex == nil {
		return nil, errs
	}
	w.Example, w.Net, w.Speedup, w.CPU = ex.Name, ex.Net, ex.Speedup, ex.CPU
	w.Title = ex.Title[l.Lang]
	if w.Title == "" {
		w.Title = ex.Name
	}
	w.Programs = map[string]string{}
	for _, v := range ex.ProgramFolders() {
		if m, ok := in.Modules[examples.BundleOf(ex)]; ok {
			w.Programs[v] = m + "#" + examples.ProgramName(ex, v)
		}
	}
	shown := []string{"sync", "concurrent"}
	if kind == Challenge {
		shown = []string{w.Start, w.Solution}
	}
	for _, v := range shown {
		src, _ := ex.Program(v)
		w.Sources = append(w.Sources, Source{Variant: v, Path: src.Path, Code: src.Code})
	}
	if ex.Python != nil && w.Kind == Playground {
		w.PySources = []Source{
			{Variant: "sync", Path: ex.Python.Sync.Path, Code: ex.Python.Sync.Code},
			{Variant: "concurrent", Path: ex.Python.Concurrent.Path, Code: ex.Python.Concurrent.Code},
		}
	}
	return w, nil
}

func validID(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return s != ""
}

func hasParam(ex *examples.Example, name string) bool {
	return slices.ContainsFunc(ex.Params, func(p examples.Param) bool { return p.Name == name })
}

// resolveParams applies the directive's overrides to the example's defaults, checking kind
// and range.
func resolveParams(path string, n *directive.Node, ex *examples.Example) ([]Param, diag.List) {
	var errs diag.List
	for _, key := range paramNames {
		if _, ok := n.Attr(key); ok && !hasParam(ex, key) {
			line, col := n.AttrPos(key)
			errs.Add(diag.Errorf(path, line, col, "example %s has no parameter %s", ex.Name, key))
		}
	}
	var out []Param
	for _, p := range ex.Params {
		rp := Param{Param: p, Value: p.Default}
		if v, ok := n.Attr(p.Name); ok {
			if msg := checkValue(p, v); msg != "" {
				line, col := n.AttrPos(p.Name)
				errs.Add(diag.Errorf(path, line, col, "%s=%s: %s", p.Name, v, msg))
			} else {
				rp.Value = v
			}
		}
		out = append(out, rp)
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
