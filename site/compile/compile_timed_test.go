//go:build timed

package compile

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The tests below run the real go command (js/wasm, offline, x/sync from the module cache).

func realHandler(t *testing.T, o Options) http.Handler {
	o.ModFile = "../../go.mod"
	o.CacheDir = t.TempDir()
	if o.Timeout == 0 {
		o.Timeout = 3 * time.Minute // a cold build cache on a loaded machine
	}
	return Handler(o)
}

func TestTimedRealCompile(t *testing.T) {
	h := realHandler(t, Options{})
	src := `package main

import (
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	for i := range 3 {
		g.Go(func() error { time.Sleep(time.Millisecond); fmt.Println("task", i, "done"); return nil })
	}
	g.Wait()
}
`
	start := time.Now()
	rec := post(t, h, src)
	okWasm(t, rec)
	built := time.Since(start)
	if !bytes.HasPrefix(rec.Body.Bytes(), []byte("\x00asm\x01\x00\x00\x00")) {
		t.Fatalf("not a wasm module: % x", rec.Body.Bytes()[:8])
	}
	start = time.Now()
	okWasm(t, post(t, h, src))
	hit := time.Since(start)
	t.Logf("compiled %d bytes in %s, from the cache in %s", rec.Body.Len(), built, hit)
	if hit*10 > built {
		t.Errorf("a cache hit took %s, more than a tenth of the build's %s", hit, built)
	}
}

func TestTimedRealTypeError(t *testing.T) {
	h := realHandler(t, Options{})
	src := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"a\")\n\tfmt.Println(undefinedThing)\n\tvar s string = 1\n}\n"
	rec := post(t, h, src)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	errs := decodeErrors(t, rec)
	if len(errs) < 2 || errs[0] != (CompileError{7, 14, "undefined: undefinedThing"}) || errs[1].Line != 8 {
		t.Fatalf("errors %+v", errs)
	}
	if strings.Contains(rec.Body.String(), "gowasm-") || strings.Contains(rec.Body.String(), os.TempDir()+"/") {
		t.Fatalf("temp path leaked: %s", rec.Body)
	}
}

// bomb is the probe of the issue: about 700 bytes that double a string constant thirty times,
// which drove the compiler past 7 GB before the timeout.
func bomb() string {
	var b strings.Builder
	b.WriteString("package main\n\nimport \"fmt\"\n\nconst s0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "const s%d = s%d + s%d\n", i, i-1, i-1)
	}
	b.WriteString("\nfunc main() { fmt.Println(len(s30)) }\n")
	return b.String()
}

func TestTimedMemoryBomb(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the memory cap is Linux's (see gowasm.limitMemory)")
	}
	const timeout = 3 * time.Minute
	h := realHandler(t, Options{Timeout: timeout})
	start := time.Now()
	rec := post(t, h, bomb())
	took := time.Since(start)
	t.Logf("%d-byte program: %d in %s", len(bomb()), rec.Code, took)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
	}
	errs := decodeErrors(t, rec)
	if len(errs) != 1 || errs[0] != (CompileError{Msg: "the compiler ran out of its 1024 MB"}) {
		t.Fatalf("errors %+v, want only the short message", errs)
	}
	// The cap, not the timeout, stopped it: the answer came well before the timeout would have.
	if took > timeout/2 {
		t.Errorf("answered after %s, half the timeout of %s", took, timeout)
	}
}

// TestTimedModuleAlone builds in a module that is go.mod and go.sum alone, as the one-binary
// workbook's compile endpoint does (docs/arch/classroom.md): the trace wrapper's package comes
// with the build.
func TestTimedModuleAlone(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile("../../" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/"+name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := Handler(Options{ModFile: dir + "/go.mod", CacheDir: t.TempDir(), Timeout: 3 * time.Minute})
	okWasm(t, post(t, h, "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n"))
}
