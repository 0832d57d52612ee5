// Package content loads and validates the lessons.
//
// A lesson is lessons/<lang>/<NN>-<slug>.md, lang ∈ {en, zh}. NN (two
// digits) gives the order, the slug is the URL (/<lang>/<slug>/) and must
// exist in every language. The file starts with YAML front matter between
// two "---" lines:
//
//	---
//	title: Sync vs concurrent   # required
//	summary: One sentence.      # required: <meta name=description> and the index
//	section: "…"                # optional: the article section the lesson mirrors
//	---
//
// followed by a non-empty Markdown body (see package markdown and package
// directive for the syntax). A file is UTF-8; a leading byte-order mark (which
// some Windows editors write) is accepted and dropped, so positions count from
// the first character an editor shows. Translations must match the English
// lesson: the same headings (levels, in order) and the same directives (kind,
// example and id, in order). Every problem is reported as a diag.Error at
// path:line:col, and Load reports all of them at once.
package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"unblocked/site/diag"
	"unblocked/site/language"
	"unblocked/site/markdown"
)

// Meta is the front matter of a lesson.
type Meta struct {
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
	Section string `yaml:"section"`
}

// Lesson is one parsed, valid lesson file.
type Lesson struct {
	Lang  string
	Slug  string
	Order int    // NN from the file name
	Path  string // repo-relative: lessons/en/01-sync-vs-concurrent.md
	Meta
	Doc  *markdown.Doc
	Hash [sha256.Size]byte // of the file's bytes
}

// Set is every lesson, by language, in order.
type Set struct {
	ByLang map[string][]*Lesson
	// Broken holds the lesson files that exist but did not load: their own errors are
	// reported, and links to them are not dead links on top.
	Broken map[Ref]bool
}

// Ref names a lesson by language and slug.
type Ref struct{ Lang, Slug string }

// Lesson returns the lesson of lang with slug, or nil.
func (s *Set) Lesson(lang, slug string) *Lesson {
	for _, l := range s.ByLang[lang] {
		if l.Slug == slug {
			return l
		}
	}
	return nil
}

// Loader loads lessons and keeps the parsed form of each file between calls,
// keyed by path and content hash, so a rebuild after editing one lesson
// parses only that lesson.
type Loader struct {
	MD *markdown.Markdown

	mu    sync.Mutex
	cache map[string]*cached
}

type cached struct {
	hash   [sha256.Size]byte
	lesson *Lesson
	errs   diag.List
}

