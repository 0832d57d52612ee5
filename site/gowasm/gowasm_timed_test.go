//go:build timed

package gowasm

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"unblocked/site/diag"
)

// TestTimedRealBuild runs the real go command: a module package, its compile errors positioned
// on disk and in overlay files (which the compiler names by their temporary copies).
func TestTimedRealBuild(t *testing.T) {
	root := newModule(t)
	b := New(Options{Root: root, CacheDir: t.TempDir()})
	ctx := context.Background()
	data, err := b.Package(ctx, "cmd/hi")
	if err != nil || !bytes.HasPrefix(data, []byte("\x00asm\x01\x00\x00\x00")) {
		t.Fatalf("%v, % x", err, data[:min(8, len(data))])
	}
	_, err = b.Build(ctx, Job{Package: "cmd/hi", Files: map[string][]byte{
		"cmd/hi/main.go": []byte("package main\n\nimport \"tmpmod/lib\"\n\nfunc main() {\n\tx := 1\n\tprintln(lib.Nope)\n}\n"),
		"lib/extra.go":   []byte("package lib\n\nvar Bad int = \"s\"\n"),
	}})
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T), want a diag.List", err, err)
	}
	want := []string{`lib/extra.go:3:15: cannot use "s" (untyped string constant) as int value in variable declaration`}
	if len(list) != len(want) || list[0].Error() != want[0] {
		t.Fatalf("errors:\n%v\nwant:\n%v", list, want)
	}
	// Once lib compiles, main's own errors, in the overlaid main.go.
	_, err = b.Build(ctx, Job{Package: "cmd/hi", Files: map[string][]byte{
		"cmd/hi/main.go": []byte("package main\n\nimport \"tmpmod/lib\"\n\nfunc main() {\n\tx := 1\n\tprintln(lib.Nope)\n}\n"),
	}})
	if !errors.As(err, &list) || len(list) != 2 || list[0].Error() != "cmd/hi/main.go:6:2: declared and not used: x" ||
		list[1].Error() != "cmd/hi/main.go:7:14: undefined: lib.Nope" {
		t.Fatalf("errors:\n%v", err)
	}
	if s := b.Stats(); s.Builds != 3 {
		t.Errorf("stats %+v", s)
	}
}

// TestTimedStdoutIsSynchronous runs a real js/wasm build under Node: a print must not park the
// printing goroutine (stdio.go). Without the overlay, syscall.Write waits for fs.write's
// callback, and the goroutine started just before the print runs meanwhile.
func TestTimedStdoutIsSynchronous(t *testing.T) {
	tc, err := FindToolchain("")
	if err != nil {
		t.Fatal(err)
	}
	if stdioPatch(tc) == "" {
		t.Fatalf("the toolchain in %s has no syscall/time_nofake.go of the shape stdio.go replaces: update overlay/time_nofake.go.txt", tc.GOROOT)
	}
	b := New(Options{Root: newModule(t), CacheDir: t.TempDir()})
	wasm, err := b.Build(context.Background(), Job{Package: "cmd/order", Files: map[string][]byte{"cmd/order/main.go": []byte(`package main

import (
	"fmt"
	"os"
)

func main() {
	ran := false
	go func() { ran = true }()
	fmt.Println("a print")
	fmt.Fprintln(os.Stderr, "another")
	fmt.Println("other goroutine ran during the prints:", ran)
}
`)}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "order.wasm")
	if err := os.WriteFile(file, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", filepath.Join(tc.GOROOT, "lib", "wasm", "wasm_exec_node.js"), file).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if want := "a print\nanother\nother goroutine ran during the prints: false\n"; string(out) != want {
		t.Errorf("output %q, want %q", out, want)
	}
}
