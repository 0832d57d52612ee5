package examples

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"unblocked/site/diag"
)

// buildFlags are fixed because they are part of the cache key; -s -w drops
// the symbol table and DWARF, which a browser downloads but never uses.
var buildFlags = []string{"-trimpath", "-ldflags=-s -w"}

// Compiler builds packages of the repository to js/wasm. Results are cached on
// disk by a hash of everything that can change the output, so a rebuild of an
// unchanged site never starts the go command. Safe for concurrent use; a
// Compiler must not be copied after first use.
type Compiler struct {
	Root     string // repo root on disk; `go build` runs there
	CacheDir string // content-hash cache of .wasm files; "" disables it

	flight singleflight.Group
	builds atomic.Int64 // go build invocations, so tests can prove a cache hit skips go
}

// Compile builds one variant ("sync" or "concurrent") of ex.
func (c *Compiler) Compile(ctx context.Context, ex *Example, variant string) ([]byte, error) {
	if !slices.Contains(Variants, variant) {
		return nil, fmt.Errorf("examples: unknown variant %q", variant)
	}
	return c.CompileDir(ctx, filepath.ToSlash(filepath.Join("wasm", ex.Name, variant)))
}

// CompileDir builds the main package in dir (relative to Root).
func (c *Compiler) CompileDir(ctx context.Context, dir string) ([]byte, error) {
	dir = filepath.ToSlash(filepath.Clean(dir))
	return c.cached(ctx, "", []string{dir}, func(ctx context.Context, out string) error {
		return c.goBuild(ctx, out, "./"+dir)
	})
}

// cached returns the module that build writes to out, from the cache when the inputs (tag and
// the packages in dirs, see key) are unchanged. Concurrent callers with the same inputs share
// one build.
func (c *Compiler) cached(ctx context.Context, tag string, dirs []string, build func(ctx context.Context, out string) error) ([]byte, error) {
	for _, dir := range dirs {
		if filepath.IsAbs(dir) || dir == ".." || strings.HasPrefix(dir, "../") {
			return nil, fmt.Errorf("examples: %s is not inside the repository", dir)
		}
	}
	key, err := c.key(tag, dirs)
	if err != nil {
		return nil, err
	}
	if c.CacheDir != "" {
		if b, err := os.ReadFile(filepath.Join(c.CacheDir, key+".wasm")); err == nil {
			return b, nil
		}
	}
	// The build runs detached from the first caller's context: other callers
	// may be waiting on the same key, and one giving up must not fail them.
	ch := c.flight.DoChan(key, func() (any, error) {
		return c.run(context.WithoutCancel(ctx), key, build)
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]byte), nil
	}
}

