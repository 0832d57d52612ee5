package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"sort"
	"strconv"

	"unblocked/site/interp/symbols"
)

// goVersion is the language version programs are checked against: the toolchain's, which is
// also what the compile endpoint and the precompiled examples use.
const goVersion = "go1.26"

// maxErrors is how many errors the Go compiler reports before "too many errors".
const maxErrors = 10

// checked is a parsed program and what go/types found out about it.
type checked struct {
	fset *token.FileSet
	file *ast.File
	info *types.Info
}

// check parses and type-checks src as the Go compiler would, against the interpreter's symbols.
// errs are "line:col: message", sorted, at most maxErrors (then "too many errors"), as the Go
// compiler prints them (without the file name: the page knows which file it is).
func check(src string) (c *checked, errs []string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", src, parser.SkipObjectResolution|parser.ParseComments)
	if err != nil {
		var list scanner.ErrorList
		if errors.As(err, &list) {
			list.Sort()
			for i, e := range list {
				if i == maxErrors {
					errs = append(errs, "too many errors")
					break
				}
				errs = append(errs, fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Msg))
			}
			return nil, errs
		}
		return nil, []string{err.Error()}
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	var list []types.Error
	im := newSymbolImporter(symbols.Symbols)
	im.used = usedNames(f, im.packageName)
	conf := types.Config{
		GoVersion: goVersion,
		Importer:  im,
		Error:     func(err error) { list = append(list, err.(types.Error)) },
		Sizes:     types.SizesFor("gc", "wasm"),
	}
	conf.Check("main", fset, []*ast.File{f}, info)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Pos < list[j].Pos })
	for i, e := range list {
		if i == maxErrors {
			errs = append(errs, "too many errors")
			break
		}
		p := fset.Position(e.Pos)
		errs = append(errs, fmt.Sprintf("%d:%d: %s", p.Line, p.Column, e.Msg))
	}
	return &checked{fset: fset, file: f, info: info}, errs
}

// usedNames is what f takes from each import: import path → the names after "pkg." in f (a dot
// import is left out: all its names may be used). A local variable shadowing a package name only
// adds names, which costs time, not correctness.
func usedNames(f *ast.File, name func(path string) string) map[string]map[string]bool {
	byLocal := map[string]string{} // local name → path
	used := map[string]map[string]bool{}
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		local := name(p)
		if spec.Name != nil {
			local = spec.Name.Name
		}
		if local == "." || local == "" {
			continue
		}
		if local != "_" {
			byLocal[local] = p
		}
		used[p] = map[string]bool{}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if p, ok := byLocal[id.Name]; ok {
					used[p][sel.Sel.Name] = true
				}
			}
		}
		return true
	})
	return used
}
