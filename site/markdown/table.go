package markdown

import (
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// tableScroll renders each GFM table inside <div class="table-scroll" role="region" tabindex="0"
// aria-label="…">: on a phone a wide table scrolls sideways inside its box instead of pushing
// the page wider, and a box that scrolls must be focusable for a keyboard to scroll it. The
// label is the table's column headers ("asyncio · Go · Notes"), which need no language.
// The table itself is rendered by goldmark's own table renderer.
type tableScroll struct{}

var _ goldmark.Extender = tableScroll{}

func (tableScroll) Extend(m goldmark.Markdown) {
	// below the GFM table renderer's priority (500), so this one's KindTable wins
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(tableScrollRenderer{}, 100)))
}

type tableScrollRenderer struct{}

func (tableScrollRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	var inner renderer.NodeRendererFunc
	extension.NewTableHTMLRenderer().RegisterFuncs(captureKind{east.KindTable, &inner})
	reg.Register(east.KindTable, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<div class="table-scroll" role="region" tabindex="0" aria-label="` + html.EscapeString(headerText(n, src)) + `">` + "\n")
		}
		status, err := inner(w, src, n, entering)
		if !entering {
			_, _ = w.WriteString("</div>\n")
		}
		return status, err
	})
}

// captureKind keeps the function registered for one kind and drops the others (the GFM table
// extension registers those itself).
type captureKind struct {
	kind ast.NodeKind
	fn   *renderer.NodeRendererFunc
}

func (c captureKind) Register(kind ast.NodeKind, fn renderer.NodeRendererFunc) {
	if kind == c.kind {
		*c.fn = fn
	}
}

// headerText is the text of a table's header cells, joined with " · ".
func headerText(table ast.Node, src []byte) string {
	var cells []string
	for row := table.FirstChild(); row != nil; row = row.NextSibling() {
		if row.Kind() != east.KindTableHeader {
			continue
		}
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			if t := plainText(c, src); t != "" {
				cells = append(cells, t)
			}
		}
	}
	return strings.Join(cells, " · ")
}
