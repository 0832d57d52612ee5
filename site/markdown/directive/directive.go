// Package directive is the workbook's one custom Markdown syntax, as a
// goldmark extension.
//
// A leaf directive is a whole line:
//
//	::playground{example=sleep tasks=5 delay=1s}
//
// A container directive wraps ordinary Markdown and ends at a line holding
// only ":::":
//
//	:::exercise{id=sleep-50 example=sleep run=concurrent}
//	Question (Markdown).
//
//	---
//
//	Explanation (Markdown).
//	:::
//
// The content of a container is split at its first thematic break into a
// question and an explanation ([Part] nodes). Attribute values are bare
// words or double-quoted strings (with \" and \\ escapes). Syntax problems
// do not stop parsing: they are kept on the [Node] with their positions so
// that a checker can report every one of them.
//
// Containers do not nest, and a line holding only ":::" closes the open
// container even inside a fenced code block of its content.
//
// What a directive means is not decided here: the extension renders each
// directive by calling a [Handler] supplied by the site builder.
package directive

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindDirective and KindPart identify the nodes of this package.
var (
	KindDirective = ast.NewNodeKind("Directive")
	KindPart      = ast.NewNodeKind("DirectivePart")
)

// Attr is one name=value pair, in source order.
type Attr struct {
	Key, Value string
	Line, Col  int // position of the key
}

// Error is a syntax problem inside a directive line. Line and Col are 1-based
// byte positions in the parsed source.
type Error struct {
	Line, Col int
	Msg       string
}

// Node is a leaf or container directive.
type Node struct {
	ast.BaseBlock
	Name      string
	Container bool
	Attrs     []Attr
	Line, Col int // position of the first ':'
	Errors    []Error

	// Data is free for the user of the extension: the builder resolves a
	// directive once during validation and stores the result here for its
	// Handler, so rendering needs no side channel.
	Data any

	closed bool
}

// Kind implements ast.Node.
func (n *Node) Kind() ast.NodeKind { return KindDirective }

// Dump implements ast.Node.
func (n *Node) Dump(source []byte, level int) {
	m := map[string]string{"Name": n.Name}
	for _, a := range n.Attrs {
		m["@"+a.Key] = a.Value
	}
	ast.DumpHelper(n, source, level, m, nil)
}

// Attr returns the value of key and whether it was given.
func (n *Node) Attr(key string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// Part holds one half of a container's content.
type Part struct {
	ast.BaseBlock
	Explanation bool
}

// Kind implements ast.Node.
func (n *Part) Kind() ast.NodeKind { return KindPart }

// Dump implements ast.Node.
func (n *Part) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Explanation": fmt.Sprint(n.Explanation)}, nil)
}

// Parts is a container's content rendered to HTML.
type Parts struct {
	Question, Explanation []byte
	HasExplanation        bool
}

// Handler renders one directive. parts is the zero value for leaf directives.
type Handler func(w io.Writer, n *Node, parts Parts) error

// Extension adds directives to a goldmark.Markdown. A nil Handler renders
// a neutral <div> that shows the directive's name and attributes, which is
// what the golden tests check.
type Extension struct {
	Handler Handler
}

var _ goldmark.Extender = (*Extension)(nil)

// Extend implements goldmark.Extender.
func (e *Extension) Extend(md goldmark.Markdown) {
	md.Parser().AddOptions(
		// Before the paragraph parser, so a directive line can follow text directly.
		parser.WithBlockParsers(util.Prioritized(blockParser{}, 90)),
		parser.WithASTTransformers(util.Prioritized(splitter{}, 100)),
	)
	h := e.Handler
	if h == nil {
		h = DefaultHandler
	}
	md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{md: md, handler: h}, 100)))
}

// name is restricted so that text like "::" or ":::" inside prose is never
// taken for a directive by accident.
var openRE = regexp.MustCompile(`^(:{2,3})([a-z][a-z0-9-]*)`)

type blockParser struct{}

func (blockParser) Trigger() []byte { return []byte{':'} }

func (blockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	indent := pc.BlockOffset()
	if indent < 0 {
		return nil, parser.NoChildren
	}
	line = trimEOL(line[indent:])
	m := openRE.FindSubmatchIndex(line)
	if m == nil {
		return nil, parser.NoChildren
	}
	src := reader.Source()
	lineNo, col := position(src, seg.Start+indent)
	n := &Node{
		Name:      string(line[m[4]:m[5]]),
		Container: m[3]-m[2] == 3,
		Line:      lineNo,
		Col:       col,
	}
	n.SetPos(seg.Start + indent)
	parseAttrs(n, line[m[1]:], lineNo, col+m[1])
	reader.AdvanceToEOL()
	if n.Container {
		return n, parser.HasChildren
	}
	n.closed = true
	return n, parser.NoChildren
}

