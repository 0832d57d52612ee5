package markdown

import (
	"html"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Code blocks scroll sideways when a line is longer than the column (how long depends on the
// fonts installed), and a box that only scrolls cannot be scrolled from the keyboard. So every
// <pre> this package writes is focusable (tabindex=0) and named, as a group, by the code's
// language or, for an example's source, its file: "Go", "Python", "wasm/sleep/sync/main.go".
// The focus ring is the site's :focus-visible rule.

// preStart is the opening tag of a focusable code block; class is "" or "chroma".
func preStart(class, label string) string {
	s := "<pre"
	if class != "" {
		s += ` class="` + class + `"`
	}
	s += ` tabindex="0"`
	if label != "" {
		s += ` role="group" aria-label="` + html.EscapeString(label) + `"`
	}
	return s + ">"
}

// focusablePre is chroma's <pre> wrapper with preStart's attributes.
type focusablePre struct{ label string }

func (p focusablePre) Start(code bool, styleAttr string) string {
	s := preStart("", p.label)
	if styleAttr != "" { // ` class="chroma"`: keep chroma's own spelling of it
		s = "<pre" + styleAttr + s[len("<pre"):]
	}
	if code {
		s += "<code>"
	}
	return s
}

func (focusablePre) End(code bool) string {
	if code {
		return "</code></pre>"
	}
	return "</pre>"
}

// languageLabel names a fenced block's language as chroma does ("go" → "Go", "sh" → "Bash"),
// or as written when chroma does not know it.
func languageLabel(lang string) string {
	if l := lexers.Get(lang); l != nil {
		return l.Config().Name
	}
	return lang
}

// highlightOptions make goldmark-highlighting write focusable blocks: highlighted ones through
// chroma's pre wrapper, the others (a language chroma does not know) through the wrapper
// renderer, which the library also calls around highlighted blocks, where it writes nothing.
func highlightOptions() []highlighting.Option {
	label := func(c highlighting.CodeBlockContext) string {
		lang, _ := c.Language()
		return languageLabel(string(lang))
	}
	return []highlighting.Option{
		highlighting.WithCodeBlockOptions(func(c highlighting.CodeBlockContext) []chromahtml.Option {
			return []chromahtml.Option{chromahtml.WithPreWrapper(focusablePre{label(c)})}
		}),
		highlighting.WithWrapperRenderer(func(w util.BufWriter, c highlighting.CodeBlockContext, entering bool) {
			if c.Highlighted() {
				return
			}
			if !entering {
				_, _ = w.WriteString("</code></pre>\n")
				return
			}
			_, _ = w.WriteString(preStart("", label(c)) + "<code")
			if lang, ok := c.Language(); ok {
				_, _ = w.WriteString(` class="language-` + html.EscapeString(string(lang)) + `"`)
			}
			_ = w.WriteByte('>')
		}),
	}
}

// indentedCode renders indented code blocks (goldmark's own renderer writes a bare <pre>)
// focusable like the fenced ones; they have no language to name them by.
type indentedCode struct{}

var _ goldmark.Extender = indentedCode{}

func (indentedCode) Extend(m goldmark.Markdown) {
	// below the HTML renderer's priority (1000), so this KindCodeBlock function wins
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(indentedCode{}, 500)))
}

func (indentedCode) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindCodeBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString("</code></pre>\n")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(preStart("", "") + "<code>")
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
		}
		return ast.WalkContinue, nil
	})
}
