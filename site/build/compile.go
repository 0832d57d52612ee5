package build

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"unblocked/site/diag"
	"unblocked/site/examples"
	"unblocked/site/gowasm"
)

// Compiler is the build's one seam to the js/wasm toolchain. Tests give a fake, so the unit
// tier never starts go build.
type Compiler interface {
	// CompileBundle links progs into one module called name (examples.Bundles); errors that
	// name the programs' own files are a diag.List.
	CompileBundle(ctx context.Context, name string, progs []examples.Program) ([]byte, error)
	// CompileDir builds the main package in dir, relative to the repository root.
	CompileDir(ctx context.Context, dir string) ([]byte, error)
	// WasmExecJS returns wasm_exec.js of the Go that compiles: it must match the modules.
	WasmExecJS() ([]byte, error)
}

// gowasmCompiler is the real Compiler: gowasm, which runs every js/wasm build, and its
// wasm_exec.js.
type gowasmCompiler struct{ *gowasm.Builder }

func (c gowasmCompiler) CompileBundle(ctx context.Context, name string, progs []examples.Program) ([]byte, error) {
	return examples.Bundle(ctx, c.Builder, name, progs)
}

func (c gowasmCompiler) CompileDir(ctx context.Context, dir string) ([]byte, error) {
	return c.Package(ctx, dir)
}

func (gowasmCompiler) WasmExecJS() ([]byte, error) { return gowasm.WasmExecJS() }

// module is a compiled module and its content hash.
type module struct {
	data []byte
	hash string
}

// modules are a build's compiled bundles, by bundle name ("examples", "examples-net").
type modules map[string]module

func (ms modules) name(bundle string) string {
	return fmt.Sprintf("wasm/%s.%s.wasm", bundle, ms[bundle].hash)
}

// urls maps each bundle to its module's URL under base.
func (ms modules) urls(base string) map[string]string {
	out := map[string]string{}
	for bundle := range ms {
		out[bundle] = base + ms.name(bundle)
	}
	return out
}

// files are the modules as output files.
func (ms modules) files() map[string][]byte {
	out := map[string][]byte{}
	for bundle, m := range ms {
		out[ms.name(bundle)] = m.data
	}
	return out
}

// compileModules links every example into its bundle (examples.Bundles): one module per
// bundle, so a page fetches the Go runtime once for all its playgrounds. The bundles build at
// the same time; each go build is itself parallel. Compile errors are a diag.List; the
// modules that did build are returned with them.
func (b *Builder) compileModules(ctx context.Context, exs map[string]*examples.Example) (modules, error) {
	var (
		mu   sync.Mutex
		out  = modules{}
		errs diag.List
	)
	g, gctx := errgroup.WithContext(ctx)
	for name, progs := range examples.Bundles(exs) {
		g.Go(func() error {
			key, kerr := b.moduleKey(name, progs)
			if kerr == nil {
				if m, ok := b.modules.get(key); ok {
					mu.Lock()
					out[name] = m
					mu.Unlock()
					return nil
				}
			}
			wasm, err := b.compiler.CompileBundle(gctx, name, progs)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				var l diag.List
				if errors.As(err, &l) {
					errs = append(errs, l...)
					return nil
				}
				return fmt.Errorf("compiling the %s bundle: %w", name, err)
			}
			m := module{data: wasm, hash: hashHex(wasm)}
			out[name] = m
			if kerr == nil {
				b.modules.put(key, m)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
}

// moduleKey identifies the inputs of a bundle: its programs' .go files, go.mod and go.sum
// (examples import only the standard library and modules, never packages of this repository).
// It lets a rebuild skip both the compiler's own cache lookup, which reads megabytes of wasm
// from disk, and hashing the module again.
func (b *Builder) moduleKey(bundle string, progs []examples.Program) ([32]byte, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", bundle)
	paths := []string{filepath.Join(b.opt.Root, "go.mod"), filepath.Join(b.opt.Root, "go.sum")}
	for _, p := range progs {
		fmt.Fprintf(h, "%s=%s\x00", p.Name, p.Dir)
		dir := filepath.Join(b.opt.Root, filepath.FromSlash(p.Dir))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return [32]byte{}, err
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".go") {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return [32]byte{}, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k, nil
}

// interpDir is the interpreter's package: a js/wasm program that runs edited code.
const interpDir = "site/interp"

// interpreter compiles the interpreter when this build ships it (not in Dev builds, unless
// Options.Interp) and the repository has it. It returns its output file and its URL, or
// nothing and "".
func (b *Builder) interpreter(ctx context.Context) (files, string, error) {
	if b.opt.Dev && !b.opt.Interp {
		return nil, "", nil
	}
	return b.program(ctx, interpDir, "interp", "the interpreter")
}

// schedDir is the scheduler view's trace parser: a js/wasm program (site/sched/parser) the
// page runs after a run, on that run's trace (docs/arch/scheduler.md).
const schedDir = "site/sched/parser"

// schedParser compiles the trace parser when the repository has it (in Dev builds too: the
// view is part of every run). It returns its output file and its URL, or nothing and "".
func (b *Builder) schedParser(ctx context.Context) (files, string, error) {
	return b.program(ctx, schedDir, "sched", "the trace parser")
}

// program compiles the site's own js/wasm program in dir (what names it in errors) into
// wasm/<name>.<hash>.wasm, when Root has that folder (a test's fixture root has only what it
// tests). It returns the file and its URL, or nothing and "".
func (b *Builder) program(ctx context.Context, dir, name, what string) (files, string, error) {
	if st, err := os.Stat(filepath.Join(b.opt.Root, filepath.FromSlash(dir))); err != nil || !st.IsDir() {
		return nil, "", nil
	}
	data, err := b.compiler.CompileDir(ctx, dir)
	if err != nil {
		return nil, "", fmt.Errorf("compiling %s (%s): %w", what, dir, err)
	}
	file := fmt.Sprintf("wasm/%s.%s.wasm", name, hashHex(data))
	return files{file: data}, b.opt.Base + file, nil
}
