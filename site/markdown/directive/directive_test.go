package directive

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"unblocked/site/diag"
)

var update = flag.Bool("update", false, "rewrite testdata/*.txt with the current output")

const (
	sepIn  = "//- - - - - - - - -//"
	sepEnd = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

type goldenCase struct {
	title    string
	markdown string
	want     string
}

// parseCases reads numbered cases: a title line, the Markdown, sepIn, the
// expected output (HTML, then one "error L:C: msg" line per syntax error),
// sepEnd.
func parseCases(t *testing.T, data string) []goldenCase {
	t.Helper()
	var cases []goldenCase
	for _, block := range strings.Split(data, sepEnd+"\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		title, rest, ok := strings.Cut(block, "\n")
		in, out, ok2 := strings.Cut(rest, sepIn+"\n")
		if !ok || !ok2 {
			t.Fatalf("malformed case %q", block)
		}
		cases = append(cases, goldenCase{title, in, out})
	}
	return cases
}

func render(t *testing.T, src string) string {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, &Extension{}))
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		t.Fatal(err)
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*Node); ok && entering {
			for _, e := range d.Errors {
				fmt.Fprintf(&buf, "error %d:%d: %s\n", e.Line, e.Col, e.Msg)
			}
		}
		return ast.WalkContinue, nil
	})
	return buf.String()
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cases := parseCases(t, string(data))
		var out strings.Builder
		for _, c := range cases {
			got := render(t, c.markdown)
			if *update {
				c.want = got
			}
			fmt.Fprintf(&out, "%s\n%s%s\n%s%s\n", c.title, c.markdown, sepIn, c.want, sepEnd)
			if got != c.want {
				t.Errorf("%s: case %q:\n--- got\n%s--- want\n%s", file, c.title, got, c.want)
			}
		}
		if *update {
			if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// Positions must be those of the original source even when the directive
// sits after other blocks, because checkers report them to authors.
func TestPositions(t *testing.T) {
	src := []byte("# Title\n\nText\n\n  ::playground{example=sleep  tasks=5}\n")
	md := goldmark.New(goldmark.WithExtensions(&Extension{}))
	doc := md.Parser().Parse(text.NewReader(src))
	var got []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*Node); ok && entering {
			got = append(got, fmt.Sprintf("%s@%d:%d", d.Name, d.Line, d.Col))
			for _, a := range d.Attrs {
				got = append(got, fmt.Sprintf("%s=%s@%d:%d", a.Key, a.Value, a.Line, a.Col))
			}
		}
		return ast.WalkContinue, nil
	})
	want := "playground@5:3 example=sleep@5:16 tasks=5@5:31"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %q, want %q", strings.Join(got, " "), want)
	}
}

// Directives are numbered in document order, leaves inside containers included, and answers
// keep the position of their text.
func TestIndexAndChoicePositions(t *testing.T) {
	src := []byte("::playground{example=a}\n\n:::exercise{id=x predict=choice}\nQ\n\n- [x] yes\n- [ ] no\n\n::playground{example=b}\n:::\n")
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, &Extension{}))
	doc := md.Parser().Parse(text.NewReader(src))
	var got []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*Node); ok && entering {
			got = append(got, fmt.Sprintf("%d:%s", d.Index, d.Name))
			for _, c := range d.Choices() {
				got = append(got, fmt.Sprintf("choice@%d:%d=%v", c.Line, c.Col, c.Accepted))
			}
		}
		return ast.WalkContinue, nil
	})
	want := "0:playground 1:exercise choice@6:3=true choice@7:3=false 2:playground"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %q, want %q", strings.Join(got, " "), want)
	}
}

// Positions come from one line index per document: looking each one up by counting newlines
// from the start made a lesson of 100,000 directives take half a minute.
func TestOneLineIndexPerDocument(t *testing.T) {
	built := 0
	newLines = func(src []byte) *diag.Lines { built++; return diag.NewLines(src) }
	defer func() { newLines = diag.NewLines }()
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "::playground{example=e%d}\n\n:::exercise{id=x%d predict=choice}\n- [x] a\n:::\n", i, i)
	}
	src := []byte(b.String())
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, &Extension{}))
	doc := md.Parser().Parse(text.NewReader(src))
	if built != 1 {
		t.Errorf("%d line indexes built for one document, want 1", built)
	}
	last := doc.LastChild().(*Node)
	if last.Index != 9999 || last.Line != 5*4999+3 || last.Choices()[0].Line != 5*4999+4 {
		t.Errorf("last directive #%d at line %d, answer at %d", last.Index, last.Line, last.Choices()[0].Line)
	}
}
