package examples

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"unblocked/internal/wasmtrace"
	"unblocked/site/diag"
	"unblocked/site/gowasm"
	"unblocked/site/gowasm/gowasmtest"
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

var pair = []Program{{"x/sync", "wasm/x/sync"}, {"x/concurrent", "wasm/x/concurrent"}}

// TestBundleSources checks what a bundle hands the go command, with a fake one that keeps the
// files of the overlay: each program as a package of its own under a //line directive naming
// its file, main renamed Main, and a generated main choosing by os.Args[0].
func TestBundleSources(t *testing.T) {
	keep := t.TempDir()
	fake := gowasmtest.New(t, `cp -r "$(dirname "$overlay")" `+keep+`/overlay; `+gowasmtest.WriteWasm)
	root := gowasmtest.Module(t, map[string]string{"wasm/x/sync/main.go": progA, "wasm/x/concurrent/main.go": progB})
	b := gowasm.New(gowasm.Options{Root: root, GoCmd: fake.Cmd})
	if _, err := Bundle(context.Background(), b, "examples", pair); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	filepath.WalkDir(filepath.Join(keep, "overlay"), func(p string, d os.DirEntry, err error) error {
		if strings.HasSuffix(p, ".go") {
			data, _ := os.ReadFile(p)
			files[filepath.Base(filepath.Dir(p))+"/"+d.Name()] = string(data)
		}
		return nil
	})
	var main string
	var progs []string
	for _, src := range files {
		switch {
		case strings.Contains(src, "DO NOT EDIT"):
			main = src
		case src == string(wasmtrace.Source): // the wrapper's tracer, for a module without it
		default:
			progs = append(progs, src)
		}
	}
	for _, want := range []string{`"tmpmod/wasm/_bundle/examples/x/concurrent"`, `"x/sync": p1.Main,`, `programs[os.Args[0]]`, `it holds: %s)\n", os.Args[0], "x/concurrent, x/sync")`} {
		if !strings.Contains(main, want) {
			t.Errorf("generated main lacks %s:\n%s", want, main)
		}
	}
	if len(progs) != 2 {
		t.Fatalf("%d program files in the overlay, want 2: %v", len(progs), files)
	}
	for _, src := range progs {
		if !strings.HasPrefix(src, "//line wasm/x/") || !strings.Contains(src, "\npackage p\n") || !strings.Contains(src, "\nfunc Main() {\n") || strings.Contains(src, "func main") {
			t.Errorf("program source:\n%s", src)
		}
		// no line moved: the original lines follow the directive
		if lines := strings.Count(src, "\n"); lines != strings.Count(progA, "\n")+1 && lines != strings.Count(progB, "\n")+1 {
			t.Errorf("lines moved:\n%s", src)
		}
	}
	// An edit to one program is a new bundle; nothing changed is a hit.
	if _, err := Bundle(context.Background(), b, "examples", pair); err != nil || fake.Calls(t) != 1 {
		t.Fatalf("unchanged: %v, %d go builds", err, fake.Calls(t))
	}
	os.WriteFile(filepath.Join(root, "wasm/x/sync/main.go"), []byte(strings.Replace(progA, `"a"`, `"A"`, 1)), 0o644)
	if _, err := Bundle(context.Background(), b, "examples", pair); err != nil || fake.Calls(t) != 2 {
		t.Fatalf("after an edit: %v, %d go builds", err, fake.Calls(t))
	}
}

func TestBundleRefusesInitAndPackageFlags(t *testing.T) {
	src := "package main\n\nimport \"flag\"\n\nvar n = flag.Int(\"n\", 1, \"\")\n\nfunc init() {}\n\nfunc main() { flag.Parse() }\n"
	root := gowasmtest.Module(t, map[string]string{"wasm/x/sync/main.go": src})
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	b := gowasm.New(gowasm.Options{Root: root, GoCmd: fake.Cmd})
	_, err := Bundle(context.Background(), b, "examples", []Program{{"x/sync", "wasm/x/sync"}})
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
	if fake.Calls(t) != 0 {
		t.Error("go build ran for a refused program")
	}
}

func TestBundleArguments(t *testing.T) {
	root := gowasmtest.Module(t, map[string]string{"wasm/x/sync/main.go": progA})
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	b := gowasm.New(gowasm.Options{Root: root, GoCmd: fake.Cmd})
	for _, tc := range []struct {
		name  string
		progs []Program
	}{
		{"", pair}, {"a/b", pair}, {"examples", nil},
		{"examples", []Program{{"x/sync", "wasm/x/sync"}, {"x/sync", "wasm/x/sync"}}},
		{"examples", []Program{{"x/sync", "wasm/nope"}}},
	} {
		if _, err := Bundle(context.Background(), b, tc.name, tc.progs); err == nil {
			t.Errorf("bundle %q of %v built", tc.name, tc.progs)
		}
	}
	if fake.Calls(t) != 0 {
		t.Error("go build ran")
	}
}

// TestBundleTraces checks the scheduler view's part of the generated main: it starts the
// runtime tracer into the worker's sink before the program and stops it after, and a program's
// native-only file (the -trace flag, //go:build !js) stays out of the bundle.
func TestBundleTraces(t *testing.T) {
	keep := t.TempDir()
	fake := gowasmtest.New(t, `cp -r "$(dirname "$overlay")" `+keep+`/overlay; `+gowasmtest.WriteWasm)
	native := "//go:build !js\n\npackage main\n\nfunc init() { panic(\"native only\") }\n"
	root := gowasmtest.Module(t, map[string]string{"wasm/x/sync/main.go": progA, "wasm/x/sync/trace.go": native,
		"wasm/x/concurrent/main.go": progB, "wasm/x/concurrent/both.go": "//go:build js || !js\n\npackage main\n\nvar _ = 1\n"})
	b := gowasm.New(gowasm.Options{Root: root, GoCmd: fake.Cmd})
	if _, err := Bundle(context.Background(), b, "examples", pair); err != nil {
		t.Fatal(err)
	}
	var main string
	nativeIn, bothIn := false, false
	filepath.WalkDir(filepath.Join(keep, "overlay"), func(p string, d os.DirEntry, err error) error {
		if strings.HasSuffix(p, ".go") {
			data, _ := os.ReadFile(p)
			src := string(data)
			nativeIn = nativeIn || strings.Contains(src, "native only")
			bothIn = bothIn || strings.Contains(src, "var _ = 1")
			if strings.Contains(src, "DO NOT EDIT") {
				main = src
			}
		}
		return nil
	})
	if nativeIn || !bothIn {
		t.Errorf("overlay: native-only file in it %v, js-or-native file in it %v", nativeIn, bothIn)
	}
	start := strings.Index(main, "defer wasmtrace.Start()()")
	run := strings.Index(main, "\trun()\n")
	if start < 0 || run < start || !strings.Contains(main, `/internal/wasmtrace"`) {
		t.Errorf("generated main does not trace the run:\n%s", main)
	}
}

func TestForJSWasm(t *testing.T) {
	for src, want := range map[string]bool{
		"package main\n":                             true,
		"//go:build !js\n\npackage main\n":           false,
		"//go:build js && wasm\n\npackage main\n":    true,
		"// doc\n//go:build linux\npackage main\n":   false,
		"package main\n\n//go:build !js\n":           true, // after the package clause it is no constraint
		"//go:build go1.21 && !windows\npackage p\n": true,
	} {
		if got := forJSWasm([]byte(src)); got != want {
			t.Errorf("forJSWasm(%q) = %v, want %v", src, got, want)
		}
	}
}
