package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"build", "-no-such-flag"},
		{"check", "extra-argument"},
	} {
		code, _, stderr := runCLI(args...)
		if code != 2 {
			t.Errorf("workbook %q: exit %d, want 2", args, code)
		}
		if stderr == "" {
			t.Errorf("workbook %q: no message", args)
		}
	}
	if code, stdout, _ := runCLI("help"); code != 0 || !strings.Contains(stdout, "build") {
		t.Errorf("help: exit %d, %q", code, stdout)
	}
}

func TestNotARepo(t *testing.T) {
	code, _, stderr := runCLI("check", "-root", t.TempDir(), "-cache", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "no lessons/ folder") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// Content errors go to stderr one per line as path:line:col: msg, exit 1,
// and build leaves the output folder alone.
func TestContentErrors(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"go.mod":               "module fixture\n\ngo 1.26\n",
		"lessons/en/01-one.md": "---\ntitle: One\nsummary: [oops\n---\nBody\n",
		"lessons/zh/01-one.md": "---\ntitle: 一\nsummary: 一。\n---\n\n[x](../nowhere/)\n",
		"wasm/.keep":           "",
	})
	want := "lessons/en/01-one.md:3:10: front matter: sequence end token ']' not found\n" +
		"lessons/zh/01-one.md:6:1: dead link \"../nowhere/\": no page /zh/nowhere/\n" +
		"workbook check: 2 problem(s)\n"
	code, _, stderr := runCLI("check", "-root", root, "-cache", t.TempDir())
	if code != 1 || stderr != want {
		t.Errorf("check: exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	out := filepath.Join(t.TempDir(), "public")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "keep.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI("build", "-root", root, "-o", out, "-cache", t.TempDir())
	if code != 1 || !strings.HasPrefix(stderr, "lessons/en/01-one.md:3:10: ") {
		t.Errorf("build: exit %d, stderr:\n%s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "keep.html")); err != nil || string(b) != "old" {
		t.Errorf("failed build touched the output: %q %v", b, err)
	}
}

// The real repository checks clean.
func TestCheckRealRepo(t *testing.T) {
	code, stdout, stderr := runCLI("check", "-root", "../..", "-cache", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if strings.TrimSpace(stdout) != "ok" {
		t.Errorf("stdout %q", stdout)
	}
}

// The README is the front door: the first commands after a clone are make serve and make test,
// both are Makefile targets, and every local file it links or shows exists.
func TestReadme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(text)
	if block == nil {
		t.Fatal("README has no sh block")
	}
	var cmds []string
	for _, l := range strings.Split(strings.TrimSpace(block[1]), "\n") {
		cmds = append(cmds, strings.TrimSpace(strings.SplitN(l, "#", 2)[0]))
	}
	if len(cmds) < 2 || cmds[0] != "make serve" || cmds[1] != "make test" {
		t.Errorf("the README's first commands are %q, want make serve, make test", cmds)
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"serve", "test", "build", "check", "bench", "generate", "editor"} {
		if !regexp.MustCompile(`(?m)^` + target + `:`).Match(makefile) {
			t.Errorf("Makefile has no %s target", target)
		}
		if !strings.Contains(text, "make "+target) {
			t.Errorf("README does not mention make %s", target)
		}
	}
	for _, m := range regexp.MustCompile(`\]\(([^)#]+)(?:#[^)]*)?\)`).FindAllStringSubmatch(text, -1) {
		if strings.Contains(m[1], "://") {
			continue
		}
		if _, err := os.Stat(filepath.Join("../..", m[1])); err != nil {
			t.Errorf("README links %s: %v", m[1], err)
		}
	}
}

// fixtureRepo writes a repository with one lesson in each language and no examples: it builds
// in a moment and compiles nothing.
func fixtureRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"go.mod":               "module fixture\n\ngo 1.26\n\nrequire golang.org/x/sync v0.25.0\n",
		"lessons/en/01-one.md": "---\ntitle: One\nsummary: The first lesson.\n---\n\n# One\n\nHello.\n",
		"lessons/zh/01-one.md": "---\ntitle: 一\nsummary: 第一课。\n---\n\n# 一\n\n你好。\n",
		"wasm/.keep":           "",
	})
	return root
}

// writeTree writes files (slash-separated name → text) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lines is a writer that hands each line written to it to a channel.
type lines struct {
	mu   sync.Mutex
	part string
	ch   chan string
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.part += string(p)
	for {
		line, rest, ok := strings.Cut(l.part, "\n")
		if !ok {
			return len(p), nil
		}
		l.part = rest
		select {
		case l.ch <- line:
		default: // nobody is reading any more
		}
	}
}
