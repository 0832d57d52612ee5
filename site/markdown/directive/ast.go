package directive

import (
	"fmt"

	"github.com/yuin/goldmark/ast"
)

// The node kinds of this package. A directive is a Node; a container's content is split into
// Parts; the task list of a predict=choice question becomes Choices holding one Choice per
// answer. All of them are made while parsing, so a parsed document is never changed afterwards.
var (
	KindDirective = ast.NewNodeKind("Directive")
	KindPart      = ast.NewNodeKind("DirectivePart")
	KindChoices   = ast.NewNodeKind("DirectiveChoices")
	KindChoice    = ast.NewNodeKind("DirectiveChoice")
)

// Attr is one name=value pair, in source order.
type Attr struct {
	Key, Value string
	Line, Col  int // position of the key
}

// Error is a syntax problem inside a directive. Line and Col are 1-based byte positions in
// the parsed source.
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
	// Index is the directive's place among the directives of its document (0, 1, …, in
	// document order), so a renderer can find what was resolved for it without a side channel.
	Index int

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
	a, ok := n.attr(key)
	return a.Value, ok
}

// AttrPos returns the position of key's attribute, or the directive's own when it has none:
// where an error about that attribute points.
func (n *Node) AttrPos(key string) (line, col int) {
	if a, ok := n.attr(key); ok {
		return a.Line, a.Col
	}
	return n.Line, n.Col
}

func (n *Node) attr(key string) (Attr, bool) {
	for _, a := range n.Attrs {
		if a.Key == key {
			return a, true
		}
	}
	return Attr{}, false
}

// Question returns a container's question Part, or nil for a leaf directive.
func (n *Node) Question() *Part { return n.part(false) }

// Explanation returns the Part after a container's first thematic break, or nil.
func (n *Node) Explanation() *Part { return n.part(true) }

func (n *Node) part(explanation bool) *Part {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if p, ok := c.(*Part); ok && p.Explanation == explanation {
			return p
		}
	}
	return nil
}

// Choices returns the answers of a predict=choice question in order, or nil when the question
// has no task list (or the directive is not a choice question).
func (n *Node) Choices() []*Choice {
	q := n.Question()
	if q == nil {
		return nil
	}
	var out []*Choice
	_ = ast.Walk(q, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if cs, ok := c.(*Choices); ok && entering {
			for ch := cs.FirstChild(); ch != nil; ch = ch.NextSibling() {
				out = append(out, ch.(*Choice))
			}
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return out
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

// Choices stands where the task list of a predict=choice question was written. It renders as
// nothing inside the question: the answers reach the Handler as Parts.Choices.
type Choices struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (n *Choices) Kind() ast.NodeKind { return KindChoices }

// Dump implements ast.Node.
func (n *Choices) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// Choice is one answer: the content of a task-list item without its checkbox.
type Choice struct {
	ast.BaseBlock
	Accepted  bool // written - [x]
	Line, Col int  // position of the item's text
}

// Kind implements ast.Node.
func (n *Choice) Kind() ast.NodeKind { return KindChoice }

// Dump implements ast.Node.
func (n *Choice) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Accepted": fmt.Sprint(n.Accepted)}, nil)
}
