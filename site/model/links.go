package model

import (
	"net/url"
	"path"
	"strings"

	"unblocked/site/content"
	"unblocked/site/diag"
	"unblocked/site/language"
)

// anchors lists the ids a link may target on each page, by site path ("/en/goroutines/"):
// the reserved ids, the headings and the widgets.
func anchors(set *content.Set) map[string]map[string]bool {
	pages := map[string]map[string]bool{"/": {MainID: true}, "/404.html": {MainID: true}}
	for _, lang := range language.Codes() {
		for _, l := range set.ByLang[lang] {
			ids := map[string]bool{MainID: true, TOCID: true}
			for _, h := range l.Doc.Headings {
				ids[h.ID] = true
			}
			for _, id := range PageIDs(l.Doc.Directives) {
				ids[id] = true
			}
			pages[LessonURL("/", lang, l.Slug)] = ids
		}
	}
	return pages
}

// checkLinks reports internal links to pages that do not exist and fragments that match no
// id of the target page. Paths are checked as written, before the base path is added.
func checkLinks(set *content.Set) diag.List {
	var errs diag.List
	pages := anchors(set)
	broken := map[string]bool{}
	for r := range set.Broken {
		broken[LessonURL("/", r.Lang, r.Slug)] = true
	}
	for _, lang := range language.Codes() {
		for _, l := range set.ByLang[lang] {
			self := LessonURL("/", lang, l.Slug)
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
				if !ok && broken[target] {
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
