package directive

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Parts is a directive's Markdown content rendered to HTML. It is the zero value for leaf
// directives.
type Parts struct {
	Question, Explanation []byte
	HasExplanation        bool
	Choices               []RenderedChoice // the answers of a predict=choice question
}

// RenderedChoice is one answer of a predict=choice question.
type RenderedChoice struct {
	HTML     []byte // the item's content without the checkbox, trimmed
	Accepted bool
}

// Handler renders one directive.
type Handler func(w io.Writer, n *Node, parts Parts) error

type nodeRenderer struct {
	md      goldmark.Markdown
	handler Handler
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindDirective, r.render)
	// Parts and choices are rendered by render below; inside a question the answers render as
	// nothing (they reach the Handler as Parts.Choices).
	reg.Register(KindPart, renderChildren)
	reg.Register(KindChoice, renderChildren)
	reg.Register(KindChoices, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkSkipChildren, nil
	})
}

func renderChildren(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*Node)
	html := func(c ast.Node) ([]byte, error) {
		var buf bytes.Buffer
		err := r.md.Renderer().Render(&buf, source, c)
		return buf.Bytes(), err
	}
	var parts Parts
	var err error
	if q := n.Question(); q != nil {
		if parts.Question, err = html(q); err != nil {
			return ast.WalkStop, err
		}
	}
	if e := n.Explanation(); e != nil {
		if parts.Explanation, err = html(e); err != nil {
			return ast.WalkStop, err
		}
		parts.HasExplanation = true
	}
	for _, c := range n.Choices() {
		h, err := html(c)
		if err != nil {
			return ast.WalkStop, err
		}
		parts.Choices = append(parts.Choices, RenderedChoice{HTML: bytes.TrimSpace(h), Accepted: c.Accepted})
	}
	if err := r.handler(w, n, parts); err != nil {
		return ast.WalkStop, fmt.Errorf("%d:%d: %s: %w", n.Line, n.Col, n.Name, err)
	}
	return ast.WalkSkipChildren, nil
}

// DefaultHandler renders a directive as a <div> listing its attributes, its parts and its
// answers: what the golden tests check.
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
		if len(parts.Choices) > 0 {
			b.WriteString("<ol class=\"choices\">\n")
			for _, c := range parts.Choices {
				if c.Accepted {
					b.WriteString("<li data-accepted>")
				} else {
					b.WriteString("<li>")
				}
				b.Write(c.HTML)
				b.WriteString("</li>\n")
			}
			b.WriteString("</ol>\n")
		}
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
