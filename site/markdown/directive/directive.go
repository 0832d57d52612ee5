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
// question and an explanation ([Part] nodes). In a container with
// predict=choice, the first task list of the question holds the answers: each
// item becomes a [Choice] (accepted when written "- [x]"), and the list is not
// part of the question's HTML. Attribute values are bare words or
// double-quoted strings (with \" and \\ escapes). Syntax problems do not stop
// parsing: they are kept on the [Node] with their positions so that a checker
// can report every one of them.
//
// Everything is decided while parsing (node kinds in ast.go, the block parser
// and the transformer in parser.go); a parsed document is never changed
// afterwards, so a builder may cache it and render it any number of times.
//
// Containers do not nest, and a line holding only ":::" closes the open
// container even inside a fenced code block of its content.
//
// What a directive means is not decided here: the extension renders each
// directive by calling a [Handler] (renderer.go) supplied by the site builder.
package directive

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Extension adds directives to a goldmark.Markdown. A nil Handler renders
// a neutral <div> that shows the directive's name and attributes (DefaultHandler).
type Extension struct {
	Handler Handler
}

var _ goldmark.Extender = (*Extension)(nil)

// Extend implements goldmark.Extender.
func (e *Extension) Extend(md goldmark.Markdown) {
	md.Parser().AddOptions(
		// Before the paragraph parser, so a directive line can follow text directly.
		parser.WithBlockParsers(util.Prioritized(blockParser{}, 90)),
		parser.WithASTTransformers(util.Prioritized(transformer{}, 100)),
	)
	h := e.Handler
	if h == nil {
		h = DefaultHandler
	}
	md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{md: md, handler: h}, 100)))
}
