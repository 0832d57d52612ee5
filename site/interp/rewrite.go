package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// Rewrite adapts Go 1.22+ loop semantics the interpreter (yaegi v0.16) lacks, without moving any
// line, so that positions in messages stay the learner's:
//
//   - range over an integer, `for i := range n {`, becomes `for i := range make([]struct{}, n) {`
//     (i is then an int whatever n's integer type);
//   - loop variables declared by a for statement get a fresh copy per iteration,
//     `{ func() { i := i; _ = i; ... }() }`, when the body has closures, go/defer statements or takes an address
//     (for three-clause loops only when the body does not assign to the variable).
//
// Whether a range expression is an integer is decided from the file alone: integer literals and
// constants, len/cap calls, conversions to integer types, variables of integer type, and
// dereferences of pointers (`*tasks` from flag.Int). Unparseable sources are returned unchanged:
// the interpreter reports their errors.
func Rewrite(src string) string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", src, parser.SkipObjectResolution)
	if err != nil {
		return src
	}
	// Type-check what can be without the imports (they fail, their uses become invalid).
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Error: func(error) {}, Importer: failImporter{}}
	conf.Check("main", fset, []*ast.File{f}, info)

	type edit struct {
		off  int
		del  int
		text string
	}
	var edits []edit
	off := func(p token.Pos) int { return fset.Position(p).Offset }

	isInt := func(e ast.Expr) bool {
		if tv, ok := info.Types[e]; ok && tv.Type != nil {
			if b, ok := tv.Type.Underlying().(*types.Basic); ok && b.Kind() != types.Invalid {
				return b.Info()&types.IsInteger != 0 || b.Kind() == types.UntypedInt
			}
			if _, ok := tv.Type.Underlying().(*types.Basic); !ok {
				return false // a known non-basic type: slice, map, chan, string…
			}
		}
		switch x := ast.Unparen(e).(type) {
		case *ast.BasicLit:
			return x.Kind == token.INT
		case *ast.StarExpr:
			return true // *tasks (flag.Int): ranging over *slicePtr is rare
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok {
				switch id.Name {
				case "len", "cap", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr":
					return true
				}
			}
		}
		return false
	}

	needsCopy := func(body *ast.BlockStmt) bool {
		found := false
		ast.Inspect(body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
				found = true
			case *ast.UnaryExpr:
				if x.Op == token.AND {
					found = true
				}
			}
			return !found
		})
		return found
	}
	assigns := func(body *ast.BlockStmt, name string) bool {
		found := false
		ast.Inspect(body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				for _, l := range x.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name == name && x.Tok != token.DEFINE {
						found = true
					}
				}
			case *ast.IncDecStmt:
				if id, ok := ast.Unparen(x.X).(*ast.Ident); ok && id.Name == name {
					found = true
				}
			}
			return !found
		})
		return found
	}
	// canWrap: the body can run inside func() { ... }() unchanged — no return, no break/continue/
	// goto leaving it, no defer of its own (yaegi shares one closure slot per loop body, so a fresh
	// frame per iteration is the only way to give closures their own copy).
	canWrap := func(body *ast.BlockStmt) bool {
		ok := true
		var walk func(n ast.Node, inLoop bool) bool
		walk = func(n ast.Node, inLoop bool) bool {
			ast.Inspect(n, func(m ast.Node) bool {
				if !ok || m == nil {
					return false
				}
				switch x := m.(type) {
				case *ast.FuncLit:
					return false
				case *ast.ReturnStmt, *ast.DeferStmt, *ast.LabeledStmt:
					ok = false
				case *ast.BranchStmt:
					if x.Tok == token.GOTO || x.Label != nil || (!inLoop && x.Tok != token.FALLTHROUGH) {
						ok = false
					}
				case *ast.ForStmt:
					walk(x.Body, true)
					return false
				case *ast.RangeStmt:
					walk(x.Body, true)
					return false
				case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
					if !inLoop {
						// break inside a switch leaves the switch; continue would leave the loop
						ast.Inspect(m, func(k ast.Node) bool {
							switch y := k.(type) {
							case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
								return false
							case *ast.BranchStmt:
								if y.Tok == token.CONTINUE || y.Tok == token.GOTO || y.Label != nil {
									ok = false
								}
							case *ast.ReturnStmt, *ast.DeferStmt, *ast.LabeledStmt:
								ok = false
							}
							return ok
						})
						return false
					}
				}
				return ok
			})
			return ok
		}
		for _, st := range body.List {
			walk(st, false)
		}
		return ok
	}
	copies := func(body *ast.BlockStmt, names []string) {
		var b strings.Builder
		for _, n := range names {
			if n != "_" && n != "" {
				b.WriteString(" " + n + " := " + n + "; _ = " + n + ";")
			}
		}
		if b.Len() == 0 {
			return
		}
		if canWrap(body) {
			edits = append(edits, edit{off: off(body.Lbrace) + 1, text: " func() {" + b.String()}, edit{off: off(body.Rbrace), text: "}();"})
		} else {
			edits = append(edits, edit{off: off(body.Lbrace) + 1, text: " {" + b.String()}, edit{off: off(body.Rbrace), text: "};"})
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.RangeStmt:
			if s.Tok == token.DEFINE || s.Key == nil {
				if s.Value == nil && isInt(s.X) {
					start, end := off(s.X.Pos()), off(s.X.End())
					edits = append(edits, edit{off: start, text: "make([]struct{}, "}, edit{off: end, text: ")"})
				}
			}
			if s.Tok == token.DEFINE && needsCopy(s.Body) {
				var names []string
				for _, e := range []ast.Expr{s.Key, s.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names = append(names, id.Name)
					}
				}
				copies(s.Body, names)
			}
		case *ast.ForStmt:
			as, ok := s.Init.(*ast.AssignStmt)
			if !ok || as.Tok != token.DEFINE || !needsCopy(s.Body) {
				break
			}
			var names []string
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && !assigns(s.Body, id.Name) {
					names = append(names, id.Name)
				}
			}
			copies(s.Body, names)
		}
		return true
	})
	if len(edits) == 0 {
		return src
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].off < edits[j].off })
	var b strings.Builder
	last := 0
	for _, e := range edits {
		b.WriteString(src[last:e.off])
		b.WriteString(e.text)
		last = e.off + e.del
	}
	b.WriteString(src[last:])
	return b.String()
}

type failImporter struct{}

func (failImporter) Import(path string) (*types.Package, error) {
	return nil, errNoImport
}

var errNoImport = &importError{}

type importError struct{}

func (*importError) Error() string { return "no imports while rewriting" }