func (blockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*Node)
	if !n.Container {
		return parser.Close
	}
	line, _ := reader.PeekLine()
	if string(bytes.TrimSpace(line)) == ":::" {
		reader.AdvanceToEOL()
		n.closed = true
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

func (blockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	n := node.(*Node)
	if !n.closed {
		n.Errors = append(n.Errors, Error{n.Line, n.Col, fmt.Sprintf(":::%s is not closed by a line holding only :::", n.Name)})
	}
}

func (blockParser) CanInterruptParagraph() bool { return true }
func (blockParser) CanAcceptIndentedLine() bool { return false }

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// position converts a byte offset into a 1-based line and byte column.
func position(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line = 1 + bytes.Count(src[:off], []byte("\n"))
	col = off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	return line, col
}

// Position converts a byte offset of src into a 1-based line and byte
// column, the convention of every position this package reports.
func Position(src []byte, off int) (line, col int) { return position(src, off) }

// parseAttrs reads `{k=v k2="v 2"}` from rest, whose first byte is at
// column col of line.
func parseAttrs(n *Node, rest []byte, line, col int) {
	fail := func(i int, format string, args ...any) {
		n.Errors = append(n.Errors, Error{line, col + i, fmt.Sprintf(format, args...)})
	}
	trail := bytes.TrimRight(rest, " \t")
	if len(trail) == 0 {
		return
	}
	if trail[0] != '{' {
		fail(0, "unexpected %q after ::%s (attributes go in {…})", string(firstRune(trail)), n.Name)
		return
	}
	seen := map[string]bool{}
	i := 1
	for {
		for i < len(trail) && (trail[i] == ' ' || trail[i] == '\t') {
			i++
		}
		if i >= len(trail) {
			fail(0, "missing closing }")
			return
		}
		if trail[i] == '}' {
			if i+1 < len(trail) {
				fail(i+1, "unexpected text after }")
			}
			return
		}
		start := i
		for i < len(trail) && isKeyByte(trail[i]) {
			i++
		}
		if i == start {
			fail(i, "expected an attribute name, found %q", string(firstRune(trail[i:])))
			return
		}
		key := string(trail[start:i])
		if i >= len(trail) || trail[i] != '=' {
			fail(i, "attribute %s needs a value (%s=…)", key, key)
			return
		}
		i++
		var val strings.Builder
		if i < len(trail) && trail[i] == '"' {
			q := i
			i++
			closed := false
			for i < len(trail) {
				c := trail[i]
				if c == '\\' && i+1 < len(trail) && (trail[i+1] == '"' || trail[i+1] == '\\') {
					val.WriteByte(trail[i+1])
					i += 2
					continue
				}
				if c == '"' {
					closed = true
					i++
					break
				}
				val.WriteByte(c)
				i++
			}
			if !closed {
				fail(q, "unterminated quoted value of %s", key)
				return
			}
		} else {
			vs := i
			for i < len(trail) && trail[i] != ' ' && trail[i] != '\t' && trail[i] != '}' && trail[i] != '"' {
				i++
			}
			if i == vs {
				fail(i, "attribute %s has an empty value", key)
				return
			}
			val.Write(trail[vs:i])
		}
		if seen[key] {
			fail(start, "duplicate attribute %s", key)
		} else {
			seen[key] = true
			n.Attrs = append(n.Attrs, Attr{Key: key, Value: val.String(), Line: line, Col: col + start})
		}
		if i < len(trail) && trail[i] != ' ' && trail[i] != '\t' && trail[i] != '}' {
			fail(i, "expected a space or } after the value of %s", key)
			return
		}
	}
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func firstRune(b []byte) []byte {
	_, size := utf8.DecodeRune(b)
	return b[:size]
}

// splitter wraps every container's children into a question Part and, after
// the first thematic break, an explanation Part.
type splitter struct{}

func (splitter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var containers []*Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*Node); ok && entering && d.Container {
			containers = append(containers, d)
		}
		return ast.WalkContinue, nil
	})
	for _, d := range containers {
		q, e := &Part{}, &Part{Explanation: true}
		cur := q
		split := false
		for c := d.FirstChild(); c != nil; {
			next := c.NextSibling()
			d.RemoveChild(d, c)
			if !split && c.Kind() == ast.KindThematicBreak {
				split = true
				cur = e
			} else {
				cur.AppendChild(cur, c)
			}
			c = next
		}
		d.AppendChild(d, q)
		if split {
			d.AppendChild(d, e)
		}
	}
}

type nodeRenderer struct {
	md      goldmark.Markdown
	handler Handler
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindDirective, r.render)
	reg.Register(KindPart, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkContinue, nil
	})
}

func (r *nodeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*Node)
	var parts Parts
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		p, ok := c.(*Part)
		if !ok {
			continue
		}
		var buf bytes.Buffer
		if err := r.md.Renderer().Render(&buf, source, p); err != nil {
			return ast.WalkStop, err
		}
		if p.Explanation {
			parts.Explanation, parts.HasExplanation = buf.Bytes(), true
		} else {
			parts.Question = buf.Bytes()
		}
	}
	if err := r.handler(w, n, parts); err != nil {
		return ast.WalkStop, fmt.Errorf("%d:%d: %s: %w", n.Line, n.Col, n.Name, err)
	}
	return ast.WalkSkipChildren, nil
}

// DefaultHandler renders a directive as a <div> listing its attributes.
func DefaultHandler(w io.Writer, n *Node, parts Parts) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<div class="directive" data-directive="%s"`, util.EscapeHTML([]byte(n.Name)))
	for _, a := range n.Attrs {
		fmt.Fprintf(&b, ` data-%s="%s"`, util.EscapeHTML([]byte(strings.ToLower(a.Key))), util.EscapeHTML([]byte(a.Value)))
	}
	b.WriteString(">\n")
	if n.Container {
		b.WriteString("<div class=\"question\">\n")
		b.Write(parts.Question)
		b.WriteString("</div>\n")
		if parts.HasExplanation {
			b.WriteString("<div class=\"explanation\">\n")
			b.Write(parts.Explanation)
			b.WriteString("</div>\n")
		}
	}
	b.WriteString("</div>\n")
	_, err := w.Write(b.Bytes())
	return err
}
