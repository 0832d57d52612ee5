package content

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"unblocked/site/diag"
	"unblocked/site/markdown"
)

// CheckTypography reports typography that does not suit the lesson's
// language, as content errors at path:line:col. Only Chinese has rules so
// far (lessons/zh/…); other paths get nil.
//
// The Chinese rules apply to Chinese prose: the text of paragraphs,
// headings, list items and table cells that hold Chinese, and the title and
// summary in the front matter; a table cell of Latin terms alone, or a quoted
// English sentence on a line of its own, keeps its punctuation.
// Code blocks, code spans, raw HTML, links' destinations and directive
// attributes keep their own punctuation, and so do numbers (1,000, 10:30,
// 0.5) and calls named in prose (r.Context()). In prose:
//
//   - punctuation is full-width: "，" "：" "；" "！" "？" "（" "）", "。"
//     after Chinese, "……" rather than "...";
//   - Chinese and Latin letters or digits are separated by a space
//     ("一个 goroutine", "3 秒"), code spans count as Latin;
//   - full-width punctuation has no space before it (nor after "（").
func CheckTypography(path string, doc *markdown.Doc) diag.List {
	if !strings.HasPrefix(path, "lessons/zh/") {
		return nil
	}
	c := &zhChecker{path: path, doc: doc}
	c.frontMatter()
	_ = ast.Walk(doc.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeBlock && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeInline {
			var run []zhRune
			c.inline(n, &run)
			c.check(run)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return c.errs
}

// zhRune is one character of prose and its byte offset in the file; off < 0
// marks a stand-in: a space for a line break, stand for a code span or a
// link written as a URL (Latin text whose own characters are not checked).
type zhRune struct {
	r   rune
	off int
}

// stand is the stand-in for a code span: a private-use character, so it is
// never mistaken for text.
const stand = '\uE000'

type zhChecker struct {
	path string
	doc  *markdown.Doc
	errs diag.List
}

func (c *zhChecker) errorf(off int, format string, args ...any) {
	line, col := c.doc.Position(off)
	c.errs.Add(diag.Errorf(c.path, line, col, format, args...))
}

// inline appends the prose of n's inline descendants to run.
func (c *zhChecker) inline(n ast.Node, run *[]zhRune) {
	src := c.doc.Source
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *ast.Text:
			seg := ch.Segment
			for i := seg.Start; i < seg.Stop; {
				r, size := utf8.DecodeRune(src[i:])
				*run = append(*run, zhRune{r, i})
				i += size
			}
			if ch.SoftLineBreak() || ch.HardLineBreak() {
				*run = append(*run, zhRune{' ', -1})
			}
		case *ast.CodeSpan, *ast.AutoLink, *ast.RawHTML:
			*run = append(*run, zhRune{stand, -1})
		case *ast.Image, *east.TaskCheckBox:
			// alt text and check boxes are not prose of this line
		default:
			c.inline(ch, run)
		}
	}
}

// frontMatter checks the title and summary lines.
func (c *zhChecker) frontMatter() {
	src := c.doc.Source[:c.doc.BodyStart]
	off := 0
	for _, line := range strings.SplitAfter(string(src), "\n") {
		for _, key := range []string{"title:", "summary:"} {
			if !strings.HasPrefix(line, key) {
				continue
			}
			var run []zhRune
			start := off + len(key)
			for i, r := range strings.TrimRight(line[len(key):], "\r\n") {
				if (r == '"' || r == '\'') && strings.TrimSpace(line[len(key):len(key)+i]) == "" {
					continue // the opening quote of a YAML string
				}
				run = append(run, zhRune{r, start + i})
			}
			c.check(run)
		}
		off += len(line)
	}
}

// zhFullWidth maps the ASCII punctuation that prose writes full-width.
var zhFullWidth = map[rune]string{',': "，", ':': "：", ';': "；", '!': "！", '?': "？", '(': "（", ')': "）"}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isLatin is a letter or digit written with a space next to Chinese.
func isLatin(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// isCJKPunct is full-width punctuation, which takes no space before it.
func isCJKPunct(r rune) bool { return strings.ContainsRune("，。、；：！？）」』", r) }

func (c *zhChecker) check(run []zhRune) {
	at := func(i int) rune {
		if i < 0 || i >= len(run) {
			return ' '
		}
		return run[i].r
	}
	chinese := false
	for _, x := range run {
		chinese = chinese || isHan(x.r)
	}
	for i, x := range run {
		prev, next := at(i-1), at(i+1)
		if x.off < 0 {
			if x.r == stand && isHan(next) {
				c.errorf(run[i+1].off, "no space between code and Chinese in %q", "`…`"+string(next))
			}
			continue
		}
		switch {
		case zhFullWidth[x.r] != "":
			if !chinese || (x.r == ',' || x.r == ':') && unicode.IsDigit(prev) && unicode.IsDigit(next) {
				continue // 10,000 and 10:30
			}
			if x.r == '(' && next == ')' && isLatin(prev) || x.r == ')' && prev == '(' && isLatin(at(i-2)) {
				continue // a call written in prose, r.Context()
			}
			c.errorf(x.off, "ASCII %q in Chinese prose (use %q)", string(x.r), zhFullWidth[x.r])
		case x.r == '.' && prev == '.' && next == '.':
			c.errorf(run[i-1].off, `ASCII "..." in Chinese prose (use "……")`)
		case x.r == '.' && (isHan(prev) || isCJKPunct(prev)) && !isLatin(next) && next != '.':
			c.errorf(x.off, `ASCII "." after Chinese (use "。")`)
		case isHan(x.r) && next == stand:
			c.errorf(x.off, "no space between Chinese and code in %q", string(x.r)+"`…`")
		case isHan(x.r) && isLatin(next) || isLatin(x.r) && isHan(next):
			c.errorf(run[i+1].off, "no space between Chinese and Latin text in %q", string([]rune{x.r, next}))
		case x.r == ' ' && isCJKPunct(next):
			c.errorf(x.off, "space before %q in Chinese prose", string(next))
		case x.r == ' ' && prev == '（':
			c.errorf(x.off, `space after "（" in Chinese prose`)
		}
	}
}
