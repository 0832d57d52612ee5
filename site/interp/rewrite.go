package main

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// rewrite adapts the checked program to the interpreter (yaegi v0.16) without moving any line, so
// that positions in messages stay the learner's:
//
//   - range over an integer, `for i := range n {`, becomes `for i := range make([]struct{}, n) {`
//     (i is then an int whatever n's integer type);
//   - loop variables declared by a for statement get a fresh copy per iteration (Go 1.22),
//     `{ func() { i := i; _ = i; ... }() }`, when the body has closures, go/defer statements or takes an address
//     (for three-clause loops only when the body does not assign to the variable);
//   - the builtins min, max and clear (Go 1.21), which yaegi lacks, become function literals of
//     the argument's type (a constant min or max becomes its value);
//   - main defers the hook MainReturned first (so it runs after the program's own deferred
//     calls): from then on the program's output is closed, as Go ends the program there;
//   - the function a go statement starts is wrapped so that its panic is recovered at the top of
//     the goroutine and reported by the hook Crash, with the program's frames, and the program
//     ends with status 2 (an unrecovered panic would end the interpreter with its own trace).
//
// Whether a range expression is an integer, and the types written, come from go/types.
func rewrite(c *checked, src string) string {
	fset, f, info := c.fset, c.file, c.info
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
	// Names for types written into the program: packages by their name in this file.
	names := map[string]string{}
	for _, spec := range f.Imports {
		obj := info.Implicits[spec]
		if spec.Name != nil {
			obj = info.Defs[spec.Name]
		}
		if pn, ok := obj.(*types.PkgName); ok {
			names[pn.Imported().Path()] = pn.Name()
		}
	}
	typeText := func(t types.Type) (string, bool) {
		ok := t != nil
		if !ok {
			return "", false
		}
		s := types.TypeString(t, func(p *types.Package) string {
			if p == nil || p.Path() == "main" {
				return ""
			}
			n, found := names[p.Path()]
			if !found || n == "_" || n == "." {
				ok = false
			}
			return n
		})
		return s, ok
	}

	// The hooks: imported on the package clause's line, MainReturned deferred first in main.
	edits = append(edits, edit{off: off(f.Name.End()), text: "; import " + hookName + " " + strconv.Quote(hookPath)})
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" && fd.Body != nil {
			edits = append(edits, edit{off: off(fd.Body.Lbrace) + 1, text: " defer " + hookName + ".MainReturned();"})
		}
	}

	// Unnamed parameters of a function with a body get the name _: yaegi misplaces the
	// arguments of a method called from compiled code (a database/sql driver's Open(string))
	// when they have no name.
	ast.Inspect(f, func(n ast.Node) bool {
		var ft *ast.FuncType
		switch x := n.(type) {
		case *ast.FuncDecl:
			if x.Body != nil {
				ft = x.Type
			}
		case *ast.FuncLit:
			ft = x.Type
		}
		if ft != nil && ft.Params != nil {
			for _, p := range ft.Params.List {
				if len(p.Names) == 0 {
					edits = append(edits, edit{off: off(p.Type.Pos()), text: "_ "})
				}
			}
		}
		return true
	})

	guard := " defer func() { if r := recover(); r != nil { " + hookName + ".Crash(r) } }();"
	guardLit := func(e ast.Expr) bool {
		if lit, ok := ast.Unparen(e).(*ast.FuncLit); ok {
			edits = append(edits, edit{off: off(lit.Body.Lbrace) + 1, text: guard})
			return true
		}
		return false
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.GoStmt:
			goStmt(x.Call, guardLit, typeText, info, func(at token.Pos, del int, text string) {
				edits = append(edits, edit{off: off(at), del: del, text: text})
			}, guard)
		case *ast.CallExpr:
			// wg.Go(func() {…}) and errgroup's g.Go: the literal is the goroutine's top.
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" && len(x.Args) == 1 && startsGoroutines(info.Types[sel.X].Type) {
				guardLit(x.Args[0])
			}
			id, ok := ast.Unparen(x.Fun).(*ast.Ident)
			if !ok {
				return true
			}
			b, ok := info.Uses[id].(*types.Builtin)
			if !ok {
				return true
			}
			switch b.Name() {
			case "min", "max":
				tv := info.Types[x]
				if tv.Value != nil {
					if fset.Position(x.Pos()).Line != fset.Position(x.End()).Line {
						return true
					}
					text := "(" + constText(tv.Value) + ")"
					if basic, ok := tv.Type.(*types.Basic); !ok || basic.Info()&types.IsUntyped == 0 {
						t, ok := typeText(tv.Type)
						if !ok {
							return true
						}
						text = "(" + t + ")" + text
					}
					edits = append(edits, edit{off: off(x.Pos()), del: off(x.End()) - off(x.Pos()), text: text})
					return false
				}
				t, ok := typeText(tv.Type)
				if !ok {
					return true
				}
				op := ">"
				if b.Name() == "min" {
					op = "<"
				}
				fn := "(func(x " + t + ", ys ..." + t + ") " + t + " { for _, y := range ys { if y " + op + " x || y != y { x = y } }; return x })"
				edits = append(edits, edit{off: off(id.Pos()), del: len(id.Name), text: fn})
			case "clear":
				if len(x.Args) != 1 {
					return true
				}
				at := info.Types[x.Args[0]].Type
				t, ok := typeText(at)
				if !ok {
					return true
				}
				var fn string
				switch at.Underlying().(type) {
				case *types.Map:
					fn = "(func(m " + t + ") { for k := range m { delete(m, k) } })"
				case *types.Slice:
					fn = "(func(s " + t + ") { z := make(" + t + ", 1); for i := range s { s[i] = z[0] } })"
				default:
					return true
				}
				edits = append(edits, edit{off: off(id.Pos()), del: len(id.Name), text: fn})
			}
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

