// Package gowasmtest gives tests a fake go command, so that code building through gowasm can be
// tested without compiling anything (the fake is a shell script: Unix only), and a module to
// build in.
package gowasmtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fake is a fake go command.
type Fake struct {
	Cmd string // its path: Options.GoCmd
	log string
}

// WriteWasm is a script body that writes a minimal WebAssembly module to the -o file.
const WriteWasm = `printf '\000asm\001\000\000\000' > "$out"`

// New writes a fake go command running body for `go build`. In body, $out is the -o argument,
// $overlay the -overlay file ("" without one) and $pkg the last argument. `go env GOROOT
// GOVERSION` answers a toolchain of its own (no wasm_exec.js there), so the fake never needs the
// real one.
func New(t testing.TB, body string) *Fake {
	t.Helper()
	dir := t.TempDir()
	f := &Fake{Cmd: filepath.Join(dir, "go"), log: filepath.Join(dir, "calls.log")}
	script := `#!/bin/sh
if [ "$1" = env ]; then echo "` + dir + `"; echo go1.99-fake; exit 0; fi
out=""; overlay=""; prev=""; pkg=""
for a in "$@"; do
  if [ "$prev" = "-o" ]; then out="$a"; fi
  case "$a" in -overlay=*) overlay="${a#-overlay=}";; esac
  prev="$a"; pkg="$a"
done
echo call >> "` + f.log + `"
` + body + "\n"
	if err := os.WriteFile(f.Cmd, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// Calls is how many times the fake was asked to build.
func (f *Fake) Calls(t testing.TB) int {
	t.Helper()
	data, err := os.ReadFile(f.log)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "call\n")
}

// Module writes files (slash-separated path → content) and a go.mod into a fresh module
// "tmpmod" and returns its root.
func Module(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module tmpmod\n\ngo 1.26\n"
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