func (c *Compiler) run(ctx context.Context, key string, build func(ctx context.Context, out string) error) ([]byte, error) {
	tmpDir := c.CacheDir
	if tmpDir != "" {
		if err := os.MkdirAll(tmpDir, 0o755); err != nil {
			return nil, err
		}
	}
	f, err := os.CreateTemp(tmpDir, "build-*.wasm")
	if err != nil {
		return nil, err
	}
	out := f.Name()
	f.Close()
	defer os.Remove(out)

	if err := build(ctx, out); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	if c.CacheDir != "" {
		// Rename is atomic, so a concurrent reader sees the whole file or none.
		if err := os.Rename(out, filepath.Join(c.CacheDir, key+".wasm")); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// goBuild runs go build for js/wasm with args (flags, then the package) into out. Compile errors
// come back as a diag.List with paths relative to Root.
func (c *Compiler) goBuild(ctx context.Context, out string, args ...string) error {
	argv := append([]string{"build"}, buildFlags...)
	argv = append(argv, "-o", out)
	argv = append(argv, args...)
	c.builds.Add(1)
	cmd := exec.CommandContext(ctx, "go", argv...)
	cmd.Dir = c.Root
	cmd.Env = buildEnv()
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if errs := parseBuildErrors(c.Root, stderr.String()); len(errs) > 0 {
			return errs
		}
		return fmt.Errorf("go %s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	return nil
}

// buildEnv pins the toolchain to the installed one (GOTOOLCHAIN=local), so the
// wasm matches the wasm_exec.js that WasmExecJS returns.
func buildEnv() []string {
	return append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOTOOLCHAIN=local")
}

// key hashes every input of a build without running the go command: the
// toolchain version, target, flags, environment knobs the compiler reads,
// go.mod, go.sum, tag (what else the build depends on, e.g. a bundle's
// layout) and the files of dirs and of every package of this module they
// import (transitively). Other modules are pinned by go.sum.
func (c *Compiler) key(tag string, dirs []string) (string, error) {
	goroot, version, err := toolchain()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "v2\x00%s\x00%s\x00js/wasm\x00%q\x00%q\x00", goroot, version, buildFlags, tag)
	for _, k := range []string{"GOFLAGS", "GOEXPERIMENT", "GOWASM"} {
		fmt.Fprintf(h, "%s=%s\x00", k, os.Getenv(k))
	}
	modPath := ""
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(c.Root, name))
		if err != nil && !(name == "go.sum" && errors.Is(err, os.ErrNotExist)) {
			return "", err
		}
		if name == "go.mod" {
			modPath = modulePath(b)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	seen := map[string]bool{}
	queue := slices.Clone(dirs)
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if seen[d] {
			continue
		}
		seen[d] = true
		imports, err := hashPackage(h, c.Root, d)
		if err != nil {
			return "", err
		}
		for _, imp := range imports {
			if rest, ok := strings.CutPrefix(imp, modPath+"/"); ok && modPath != "" {
				queue = append(queue, rest)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashPackage writes the files of dir (all but tests: a package may embed
// data files) into h and returns the imports of its .go files. Embedded
// subdirectories are not followed.
func hashPackage(h io.Writer, root, dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil, err
	}
	var imports []string
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(dir), name))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "%s/%s\x00%d\x00", dir, name, len(b))
		h.Write(b)
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		// A file that does not parse is still hashed; go build reports it.
		f, err := parser.ParseFile(fset, name, b, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil {
				imports = append(imports, p)
			}
		}
	}
	return imports, nil
}

func modulePath(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// toolchain returns the go command's GOROOT and version.
func toolchain() (goroot, version string, err error) {
	t, err := findToolchain()
	return t.goroot, t.version, err
}

type toolchainInfo struct{ goroot, version string }

// findToolchain reads GOROOT/VERSION next to the go binary on PATH, because a
// cache hit must not pay for starting the go command. It falls back to
// `go env` when the layout is unusual (e.g. a distribution's wrapper script).
var findToolchain = sync.OnceValues(func() (toolchainInfo, error) {
	if p, err := exec.LookPath("go"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			goroot := filepath.Dir(filepath.Dir(real))
			if b, err := os.ReadFile(filepath.Join(goroot, "VERSION")); err == nil {
				v, _, _ := strings.Cut(string(b), "\n")
				if strings.HasPrefix(v, "go") {
					return toolchainInfo{goroot, strings.TrimSpace(v)}, nil
				}
			}
		}
	}
	cmd := exec.Command("go", "env", "GOROOT", "GOVERSION")
	cmd.Env = buildEnv()
	out, err := cmd.Output()
	if err != nil {
		return toolchainInfo{}, fmt.Errorf("examples: go env: %v", err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 {
		return toolchainInfo{}, fmt.Errorf("examples: unexpected go env output %q", out)
	}
	return toolchainInfo{lines[0], lines[1]}, nil
})

// WasmExecJS returns wasm_exec.js of the Go that compiles, which must match
// the compiled modules (the runtime's imports change between Go releases).
func WasmExecJS() ([]byte, error) {
	goroot, _, err := toolchain()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
}

// errLine matches compiler and vet-style diagnostics: file.go:line:col: msg
// (col optional).
var errLine = regexp.MustCompile(`^(\S+?\.go):(\d+)(?::(\d+))?: (.*)$`)

// parseBuildErrors turns go build output into positioned errors with paths
// relative to root. Lines without a position (e.g. a missing module) are kept
// as messages so nothing the author needs is dropped; "# pkg" headers are not.
func parseBuildErrors(root, out string) diag.List {
	var errs diag.List
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		m := errLine.FindStringSubmatch(line)
		if m == nil {
			if strings.HasPrefix(line, "\t") && len(errs) > 0 {
				// Continuation of the previous message (e.g. "have/want" lines).
				errs[len(errs)-1].Msg += "\n" + line
				continue
			}
			errs = append(errs, diag.Error{Msg: line})
			continue
		}
		p := filepath.FromSlash(m[1])
		if filepath.IsAbs(p) {
			if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		errs = append(errs, diag.Error{Path: strings.TrimPrefix(filepath.ToSlash(p), "./"), Line: ln, Col: col, Msg: m[4]})
	}
	return errs
}