// hookName is the hooks' package name in the rewritten program.
const hookName = "__unblocked"

// goStmt wraps the function a go statement starts so that its panic is recovered at the
// goroutine's top: a literal gets the guard as its first statement; another function f(a, b)
// becomes func(__f F, __a0 A, __a1 B) { guard; __f(__a0, __a1) }(f, a, b), which evaluates the
// function and its arguments where the go statement is, as Go does.
func goStmt(call *ast.CallExpr, guardLit func(ast.Expr) bool, typeText func(types.Type) (string, bool), info *types.Info, edit func(at token.Pos, del int, text string), guard string) {
	if guardLit(call.Fun) {
		return
	}
	sig, ok := info.Types[call.Fun].Type.(*types.Signature)
	if !ok || info.Types[call.Fun].IsType() {
		return
	}
	// A method value x.m: yaegi mistypes method values of compiled types, so the receiver is
	// passed instead, x.m( becoming (x, with __f.m( inside.
	var recv string // the receiver's type, for a method
	sel, _ := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	addr := false
	if sel != nil {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			rt := s.Recv()
			_, isPtr := rt.(*types.Pointer)
			if !isPtr && !types.IsInterface(rt) && types.NewMethodSet(rt).Lookup(s.Obj().Pkg(), s.Obj().Name()) == nil {
				rt, addr = types.NewPointer(rt), true // x.m with a pointer method: (&x).m
			}
			if recv, ok = typeText(rt); !ok {
				return
			}
		} else {
			sel = nil
		}
	}
	ft := recv
	if sel == nil {
		if ft, ok = typeText(sig); !ok {
			return
		}
	}
	params := sig.Params()
	n := params.Len()
	if (!sig.Variadic() && len(call.Args) != n) || (sig.Variadic() && len(call.Args) < n-1) {
		return // f(g()) with g's results as arguments, …: left as it is
	}
	var decl, use []string
	for i := range call.Args {
		var t types.Type
		dots := ""
		switch {
		case sig.Variadic() && i >= n-1 && call.Ellipsis.IsValid():
			// f(a, xs...): the slice is passed as one (yaegi cannot spread into a literal)
			t = params.At(n - 1).Type()
			dots = "..."
		case sig.Variadic() && i >= n-1:
			t = params.At(n - 1).Type().(*types.Slice).Elem()
		default:
			t = params.At(i).Type()
		}
		tt, ok := typeText(t)
		if !ok {
			return
		}
		name := "__a" + strconv.Itoa(i)
		decl = append(decl, name+" "+tt)
		use = append(use, name+dots)
	}
	callee := "__f"
	if sel != nil {
		callee = "__f." + sel.Sel.Name
	}
	wrapper := "func(__f " + ft + strings.Join(append([]string{""}, decl...), ", ") + ") {" + guard + " " + callee + "(" + strings.Join(use, ", ") + ") }("
	sep := ""
	if len(call.Args) > 0 {
		sep = ", "
	}
	if call.Ellipsis.IsValid() {
		edit(call.Ellipsis, 3, "")
	}
	if sel == nil {
		edit(call.Fun.Pos(), 0, wrapper)
		edit(call.Lparen, 1, sep)
		return
	}
	if addr {
		wrapper += "&("
		sep = ")" + sep
	}
	edit(call.Fun.Pos(), 0, wrapper)
	edit(sel.X.End(), int(call.Lparen-sel.X.End())+1, sep)
}

// startsGoroutines reports whether t is sync.WaitGroup or errgroup.Group (or a pointer to one),
// whose Go method runs its function as a goroutine's top.
func startsGoroutines(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	path, name := n.Obj().Pkg().Path(), n.Obj().Name()
	return path == "sync" && name == "WaitGroup" || path == "golang.org/x/sync/errgroup" && name == "Group"
}

// constText is a constant's value as Go source (a float keeps a point, so it stays a float).
func constText(v constant.Value) string {
	if v.Kind() == constant.Float {
		f, _ := constant.Float64Val(v)
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0"
		}
		return s
	}
	return v.ExactString()
}
