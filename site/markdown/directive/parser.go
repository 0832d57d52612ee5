package directive

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"unblocked/site/diag"
)

// name is restricted so that text like "::" or ":::" inside prose is never
// taken for a directive by accident.
var openRE = regexp.MustCompile(`^(:{2,3})([a-z][a-z0-9-]*)`)

// linesKey holds the line index of the source being parsed, made once per document: a
// position is a binary search, so a lesson with 100,000 directives parses in linear time.
var linesKey = parser.NewContextKey()

// newLines is diag.NewLines; a test counts its calls.
var newLines = diag.NewLines

func lines(pc parser.Context, src []byte) *diag.Lines {
	if l, ok := pc.Get(linesKey).(*diag.Lines); ok {
		return l
	}
	l := newLines(src)
	pc.Set(linesKey, l)
	return l
}

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
	lineNo, col := lines(pc, reader.Source()).Position(seg.Start + indent)
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

// transformer finishes every directive once the document is parsed: it numbers them in
// document order (Node.Index), splits each container's children into a question Part and,
// after the first thematic break, an explanation Part, and turns the first task list of a
// predict=choice question into Choices. This is the only place the tree is rearranged.
type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var nodes []*Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*Node); ok && entering {
			d.Index = len(nodes)
			nodes = append(nodes, d)
		}
		return ast.WalkContinue, nil
	})
	for _, d := range nodes {
		if !d.Container {
			continue
		}
		split(d)
		if v, _ := d.Attr("predict"); v == "choice" {
			takeChoices(d, reader.Source(), lines(pc, reader.Source()))
		}
	}
}

func split(d *Node) {
	q, e := &Part{}, &Part{Explanation: true}
	cur := q
	found := false
	for c := d.FirstChild(); c != nil; {
		next := c.NextSibling()
		d.RemoveChild(d, c)
		if !found && c.Kind() == ast.KindThematicBreak {
			found = true
			cur = e
		} else {
			cur.AppendChild(cur, c)
		}
		c = next
	}
	d.AppendChild(d, q)
	if found {
		d.AppendChild(d, e)
	}
}

// takeChoices replaces the question's first task list (a list whose first item starts with a
// checkbox) by Choices: each item's content, without the checkbox, becomes a Choice. An item
// without a checkbox is an error, since it could be neither right nor wrong.
func takeChoices(d *Node, src []byte, ls *diag.Lines) {
	var list *ast.List
	_ = ast.Walk(d.Question(), func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := c.(*ast.List); ok && entering && taskBox(l.FirstChild()) != nil {
			list = l
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if list == nil {
		return
	}
	choices := &Choices{}
	for item := list.FirstChild(); item != nil; {
		next := item.NextSibling()
		line, col := d.Line, d.Col
		if pos := textStart(item); pos >= 0 {
			line, col = ls.Position(pos)
		}
		box := taskBox(item)
		if box == nil {
			d.Errors = append(d.Errors, Error{line, col, "an answer without [ ] or [x]: write - [x] for an accepted answer, - [ ] for a wrong one"})
			item = next
			continue
		}
		box.Parent().RemoveChild(box.Parent(), box)
		ch := &Choice{Accepted: box.IsChecked, Line: line, Col: col}
		for c := item.FirstChild(); c != nil; {
			cn := c.NextSibling()
			item.RemoveChild(item, c)
			ch.AppendChild(ch, c)
			c = cn
		}
		choices.AppendChild(choices, ch)
		item = next
	}
	list.Parent().ReplaceChild(list.Parent(), list, choices)
}

func taskBox(item ast.Node) *east.TaskCheckBox {
	if item == nil || item.FirstChild() == nil {
		return nil
	}
	box, _ := item.FirstChild().FirstChild().(*east.TaskCheckBox)
	return box
}

// textStart is the offset of the first line of n's first block with text, or -1.
func textStart(n ast.Node) int {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return c.Lines().At(0).Start
		}
	}
	return -1
}
