package examples

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"unblocked/site/diag"
)

// Two programs with the same names inside (task, the -n flag), as a sync/concurrent pair has.
const progA = `package main

import (
	"flag"
	"fmt"
)

func task(i int) string { return fmt.Sprint("a", i) }

func main() {
	n := flag.Int("n", 1, "count")
	flag.Parse()
	for i := range *n {
		fmt.Println(task(i))
	}
}
`

const progB = `package main

import (
	"flag"
	"fmt"
	"os"
)

func task(i int) string { return fmt.Sprint("b", i) }

func main() {
	n := flag.Int("n", 1, "count")
	flag.Parse()
	fmt.Println(task(*n), os.Args[0])
	os.Exit(3)
}
`

// runBundle runs one program of a bundle under Node as the page's worker does.
func runBundle(t *testing.T, wasm []byte, program string, args ...string) (string, int) {
	t.Helper()
	goroot, _, err := toolchain()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "bundle.wasm")
	if err := os.WriteFile(f, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	runner, _ := filepath.Abs(filepath.Join("testdata", "run_bundle.js"))
	cmd := exec.Command("node", append([]string{runner, filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"), f, program}, args...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func TestBundleRunsEachProgram(t *testing.T) {
	root := tempModule(t, map[string]string{"wasm/x/sync/main.go": progA, "wasm/x/concurrent/main.go": progB})
	c := &Compiler{Root: root, CacheDir: t.TempDir()}
	progs := []Program{{"x/sync", "wasm/x/sync"}, {"x/concurrent", "wasm/x/concurrent"}}
	wasm, err := c.CompileBundle(context.Background(), "examples", progs)
	if err != nil {
		t.Fatal(err)
	}
	if out, code := runBundle(t, wasm, "x/sync", "-n", "3"); out != "a0\na1\na2\n" || code != 0 {
		t.Errorf("x/sync: %q, exit %d", out, code)
	}
	if out, code := runBundle(t, wasm, "x/concurrent", "-n", "7"); out != "b7 x/concurrent\n" || code != 3 {
		t.Errorf("x/concurrent: %q, exit %d (want its own os.Exit(3))", out, code)
	}
	if out, code := runBundle(t, wasm, "nope"); code != 2 || !strings.Contains(out, `no program "nope" in this module (it holds: x/concurrent, x/sync)`) {
		t.Errorf("unknown program: %q, exit %d", out, code)
	}

	// a hit needs no go build; an edit of one program rebuilds
	if _, err := c.CompileBundle(context.Background(), "examples", progs); err != nil || c.builds.Load() != 1 {
		t.Fatalf("second build: %v, %d go builds", err, c.builds.Load())
	}
	os.WriteFile(filepath.Join(root, "wasm/x/sync/main.go"), []byte(strings.Replace(progA, `"a"`, `"A"`, 1)), 0o644)
	wasm, err = c.CompileBundle(context.Background(), "examples", progs)
	if err != nil || c.builds.Load() != 2 {
		t.Fatalf("after an edit: %v, %d go builds", err, c.builds.Load())
	}
	if out, _ := runBundle(t, wasm, "x/sync"); out != "A0\n" {
		t.Errorf("edited x/sync: %q", out)
	}
}

func TestBundleErrorsNameTheProgram(t *testing.T) {
	// the error after `func main() {` checks that renaming main keeps the columns
	bad := "package main\n\nimport \"fmt\"\n\nfunc main() { undefinedThing(); fmt.Println() }\n\nfunc other() int { return \"s\" }\n"
	root := tempModule(t, map[string]string{"wasm/x/sync/main.go": bad, "wasm/x/concurrent/main.go": progB})
	c := &Compiler{Root: root, CacheDir: t.TempDir()}
	_, err := c.CompileBundle(context.Background(), "examples", []Program{{"x/sync", "wasm/x/sync"}, {"x/concurrent", "wasm/x/concurrent"}})
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T), want a diag.List", err, err)
	}
	want := []string{
		"wasm/x/sync/main.go:5:15: undefined: undefinedThing",
		`wasm/x/sync/main.go:7:27: cannot use "s" (untyped string constant) as int value in return statement`,
	}
	if len(list) != len(want) {
		t.Fatalf("errors:\n%v\nwant:\n%s", list, strings.Join(want, "\n"))
	}
	for i := range want {
		if list[i].Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, list[i].Error(), want[i])
		}
	}
}

func TestBundleRefusesInitAndPackageFlags(t *testing.T) {
	src := "package main\n\nimport \"flag\"\n\nvar n = flag.Int(\"n\", 1, \"\")\n\nfunc init() {}\n\nfunc main() { flag.Parse() }\n"
	root := tempModule(t, map[string]string{"wasm/x/sync/main.go": src})
	c := &Compiler{Root: root}
	_, err := c.CompileBundle(context.Background(), "examples", []Program{{"x/sync", "wasm/x/sync"}})
	var list diag.List
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v, want two positioned errors", err)
	}
	if e := list[0]; e.Path != "wasm/x/sync/main.go" || e.Line != 5 || e.Col != 9 || !strings.Contains(e.Msg, "package-level flag.Int") {
		t.Errorf("flag: %v", e)
	}
	if e := list[1]; e.Line != 7 || e.Col != 6 || !strings.Contains(e.Msg, "func init") {
		t.Errorf("init: %v", e)
	}
	if c.builds.Load() != 0 {
		t.Error("go build ran for a refused program")
	}
}
