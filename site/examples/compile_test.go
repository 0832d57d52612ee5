package examples

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"unblocked/site/diag"
)

// tempModule writes files (path → content) into a fresh module "tmpmod".
func tempModule(t *testing.T, files map[string]string) string {
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

func TestCompileErrorsArePositioned(t *testing.T) {
	root := tempModule(t, map[string]string{
		"wasm/bad/sync/main.go": "package main\n\nfunc main() {\n\tx := 1\n\tundefinedThing()\n}\n",
	})
	c := &Compiler{Root: root, CacheDir: t.TempDir()}
	_, err := c.Compile(context.Background(), &Example{Name: "bad"}, "sync")
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T), want a diag.List", err, err)
	}
	want := diag.List{
		{Path: "wasm/bad/sync/main.go", Line: 4, Col: 2, Msg: "declared and not used: x"},
		{Path: "wasm/bad/sync/main.go", Line: 5, Col: 2, Msg: "undefined: undefinedThing"},
	}
	if len(list) != len(want) {
		t.Fatalf("errors:\n%v\nwant:\n%v", list, want)
	}
	for i := range want {
		if list[i] != want[i] {
			t.Errorf("error %d = %q, want %q", i, list[i], want[i])
		}
	}
	if entries, _ := os.ReadDir(c.CacheDir); len(entries) != 0 {
		t.Errorf("failed build left %d files in the cache", len(entries))
	}
}

func TestCompileCacheAndSingleflight(t *testing.T) {
	root := tempModule(t, map[string]string{
		"wasm/ok/sync/main.go": "package main\n\nimport \"tmpmod/lib\"\n\nfunc main() { println(lib.Greeting) }\n",
		"lib/lib.go":           "package lib\n\nconst Greeting = \"hi\"\n",
	})
	c := &Compiler{Root: root, CacheDir: t.TempDir()}
	ctx := context.Background()

	var wg sync.WaitGroup
	outs := make([][]byte, 4)
	errs := make([]error, 4)
	for i := range outs {
		wg.Go(func() { outs[i], errs[i] = c.CompileDir(ctx, "wasm/ok/sync") })
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.HasPrefix(outs[i], []byte("\x00asm")) || !bytes.Equal(outs[i], outs[0]) {
			t.Fatalf("result %d is not the same wasm module", i)
		}
	}
	if n := c.builds.Load(); n != 1 {
		t.Fatalf("4 concurrent compiles of one package ran go build %d times, want 1", n)
	}

	// A hit must not start the go command: with no go on PATH it still works.
	c2 := &Compiler{Root: root, CacheDir: c.CacheDir}
	t.Setenv("PATH", "")
	b, err := c2.CompileDir(ctx, "wasm/ok/sync")
	if err != nil || !bytes.Equal(b, outs[0]) || c2.builds.Load() != 0 {
		t.Fatalf("cache hit: err %v, same bytes %v, builds %d", err, bytes.Equal(b, outs[0]), c2.builds.Load())
	}

	// Editing a package of the module that main imports must miss the cache.
	k1, _ := c.key("", []string{"wasm/ok/sync"})
	os.WriteFile(filepath.Join(root, "unrelated.go"), []byte("package tmpmod\n"), 0o644)
	k2, _ := c.key("", []string{"wasm/ok/sync"})
	os.WriteFile(filepath.Join(root, "lib", "lib.go"), []byte("package lib\n\nconst Greeting = \"hello\"\n"), 0o644)
	k3, _ := c.key("", []string{"wasm/ok/sync"})
	if k1 != k2 {
		t.Error("a file main does not import changed the key")
	}
	if k2 == k3 {
		t.Error("editing an imported package of the module kept the key")
	}
	if _, err := c2.CompileDir(ctx, "wasm/ok/sync"); err == nil {
		t.Error("a changed package compiled without go on PATH: the cache ignored the edit")
	}
}

func TestCompileDirOutsideRoot(t *testing.T) {
	c := &Compiler{Root: t.TempDir()}
	for _, dir := range []string{"../x", "/etc"} {
		if _, err := c.CompileDir(context.Background(), dir); err == nil {
			t.Errorf("CompileDir(%q) succeeded", dir)
		}
	}
	if c.builds.Load() != 0 {
		t.Error("go build ran for a directory outside the repository")
	}
}

func TestWasmExecJS(t *testing.T) {
	b, err := WasmExecJS()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("globalThis.Go = class")) {
		t.Errorf("not wasm_exec.js (%d bytes)", len(b))
	}
}
