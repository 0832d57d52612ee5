package wasm

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"testing"
)

// The starve pair must do a fixed amount of computing, never calibrated against the clock: a
// calibration made on a busy machine made one version do twice the other's work, and the page
// then showed the concurrent one 1.9× faster or 1.9× slower at random. Both versions print each
// task's result; the same -delay gives the same results, in both versions.
func TestStarveDoesFixedWork(t *testing.T) {
	t.Parallel()
	results := func(variant string) map[string]string {
		o := native(t, "starve/"+variant, "-tasks", "3", "-delay", "5ms")
		o.allTasks(t, 3)
		got := map[string]string{}
		re := regexp.MustCompile(`^task (\d+) done: result ([0-9a-f]{16})$`)
		for _, l := range o.lines {
			if m := re.FindStringSubmatch(l); m != nil {
				got[m[1]] = m[2]
			}
		}
		if len(got) != 3 {
			t.Fatalf("%s: %d task results, want 3 (\"task N done: result <hex>\"):\n%s", variant, len(got), o.text)
		}
		return got
	}
	// the challenge's solution (fix-starve) yields as it computes, and must compute the same
	s := results("sync")
	for _, variant := range []string{"concurrent", "fixed"} {
		c := results(variant)
		for id, r := range s {
			if c[id] != r {
				t.Errorf("task %s: sync computed %s, %s %s: not the same work", id, r, variant, c[id])
			}
		}
	}
	for _, variant := range []string{"sync", "concurrent", "fixed"} {
		f, err := parser.ParseFile(token.NewFileSet(), "starve/"+variant+"/main.go", nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "work" {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "time" {
						t.Errorf("starve/%s: work uses time.%s: its amount of computing must not depend on the clock", variant, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}
