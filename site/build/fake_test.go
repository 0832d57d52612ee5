package build

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"unblocked/site/diag"
	"unblocked/site/examples"
)

// fakeCompiler stands in for the js/wasm toolchain: a module is a few bytes derived from its
// programs' sources, so an edit changes its hash as a real build would, and no test starts
// go build. fail makes every bundle holding a program of that folder report errs.
type fakeCompiler struct {
	root string

	mu      sync.Mutex
	bundles int // CompileBundle calls
	dirs    []string
	fail    map[string]diag.List // program folder ("wasm/sleep/sync") → its compile errors
}

func (f *fakeCompiler) CompileBundle(ctx context.Context, name string, progs []examples.Program) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bundles++
	var errs diag.List
	h := sha256.New()
	for _, p := range progs {
		errs = append(errs, f.fail[p.Dir]...)
		src, err := os.ReadFile(filepath.Join(f.root, filepath.FromSlash(p.Dir), "main.go"))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "%s\x00%s\x00", p.Name, src)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	names := make([]string, len(progs))
	for i, p := range progs {
		names[i] = p.Name
	}
	sort.Strings(names)
	return fmt.Appendf([]byte("\x00asm"), "fake bundle %s: %s %x", name, strings.Join(names, " "), h.Sum(nil)), nil
}

func (f *fakeCompiler) CompileDir(ctx context.Context, dir string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dirs = append(f.dirs, dir)
	return []byte("\x00asm fake " + dir), nil
}

func (f *fakeCompiler) WasmExecJS() ([]byte, error) {
	return []byte("// wasm_exec.js of the fake toolchain\n"), nil
}
