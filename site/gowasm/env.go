package gowasm

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// flags are the go build flags of every js/wasm build. They are part of every cache key; -s -w
// drop the symbol table and DWARF, which a browser downloads but never uses, and -buildvcs=false
// keeps the commit out of the module, whose bytes (and content-hashed URL) would otherwise change
// with every commit of the repository, and spares a git command per build.
var flags = []string{"-trimpath", "-buildvcs=false", "-ldflags=-s -w"}

// target is the environment every build runs with, after the caller's. GOTOOLCHAIN=local pins the
// installed toolchain, so the modules match the wasm_exec.js that WasmExecJS returns.
var target = []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOTOOLCHAIN=local"}

// Env is the environment of a js/wasm build: the process's own, then extra, then the target
// (GOOS=js GOARCH=wasm CGO_ENABLED=0 GOTOOLCHAIN=local), which nothing overrides.
func Env(extra ...string) []string {
	env := append(os.Environ(), extra...)
	return append(env, target...)
}

// keyEnv are the variables the go command reads that change a module's bytes; their values are
// part of every cache key.
var keyEnv = []string{"GOFLAGS", "GOEXPERIMENT", "GOWASM", "GODEBUG", "GOWORK"}

// Toolchain is the Go installation a go command belongs to.
type Toolchain struct {
	GOROOT  string
	Version string // "go1.26.8"
}

var toolchains sync.Map // go command → *toolchainOnce

type toolchainOnce struct {
	once sync.Once
	tc   Toolchain
	err  error
}

// FindToolchain returns the toolchain of goCmd ("go" when empty). It reads GOROOT/VERSION next to
// the binary, because a cache hit must not pay for starting the go command, and falls back to
// `go env` for unusual layouts (a distribution's wrapper script). The answer is remembered.
func FindToolchain(goCmd string) (Toolchain, error) {
	if goCmd == "" {
		goCmd = "go"
	}
	v, _ := toolchains.LoadOrStore(goCmd, &toolchainOnce{})
	t := v.(*toolchainOnce)
	t.once.Do(func() { t.tc, t.err = findToolchain(goCmd) })
	return t.tc, t.err
}

func findToolchain(goCmd string) (Toolchain, error) {
	if p, err := exec.LookPath(goCmd); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			goroot := filepath.Dir(filepath.Dir(real))
			if b, err := os.ReadFile(filepath.Join(goroot, "VERSION")); err == nil {
				v, _, _ := strings.Cut(string(b), "\n")
				if strings.HasPrefix(v, "go") {
					return Toolchain{goroot, strings.TrimSpace(v)}, nil
				}
			}
		}
	}
	cmd := exec.Command(goCmd, "env", "GOROOT", "GOVERSION")
	cmd.Env = Env()
	out, err := cmd.Output()
	if err != nil {
		return Toolchain{}, fmt.Errorf("gowasm: %s env: %v", goCmd, err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return Toolchain{}, fmt.Errorf("gowasm: unexpected output of %s env: %q", goCmd, out)
	}
	return Toolchain{f[0], f[1]}, nil
}

// WasmExecJS returns wasm_exec.js of the go command on PATH, the one every Builder without a
// GoCmd uses. It must match the modules: the runtime's imports change between Go releases.
func WasmExecJS() ([]byte, error) {
	tc, err := FindToolchain("")
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(tc.GOROOT, "lib", "wasm", "wasm_exec.js"))
}
