package content

import (
	"unblocked/site/diag"
	"unblocked/site/language"
	"unblocked/site/markdown"
	"unblocked/site/markdown/directive"
)

// checkTranslations reports, for every lesson of a language other than the first, the first
// place where it differs from the same lesson in the first language: a learner switching
// language must find the same sections and the same playgrounds and exercises, in the same
// order, and progress (stored by exercise id) is shared between languages.
func checkTranslations(set *Set) diag.List {
	var errs diag.List
	langs := language.Codes()
	for _, lang := range langs[1:] {
		for _, l := range set.ByLang[lang] {
			if r := set.Lesson(langs[0], l.Slug); r != nil {
				errs = append(errs, checkOutline(r, l)...)
				errs = append(errs, checkDirectives(r, l)...)
			}
		}
	}
	return errs
}

// checkOutline reports the first place where l's headings (their levels, in order) differ from
// those of its translation r: the languages are one lesson, section by section.
func checkOutline(r, l *Lesson) diag.List {
	return sequence[markdown.Heading]{
		ref: r.Doc.Headings, got: l.Doc.Headings,
		same: func(a, b markdown.Heading) bool { return a.Level == b.Level },
		extra: func(b markdown.Heading, na, nb int) diag.Error {
			return diag.Errorf(l.Path, b.Line, 1, "level-%d heading %q has no counterpart in %s (it has %d headings, this file %d)", b.Level, b.Text, r.Path, na, nb)
		},
		missing: func(a markdown.Heading, na, nb int) diag.Error {
			return diag.Errorf(l.Path, 0, 0, "missing a level-%d heading: %s:%d has %q (it has %d headings, this file %d)", a.Level, r.Path, a.Line, a.Text, na, nb)
		},
		differs: func(a, b markdown.Heading) diag.Error {
			return diag.Errorf(l.Path, b.Line, 1, "level-%d heading %q where %s:%d has level %d (%q)", b.Level, b.Text, r.Path, a.Line, a.Level, a.Text)
		},
	}.check()
}

// checkDirectives reports the first directive of l that differs from its translation r's.
func checkDirectives(r, l *Lesson) diag.List {
	return sequence[*directive.Node]{
		ref: r.Doc.Directives, got: l.Doc.Directives,
		same: func(a, b *directive.Node) bool { return signature(a) == signature(b) },
		extra: func(b *directive.Node, na, nb int) diag.Error {
			return diag.Errorf(l.Path, b.Line, b.Col, "%s has no counterpart in %s (it has %d directives, this file %d)", signature(b), r.Path, na, nb)
		},
		missing: func(a *directive.Node, na, nb int) diag.Error {
			return diag.Errorf(l.Path, 0, 0, "missing %s: %s:%d has it (it has %d directives, this file %d)", signature(a), r.Path, a.Line, na, nb)
		},
		differs: func(a, b *directive.Node) diag.Error {
			return diag.Errorf(l.Path, b.Line, b.Col, "%s differs from %s:%d, which has %s at this place", signature(b), r.Path, a.Line, signature(a))
		},
	}.check()
}

// sequence is one kind of item a translation repeats in order: ref's (the first language's)
// and got's. check reports the first place they differ, with the message for that case.
type sequence[T any] struct {
	ref, got []T
	same     func(a, b T) bool
	extra    func(b T, na, nb int) diag.Error // got has an item past ref's last
	missing  func(a T, na, nb int) diag.Error // ref has an item past got's last
	differs  func(a, b T) diag.Error
}

func (s sequence[T]) check() diag.List {
	na, nb := len(s.ref), len(s.got)
	for i := range max(na, nb) {
		switch {
		case i >= na:
			return diag.List{s.extra(s.got[i], na, nb)}
		case i >= nb:
			return diag.List{s.missing(s.ref[i], na, nb)}
		case !s.same(s.ref[i], s.got[i]):
			return diag.List{s.differs(s.ref[i], s.got[i])}
		}
	}
	return nil
}

// signature is what must match between translations of a directive.
func signature(n *directive.Node) string {
	s := n.Name
	for _, k := range []string{"example", "id"} {
		if v, ok := n.Attr(k); ok {
			s += " " + k + "=" + v
		}
	}
	return s
}
