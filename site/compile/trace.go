package compile

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"

	"unblocked/internal/wasmtrace"
)

// The scheduler view (docs/arch/scheduler.md) draws every run from its own execution trace. A
// learner's program is traced as the examples' bundle traces its programs: its func main is
// renamed Main (same length, so no position moves) and a second file holds a main that runs Main
// between internal/wasmtrace's Start and stop. A program that declares Main or the wrapper's
// import name itself is built as it is, untraced.

const traceFile = pkg + "/zz_unblocked_trace.go"

// traceMain is the wrapper's file; %s is the module's path.
const traceMain = `package main

import unblockedtrace "%s/internal/wasmtrace"

func main() {
	defer unblockedtrace.Start()()
	Main()
}
`

// traced returns the build's files for src, built in the module whose path is module: src with
// main renamed and the wrapper, or src alone when it cannot be wrapped (it does not parse: go
// build reports that).
func traced(src, module string) map[string][]byte {
	plain := map[string][]byte{file: []byte(src)}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil || f.Name.Name != "main" {
		return plain
	}
	at := -1
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				continue
			}
			switch d.Name.Name {
			case "main":
				if d.Type.Params.NumFields() > 0 || d.Type.Results.NumFields() > 0 || d.Type.TypeParams.NumFields() > 0 {
					return plain // the compiler's own error says what is wrong with it
				}
				at = fset.Position(d.Name.Pos()).Offset
			case "Main", "unblockedtrace":
				return plain
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				var names []*ast.Ident
				switch s := s.(type) {
				case *ast.ValueSpec:
					names = s.Names
				case *ast.TypeSpec:
					names = []*ast.Ident{s.Name}
				}
				for _, n := range names {
					if n.Name == "Main" || n.Name == "unblockedtrace" {
						return plain
					}
				}
			}
		}
	}
	if at < 0 || src[at:at+4] != "main" {
		return plain
	}
	return map[string][]byte{
		file:      []byte(src[:at] + "Main" + src[at+4:]),
		traceFile: fmt.Appendf(nil, traceMain, module),
		// the module may be go.mod alone (the one binary's): the package comes with the build
		wasmtrace.SourcePath: wasmtrace.Source,
	}
}
