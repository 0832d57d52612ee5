// Package markdown is the workbook's one goldmark configuration: GitHub
// Flavored Markdown, YAML front matter, readable heading IDs that also work
// for Chinese headings, syntax highlighting with CSS classes (no inline
// styles, so one stylesheet serves the light and the dark theme) and the
// directive syntax of package directive.
//
// Parse keeps every position relative to the whole file, front matter
// included, so errors found in the body point at the line an author sees, and
// takes time linear in the file's size. A parsed Doc is never changed: Render
// takes what directives render to as an argument. Every code block is
// focusable and named (code.go), because a block that overflows its column
// must scroll from the keyboard.
package markdown

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/goccy/go-yaml"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"

	"unblocked/site/diag"
	"unblocked/site/markdown/directive"
)

// Options configure a Markdown.
type Options struct {
	// Base is the site's URL base path ("/" or "/sub/"). Links written as
	// root-absolute paths ("/en/goroutines/") are rewritten under it.
	Base string
}

// Markdown parses and renders lesson files. It is safe for concurrent use.
type Markdown struct {
	md   goldmark.Markdown
	base string
}

// yamlFormat decodes front matter with goccy/go-yaml in strict mode, so a
// misspelt key is an error instead of a silently empty field.
var yamlFormat = frontmatter.Format{
	Name:  "YAML",
	Delim: '-',
	Unmarshal: func(b []byte, v any) error {
		return yaml.UnmarshalWithOptions(b, v, yaml.Strict())
	},
}

// New returns a configured Markdown.
func New(opt Options) *Markdown {
	base := opt.Base
	if base == "" {
		base = "/"
	}
	return &Markdown{md: newGoldmark(nil), base: base}
}

// newGoldmark is the one goldmark configuration. Directives render through h (nil: a neutral
// <div>); Render makes one per call, so what a directive renders to is an argument of the
// render, never something stored on the parsed document.
func newGoldmark(h directive.Handler) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			&frontmatter.Extender{Formats: []frontmatter.Format{yamlFormat}},
			highlighting.NewHighlighting(append([]highlighting.Option{
				highlighting.WithGuessLanguage(false),
				highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
			}, highlightOptions()...)...),
			&directive.Extension{Handler: h},
			tableScroll{},
			indentedCode{},
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
}

// Heading is a heading with its generated ID.
type Heading struct {
	Level int
	ID    string
	Text  string
	Line  int
}

// Link is a link destination written in the lesson, with its position.
type Link struct {
	Dest      string
	Line, Col int
}

// Doc is a parsed lesson.
type Doc struct {
	Source      []byte
	AST         ast.Node
	FrontMatter *frontmatter.Data // nil without front matter
	Headings    []Heading
	Links       []Link            // internal links only: relative paths, root-absolute paths and #fragments
	Directives  []*directive.Node // in document order: Directives[i].Index == i
	// BodyStart is the byte offset where the Markdown after the front matter begins.
	BodyStart int

	lines *diag.Lines
}

// TOC returns the h2 and h3 headings.
func (d *Doc) TOC() []Heading {
	var toc []Heading
	for _, h := range d.Headings {
		if h.Level == 2 || h.Level == 3 {
			toc = append(toc, h)
		}
	}
	return toc
}

// Position converts a byte offset of the source into a 1-based line and byte column.
func (d *Doc) Position(off int) (line, col int) { return d.lines.Position(off) }

// Parse parses src. It never fails: problems are found by inspecting the Doc. It takes time
// linear in the size of src, however many headings and directives it holds. The Doc is
// never changed afterwards: render it as often as needed, from any goroutine.
func (m *Markdown) Parse(src []byte) *Doc {
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	root := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	d := &Doc{Source: src, AST: root, FrontMatter: frontmatter.Get(pc), lines: diag.NewLines(src)}
	if d.FrontMatter != nil {
		d.BodyStart = frontMatterEnd(src)
	}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			line := 0
			if n.Lines().Len() > 0 {
				line, _ = d.Position(n.Lines().At(0).Start)
			}
			d.Headings = append(d.Headings, Heading{Level: n.Level, ID: string(idb), Text: plainText(n, src), Line: line})
		case *ast.Link:
			dest := string(n.Destination)
			if !isInternal(dest) {
				break
			}
			line, col := 0, 0
			if p := n.Pos(); p >= 0 {
				line, col = d.Position(p)
			}
			d.Links = append(d.Links, Link{Dest: dest, Line: line, Col: col})
			if strings.HasPrefix(dest, "/") && m.base != "/" {
				n.Destination = []byte(m.base + dest[1:])
			}
		case *directive.Node:
			d.Directives = append(d.Directives, n)
		}
		return ast.WalkContinue, nil
	})
	return d
}

// Render returns the HTML of a parsed Doc, its directives rendered by h (nil: a neutral
// <div> per directive).
func (m *Markdown) Render(d *Doc, h directive.Handler) ([]byte, error) {
	var buf bytes.Buffer
	if err := newGoldmark(h).Renderer().Render(&buf, d.Source, d.AST); err != nil {
		return nil, err
	}
	return compact(buf.Bytes()), nil // the fenced blocks goldmark-highlighting wrote
}

// frontMatterEnd returns the offset after the closing delimiter line.
func frontMatterEnd(src []byte) int {
	off := 0
	for i := 0; off < len(src); i++ {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		if i > 0 && strings.TrimRight(string(src[off:next]), "\r\n") == "---" {
			return next
		}
		off = next
	}
	return len(src)
}

func isInternal(dest string) bool {
	if dest == "" || strings.HasPrefix(dest, "//") {
		return false
	}
	u, err := url.Parse(dest)
	if err != nil {
		return true // reported as dead by the checker
	}
	return u.Scheme == "" && u.Host == ""
}

// plainText concatenates the text of n's inline descendants.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// ids makes heading IDs from the heading text: lower-cased letters and
// digits of any script are kept (goldmark's default drops every non-ASCII
// byte, which turns a Chinese heading into "heading"), runs of spaces, '-'
// and '_' become one '-', everything else is dropped. Repeats get -1, -2….
type ids struct {
	used map[string]bool
	// next is, per ID, the suffix to try first for its next repeat: every smaller one is
	// taken already, so 8,000 headings "Same" cost 8,000 probes, not 32 million.
	next   map[string]int
	probes int // candidates tried, for the test that keeps this linear
}

func newIDs() *ids { return &ids{used: map[string]bool{}, next: map[string]int{}} }

// Slug is the ID a heading with this text gets when it is the first one.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '-' || r == '_':
			dash = true
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	id := Slug(stripMarkup(string(value)))
	s.probes++
	if !s.used[id] {
		s.used[id] = true
		return []byte(id)
	}
	for i := max(s.next[id], 1); ; i++ {
		s.probes++
		c := id + "-" + strconv.Itoa(i)
		if !s.used[c] {
			s.used[c] = true
			s.next[id] = i + 1
			return []byte(c)
		}
	}
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// stripMarkup removes the inline syntax goldmark passes along with the raw
// heading text, so "`go` keyword" and "go keyword" get the same ID.
func stripMarkup(s string) string {
	return strings.NewReplacer("`", "", "*", "", "[", "", "]", "").Replace(s)
}
