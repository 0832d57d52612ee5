//go:build timed && unix

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// One binary (make workbook): the site built into cmd/workbook/embedded/files, the binary copied
// into an empty folder, run there with no Go toolchain on its PATH, serves the whole workbook:
// pages, the example modules, the interpreter; edited code falls back to it (the compile
// endpoint answers 5xx, which compile.js takes as "interpret").
func TestTimedOneBinary(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files := filepath.Join(repo, "cmd", "workbook", "embedded", "files")
	site := filepath.Join(files, "site")
	if _, err := os.Stat(site); os.IsNotExist(err) {
		// not left behind for the next plain go build, unless an author made it with make embed
		t.Cleanup(func() { os.RemoveAll(site); os.RemoveAll(filepath.Join(files, "module")) })
	}
	cache := os.Getenv("UNBLOCKED_E2E_CACHE") // the build's compiled examples, shared with e2e
	if cache == "" {
		if cache, err = os.UserCacheDir(); err != nil {
			t.Fatal(err)
		}
		cache = filepath.Join(cache, "unblocked")
	}
	var buildErr strings.Builder
	if code := run([]string{"build", "-embed", "-root", repo, "-o", site, "-cache", cache}, io.Discard, &buildErr); code != 0 {
		t.Fatalf("workbook build -embed: %d\n%s", code, buildErr.String())
	}
	if err := os.MkdirAll(filepath.Join(files, "module"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(files, "module", f), b, 0o644)
	}
	bin := filepath.Join(t.TempDir(), "workbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	st, _ := os.Stat(bin)
	t.Logf("binary with the embedded site: %.1f MB", float64(st.Size())/1e6)

	// an empty folder, no Go on PATH
	empty := t.TempDir()
	alone := filepath.Join(empty, "workbook")
	b, _ := os.ReadFile(bin)
	if err := os.WriteFile(alone, b, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, alone, "serve", "-addr", "127.0.0.1:0", "-cache", filepath.Join(t.TempDir(), "cache"))
	cmd.Dir = empty
	cmd.Env = []string{"PATH=/nonexistent", "HOME=" + t.TempDir()}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	var url string
	var said []string
	sc := bufio.NewScanner(stderr)
	for url == "" && sc.Scan() {
		said = append(said, sc.Text())
		if rest, ok := strings.CutPrefix(sc.Text(), "serving http"); ok {
			url = "http" + strings.Fields(rest)[0]
		}
	}
	go io.Copy(io.Discard, stderr)
	if url == "" {
		t.Fatalf("the binary did not serve:\n%s", strings.Join(said, "\n"))
	}
	if !strings.Contains(strings.Join(said, "\n"), "interpreter") {
		t.Errorf("without a Go toolchain it should say edited code is interpreted:\n%s", strings.Join(said, "\n"))
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(url + strings.TrimPrefix(path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, index := get("/")
	if code != 200 || !strings.Contains(index, "Unblocked") {
		t.Fatalf("GET /: %d %.200s", code, index)
	}
	lesson := regexp.MustCompile(`href="(/en/[^"]+/)"`).FindStringSubmatch(index)
	if lesson == nil {
		t.Fatalf("no lesson link on the index: %.500s", index)
	}
	code, page := get(lesson[1])
	if code != 200 || !strings.Contains(page, `"interp":`) || !strings.Contains(page, `"compile":`) {
		t.Fatalf("GET %s: %d, want a served page naming the compile endpoint and the interpreter: %.300s", lesson[1], code, page)
	}
	wasm := regexp.MustCompile(`data-wasm-sync="([^"]+)"`).FindStringSubmatch(page)
	interp := regexp.MustCompile(`"interp":"([^"]+)"`).FindStringSubmatch(page)
	for _, m := range [][]string{wasm, interp} {
		if m == nil {
			continue
		}
		if code, body := get(m[1]); code != 200 || !strings.HasPrefix(body, "\x00asm") {
			t.Errorf("GET %s: %d, not wasm", m[1], code)
		}
	}
	if wasm == nil || interp == nil {
		t.Errorf("lesson %s: example module %v, interpreter %v", lesson[1], wasm, interp)
	}
	// no toolchain: the compile endpoint cannot compile, and says so with a 5xx (the page interprets)
	req, _ := http.NewRequest("POST", url+"__workbook/compile", strings.NewReader(`{"source":"package main\nfunc main(){}\n"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", strings.TrimSuffix(url, "/"))
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 500 {
		t.Errorf("compile without a toolchain: %s, want 5xx (the page falls back to the interpreter)", resp.Status)
	}
	if code, body := get("/join/"); code != 200 || !strings.Contains(body, `class="qr"`) {
		t.Errorf("GET /join/: %d", code)
	}
}
