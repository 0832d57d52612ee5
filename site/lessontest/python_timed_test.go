//go:build timed

package lessontest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuin/goldmark/ast"

	"unblocked/site/lab"
	"unblocked/site/markdown"
)

// block is one ```python block of a lesson.
type block struct {
	path string // lessons/en/01-sync-vs-concurrent.md
	line int
	code []byte
}

func pythonBlocks(t *testing.T) []block {
	t.Helper()
	files, err := filepath.Glob("../../lessons/*/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no lessons: %v", err)
	}
	md := markdown.New(markdown.Options{})
	var blocks []block
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := md.Parse(src)
		ast.Walk(doc.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			fc, ok := n.(*ast.FencedCodeBlock)
			if !entering || !ok || string(fc.Language(src)) != "python" {
				return ast.WalkContinue, nil
			}
			var code bytes.Buffer
			lines := fc.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				code.Write(seg.Value(src))
			}
			line, _ := doc.Position(lines.At(0).Start)
			rel, _ := filepath.Rel("../..", f)
			blocks = append(blocks, block{filepath.ToSlash(rel), line, code.Bytes()})
			return ast.WalkSkipChildren, nil
		})
	}
	return blocks
}

// python3 is Debian's python3 if there is one, else the first on PATH; it
// must be 3.11 or later (asyncio.timeout, TaskGroup, except*).
func python3(t *testing.T) string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if py, err = exec.LookPath("python3"); err != nil {
			t.Fatal("python3 is needed to run the lessons' Python: ", err)
		}
	}
	out, err := exec.Command(py, "-c", "import sys; print(sys.version_info >= (3, 11))").Output()
	if err != nil || strings.TrimSpace(string(out)) != "True" {
		t.Fatalf("%s: need Python 3.11 or later (%v, %q)", py, err, out)
	}
	return py
}

func TestTimedPythonBlocks(t *testing.T) {
	py := python3(t)
	stubs, err := filepath.Abs("testdata/stubs")
	if err != nil {
		t.Fatal(err)
	}
	blocks := pythonBlocks(t)
	if len(blocks) < 20 {
		t.Fatalf("found %d python blocks, expected the lessons' twenty and more", len(blocks))
	}
	// the real aiohttp (Debian's python3-aiohttp), not a stand-in: a block that misuses it fails
	if out, err := exec.Command(py, "-c", "import aiohttp").CombinedOutput(); err != nil {
		t.Fatalf("%s has no aiohttp (apt-get install python3-aiohttp): %v\n%s", py, err, out)
	}
	// every URL the blocks fetch goes to the lab (testdata/stubs/sitecustomize.py)
	srv := httptest.NewServer(http.StripPrefix("/lab", lab.Handler()))
	defer srv.Close()
	dir := t.TempDir()
	slots := make(chan struct{}, 4) // mostly asleep in asyncio.sleep; a few at once
	var wg sync.WaitGroup
	for i, b := range blocks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			file := filepath.Join(dir, fmt.Sprintf("block%02d.py", i))
			if err := os.WriteFile(file, b.code, 0o644); err != nil {
				t.Error(err)
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, py, file)
			cmd.Env = append(os.Environ(), "PYTHONPATH="+stubs, "PYTHONDONTWRITEBYTECODE=1", "UNBLOCKED_LAB="+srv.URL+"/lab/")
			if bytes.Contains(b.code, []byte("aiohttp")) {
				cmd.Env = append(cmd.Env, "UNBLOCKED_AIOHTTP=1")
			}
			out, err := cmd.CombinedOutput()
			if err != nil || bytes.Contains(out, []byte("Traceback")) || bytes.Contains(out, []byte("never retrieved")) {
				t.Errorf("%s:%d: the python block does not run as shown (%v):\n%s\n--- output:\n%s", b.path, b.line, err, b.code, out)
			}
		}()
	}
	wg.Wait()
	t.Logf("ran %d python blocks", len(blocks))
}