var nameRE = regexp.MustCompile(`^([0-9]{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)

// Load reads and validates every lesson of fsys, a file system rooted at the repository,
// reusing the parse of every file whose bytes did not change since the last call (and
// forgetting files that are gone). The error, if any, is a diag.List with every problem.
func (ld *Loader) Load(fsys fs.FS) (*Set, error) {
	var errs diag.List
	langs := language.Codes()
	set := &Set{ByLang: map[string][]*Lesson{}, Broken: map[Ref]bool{}}
	dirs, err := fs.ReadDir(fsys, "lessons")
	if err != nil {
		errs.Add(diag.Errorf("lessons", 0, 0, "cannot read the lessons folder: %v", unwrapPath(err)))
		return nil, errs
	}
	for _, d := range dirs {
		if strings.HasPrefix(d.Name(), ".") {
			continue
		}
		if !d.IsDir() || !slices.Contains(langs, d.Name()) {
			errs.Add(diag.Errorf("lessons/"+d.Name(), 0, 0, "unexpected entry: lessons/ holds one folder per language (%s)", strings.Join(langs, ", ")))
		}
	}
	seen := map[string]bool{}
	newCache := map[string]*cached{}
	for _, lang := range langs {
		dir := "lessons/" + lang
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			errs.Add(diag.Errorf(dir, 0, 0, "missing language folder: %v", unwrapPath(err)))
			continue
		}
		bySlug := map[string]string{}
		byOrder := map[int]string{}
		for _, e := range entries {
			name := e.Name()
			p := dir + "/" + name
			if strings.HasPrefix(name, ".") {
				continue
			}
			m := nameRE.FindStringSubmatch(name)
			if e.IsDir() || m == nil {
				errs.Add(diag.Errorf(p, 0, 0, "bad file name: want NN-slug.md (two digits, then lower-case words joined by -)"))
				continue
			}
			order, _ := strconv.Atoi(m[1])
			slug := m[2]
			if prev, ok := bySlug[slug]; ok {
				errs.Add(diag.Errorf(p, 0, 0, "duplicate slug %q (also %s)", slug, prev))
				continue
			}
			bySlug[slug] = p
			if prev, ok := byOrder[order]; ok {
				errs.Add(diag.Errorf(p, 0, 0, "duplicate order %s (also %s)", m[1], prev))
			}
			byOrder[order] = p
			src, err := fs.ReadFile(fsys, p)
			if err != nil {
				errs.Add(diag.Errorf(p, 0, 0, "%v", unwrapPath(err)))
				continue
			}
			seen[p] = true
			c := ld.parse(p, src)
			newCache[p] = c
			errs = append(errs, c.errs...)
			if c.lesson == nil {
				set.Broken[Ref{lang, slug}] = true
				continue
			}
			l := *c.lesson
			l.Lang, l.Slug, l.Order = lang, slug, order
			set.ByLang[lang] = append(set.ByLang[lang], &l)
		}
		slices.SortFunc(set.ByLang[lang], func(a, b *Lesson) int { return a.Order - b.Order })
	}
	ld.mu.Lock()
	ld.cache = newCache
	ld.mu.Unlock()
	errs = append(errs, crossCheck(fsys, set)...)
	errs = append(errs, checkTranslations(set)...)
	if len(errs) > 0 {
		errs.Sort()
		return set, errs
	}
	return set, nil
}

// crossCheck reports lessons that exist in one language only. Files that
// failed to parse still count as existing, so one broken file does not
// also produce a "missing" error for its translation.
func crossCheck(fsys fs.FS, set *Set) diag.List {
	var errs diag.List
	langs := language.Codes()
	names := map[string]map[string]string{} // lang → slug → file name
	for _, lang := range langs {
		names[lang] = map[string]string{}
		entries, _ := fs.ReadDir(fsys, "lessons/"+lang)
		for _, e := range entries {
			if m := nameRE.FindStringSubmatch(e.Name()); m != nil && !e.IsDir() {
				if _, dup := names[lang][m[2]]; !dup {
					names[lang][m[2]] = e.Name()
				}
			}
		}
	}
	for _, lang := range langs {
		for slug, name := range names[lang] {
			for _, other := range langs {
				if other == lang {
					continue
				}
				oname, ok := names[other][slug]
				switch {
				case !ok:
					errs.Add(diag.Errorf("lessons/"+lang+"/"+name, 0, 0, "lesson missing in %s: lessons/%s/%s does not exist", other, other, name))
				case oname[:2] != name[:2] && lang < other:
					errs.Add(diag.Errorf("lessons/"+lang+"/"+name, 0, 0, "order %s differs from lessons/%s/%s", name[:2], other, oname))
				}
			}
		}
	}
	return errs
}

func (ld *Loader) parse(p string, src []byte) *cached {
	h := sha256.Sum256(src)
	ld.mu.Lock()
	c := ld.cache[p]
	ld.mu.Unlock()
	if c != nil && c.hash == h {
		return c
	}
	c = &cached{hash: h}
	c.lesson, c.errs = parseLesson(ld.MD, p, src)
	if c.lesson != nil {
		c.lesson.Hash = h
	}
	return c
}

// bom is the UTF-8 byte-order mark.
var bom = []byte("\xef\xbb\xbf")

func parseLesson(md *markdown.Markdown, p string, src []byte) (*Lesson, diag.List) {
	var errs diag.List
	src = bytes.TrimPrefix(src, bom)
	if line, col, ok := badUTF8(src); ok {
		errs.Add(diag.Errorf(p, line, col, "invalid UTF-8"))
		return nil, errs
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, col := diag.NewLines(src).Position(i)
		errs.Add(diag.Errorf(p, line, col, "NUL byte (U+0000): a lesson is text; delete it"))
		return nil, errs
	}
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		errs.Add(diag.Errorf(p, 1, 1, "missing front matter: the file must start with a --- line, then title: and summary:, then ---"))
		return nil, errs
	}
	if !closedFrontMatter(src) {
		errs.Add(diag.Errorf(p, 1, 1, "front matter is not closed by a --- line"))
		return nil, errs
	}
	doc := md.Parse(src)
	l := &Lesson{Path: p, Doc: doc}
	if doc.FrontMatter == nil {
		errs.Add(diag.Errorf(p, 1, 1, "missing front matter"))
		return nil, errs
	}
	if err := doc.FrontMatter.Decode(&l.Meta); err != nil {
		errs.Add(yamlError(p, err))
		return nil, errs
	}
	fmLines := strings.Split(string(src[:doc.BodyStart]), "\n")
	keyLine := func(key string) int {
		for i, s := range fmLines {
			if strings.HasPrefix(s, key+":") {
				return i + 1
			}
		}
		return 1
	}
	for _, f := range []struct{ key, val string }{{"title", l.Title}, {"summary", l.Summary}} {
		if strings.TrimSpace(f.val) == "" {
			col := 1
			if keyLine(f.key) == 1 {
				errs.Add(diag.Errorf(p, 1, col, "front matter: missing %s", f.key))
			} else {
				errs.Add(diag.Errorf(p, keyLine(f.key), col, "front matter: %s is empty", f.key))
			}
		}
	}
	if doc.AST.ChildCount() == 0 {
		line, _ := doc.Position(doc.BodyStart)
		errs.Add(diag.Errorf(p, line, 0, "empty lesson: no Markdown after the front matter"))
	}
	errs = append(errs, CheckTypography(p, doc)...)
	if len(errs) > 0 {
		return nil, errs
	}
	return l, nil
}

func closedFrontMatter(src []byte) bool {
	lines := strings.Split(string(src), "\n")
	for _, s := range lines[1:] {
		if strings.TrimRight(s, "\r") == "---" {
			return true
		}
	}
	return false
}

// badUTF8 finds the first invalid byte and returns its line and byte column.
func badUTF8(src []byte) (line, col int, ok bool) {
	if utf8.Valid(src) {
		return 0, 0, false
	}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			line, col = diag.NewLines(src).Position(i)
			return line, col, true
		}
		i += size
	}
	return 0, 0, false
}

// yamlError converts a go-yaml error, whose lines count from the first line
// of the front matter, into a position in the file (one line further down,
// past the opening ---).
func yamlError(p string, err error) diag.Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return diag.Errorf(p, tk.Position.Line+1, tk.Position.Column, "front matter: %s", ye.GetMessage())
		}
		return diag.Errorf(p, 1, 1, "front matter: %s", ye.GetMessage())
	}
	return diag.Errorf(p, 1, 1, "front matter: %v", err)
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
