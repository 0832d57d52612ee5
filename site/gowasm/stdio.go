package gowasm

import (
	"bytes"
	_ "embed"
	"os"
	"path/filepath"
	"sync"
)

// stdioFile replaces GOROOT/src/syscall/time_nofake.go in every js/wasm build (see the file):
// stdout and stderr are then written synchronously, as natively, instead of parking the writing
// goroutine until JavaScript answers. docs/arch/gowasm.md, "Output".
//
//go:embed overlay/time_nofake.go.txt
var stdioFile []byte

// stdioPatch is the file stdioFile replaces in tc, or "" when tc's syscall package is not the
// shape it was written for (another Go release): such builds write through fs.write, slower but
// correct, rather than fail.
func stdioPatch(tc Toolchain) string {
	if v, ok := stdioPatches.Load(tc.GOROOT); ok {
		return v.(string)
	}
	p := findStdioPatch(tc)
	stdioPatches.Store(tc.GOROOT, p)
	return p
}

var stdioPatches sync.Map // GOROOT → stdioPatch's answer

func findStdioPatch(tc Toolchain) string {
	dir := filepath.Join(tc.GOROOT, "src", "syscall")
	orig, err := os.ReadFile(filepath.Join(dir, "time_nofake.go"))
	if err != nil || !bytes.Contains(orig, []byte("const faketime = false")) {
		return ""
	}
	fsjs, err := os.ReadFile(filepath.Join(dir, "fs_js.go"))
	if err != nil || !bytes.Contains(fsjs, []byte("if faketime && (fd == 1 || fd == 2) {\n\t\tn := faketimeWrite(fd, b)")) {
		return ""
	}
	return filepath.Join(dir, "time_nofake.go")
}
