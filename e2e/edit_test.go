package e2e

// Edit and run (docs/architecture.md, "Edit and run"): editors, Reset, persistence, Share, edited
// code compiled by site/compile (as under `workbook serve`) and interpreted by site/interp (static
// hosting), compile errors on their line, Stop of a busy loop, and a challenge judged.
//
// These tests use their own fixture pages (editFixture): the sleep example's real sources in the
// markup of docs/architecture.md, the app JS concatenated from site/assets/js as the build does,
// the vendored CodeMirror bundle, and the interpreter built from site/interp.

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/e2e/browser"
	"unblocked/site/compile"
)

var (
	editOnce sync.Once
	editURL  string // fixture server: /served/ (compile endpoint), /static/ (interpreter)
	editErr  error
	editSrc  = map[string]string{}
)

const editDelay = 300 // ms, the fixture's delay parameter

func editFixture(t *testing.T) string {
	t.Helper()
	editOnce.Do(func() { editURL, editErr = buildEditFixture() })
	if editErr != nil {
		t.Fatalf("edit fixture: %v", editErr)
	}
	return editURL
}

func buildEditFixture() (string, error) {
	dir, err := os.MkdirTemp("", "unblocked-edit-e2e-")
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, d := range []string{"assets", "wasm", "served", "static"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	// Programs: the sleep example's two variants, and the interpreter.
	builds := map[string]string{"wasm/sleep-sync.wasm": "./wasm/sleep/sync", "wasm/sleep-concurrent.wasm": "./wasm/sleep/concurrent", "wasm/interp.wasm": "./site/interp"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []string
	sem := make(chan struct{}, 2)
	for out, pkg := range builds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, out), pkg)
			cmd.Dir = repoRoot
			cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
			if b, err := cmd.CombinedOutput(); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("build %s: %v\n%s", pkg, err, b))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return "", fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	// JS: every site/assets/js/*.js but worker.js, in file-name order, as app.js.
	jsDir := filepath.Join(repoRoot, "site", "assets", "js")
	names, _ := filepath.Glob(filepath.Join(jsDir, "*.js"))
	sort.Strings(names)
	var app []byte
	for _, n := range names {
		if filepath.Base(n) == "worker.js" {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			return "", err
		}
		app = append(append(app, b...), '\n')
	}
	copies := map[string]string{
		"assets/worker.js":         filepath.Join(jsDir, "worker.js"),
		"assets/wasm_exec.js":      filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"),
		"assets/codemirror.min.js": filepath.Join(repoRoot, "site", "assets", "vendor", "codemirror.min.js"),
	}
	files := map[string][]byte{"assets/app.js": app}
	for to, from := range copies {
		b, err := os.ReadFile(from)
		if err != nil {
			return "", err
		}
		files[to] = b
	}
	for _, v := range []string{"sync", "concurrent"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "wasm", "sleep", v, "main.go"))
		if err != nil {
			return "", err
		}
		editSrc[v] = string(b)
	}
	params := fmt.Sprintf(`{"tasks":{"value":4,"min":1,"max":10000},"delay":{"value":"%dms","min":"0s","max":"10s"}}`, editDelay)
	code := func(v string) string {
		return `<pre class="chroma"><code>` + html.EscapeString(editSrc[v]) + `</code></pre>`
	}
	body := `<section class="playground" data-example="sleep" data-wasm-sync="/wasm/sleep-sync.wasm" data-wasm-concurrent="/wasm/sleep-concurrent.wasm" data-net="false" data-params='` + params + `'>
<div class="pg-sources"><div class="pg-col"><div class="pg-source" data-variant="sync" id="pg-sleep-src-sync">` + code("sync") + `</div></div>
<div class="pg-col"><div class="pg-source" data-variant="concurrent" id="pg-sleep-src-concurrent">` + code("concurrent") + `</div></div></div>
<div class="pg-controls"><button type="button" data-action="run-sync">Run sync</button> <button type="button" data-action="run-concurrent">Run concurrent</button> <button type="button" data-action="run-both">Run both</button> <button type="button" data-action="stop">Stop</button></div>
<div class="pg-run" data-variant="sync" data-state="idle"><pre class="pg-output"></pre></div>
<div class="pg-run" data-variant="concurrent" data-state="idle"><pre class="pg-output"></pre></div>
<p class="pg-speedup"></p><div class="pg-timeline"></div>
</section>
<section class="challenge" id="ch-rewrite" data-challenge="rewrite" data-example="sleep" data-check="concurrent" data-params='` + params + `' data-wasm-sync="/wasm/sleep-sync.wasm" data-wasm-concurrent="/wasm/sleep-concurrent.wasm" data-net="false">
<p class="ch-title">Challenge</p><div class="ch-task"><p>Make every task sleep at once.</p></div>
<div class="ch-editor" data-variant="sync">` + code("sync") + `</div>
<div class="ch-actions"><button type="button" data-action="check-code">Check my code</button></div>
<pre class="ch-output" role="log" tabindex="0"></pre><p class="ch-result" aria-live="polite"></p>
<details class="ch-solution"><summary>Solution</summary>` + code("concurrent") + `</details>
</section>`
	page := func(lang, extra string) []byte {
		cfg := `{"base":"/","lang":"` + lang + `","lesson":"edit","worker":"/assets/worker.js","wasmExec":"/assets/wasm_exec.js","editor":"/assets/codemirror.min.js",` + extra + `}`
		return []byte(`<!doctype html><html lang="` + lang + `"><head><meta charset="utf-8"><title>Edit</title><link rel="icon" href="data:,">
<script id="site-config" type="application/json">` + cfg + `</script><script id="ui-strings" type="application/json">{}</script></head>
<body><main><article><h1>Edit and run</h1>` + body + `</article></main><script defer src="/assets/app.js"></script></body></html>`)
	}
	files["served/index.html"] = page("en", `"compile":"/__workbook/compile"`)
	files["static/index.html"] = page("en", `"interp":"/wasm/interp.wasm"`)
	os.MkdirAll(filepath.Join(dir, "zh"), 0o755)
	files["zh/index.html"] = page("zh", `"interp":"/wasm/interp.wasm"`)
	files["404.html"] = []byte(`<!doctype html><title>404</title><link rel="icon" href="data:,">`)
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), b, 0o644); err != nil {
			return "", err
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/__workbook/compile", compile.Handler(compile.Options{ModFile: filepath.Join(repoRoot, "go.mod"), Timeout: 2 * time.Minute}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { serveStatic(dir, w, r) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go http.Serve(ln, mux)
	return "http://" + ln.Addr().String(), nil
}

const (
	pgSel = `document.querySelector("section.playground")`
	chSel = `document.querySelector("section.challenge")`
)

func openEdit(t *testing.T, path string) *browser.Tab {
	t.Helper()
	base := editFixture(t)
	tab := chrome.NewTab(t, 150*time.Second)
	// Tabs share one profile: start every test without stored edits or progress.
	if err := tab.Run(chromedp.Navigate(base + "/404.html")); err != nil {
		t.Fatal(err)
	}
	evalT[bool](t, tab, `(localStorage.clear(), true)`)
	if err := tab.Run(chromedp.Navigate(base + path)); err != nil {
		t.Fatalf("navigate %s: %v", path, err)
	}
	waitJS(t, tab, `document.readyState === "complete" && window.Unblocked && Unblocked.editor`, 15*time.Second)
	// Editors load when their widget nears the viewport: the playground is at the top, the
	// challenge below it.
	waitJS(t, tab, pgSel+`.__edit && `+pgSel+`.__edit.concurrent.editor`, 20*time.Second)
	if evalT[bool](t, tab, chSel+`.__challenge.editor !== null`) {
		t.Fatal("the challenge's editor loaded before the challenge neared the viewport")
	}
	evalT[bool](t, tab, `(`+chSel+`.scrollIntoView(), true)`)
	waitJS(t, tab, chSel+`.__challenge.editor`, 20*time.Second)
	evalT[bool](t, tab, `(scrollTo(0, 0), true)`)
	return tab
}

// setSource replaces a playground variant's text through CodeMirror (as typing would).
func setSource(t *testing.T, tab *browser.Tab, variant, src string) {
	t.Helper()
	evalT[bool](t, tab, fmt.Sprintf(`(%s.__edit.%s.editor.setDoc(%q), true)`, pgSel, variant, src))
}

func runEdited(t *testing.T, tab *browser.Tab, variant string) {
	t.Helper()
	click(t, tab, pgSel+`.querySelector("[data-action=run-`+variant+`]")`)
}

var editedSrc = func() string {
	return strings.Replace(editSrc["concurrent"], `fmt.Printf("task %d done\n", id)`, `fmt.Printf("task %d done EDITED\n", id)`, 1)
}

func TestEditorMarkupAndTyping(t *testing.T) {
	tab := openEdit(t, "/served/")
	labels := evalT[[]string](t, tab, `Array.from(document.querySelectorAll(".pg-source .cm-content")).map(e => e.getAttribute("aria-label"))`)
	if strings.Join(labels, ",") != "sync source,concurrent source" {
		t.Fatalf("editor names %q", labels)
	}
	if n := evalT[int](t, tab, `document.querySelectorAll(".pg-source .cm-lineNumbers").length`); n != 2 {
		t.Fatalf("%d editors with line numbers", n)
	}
	if d := evalT[string](t, tab, pgSel+`.__edit.concurrent.editor.getDoc()`); d != editSrc["concurrent"] {
		t.Fatalf("editor does not hold the source")
	}
	// Type at the end of the concurrent source with real key events.
	evalT[bool](t, tab, `(() => { const v = `+pgSel+`.__edit.concurrent.editor.view; v.dispatch({selection: {anchor: v.state.doc.length}}); v.focus(); return true })()`)
	if err := tab.Run(chromedp.SendKeys(chromedp.CSS(`.pg-source[data-variant=concurrent] .cm-content`), "// typed")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, pgSel+`.__edit.concurrent.editor.getDoc().endsWith("// typed")`, 5*time.Second)
	waitJS(t, tab, `(JSON.parse(localStorage.getItem("unblocked.edits.v1") || "{}").sleep || {}).concurrent?.endsWith("// typed")`, 5*time.Second)
	if ok := evalT[bool](t, tab, pgSel+`.dataset.edited === "concurrent" && !document.querySelector("[data-action=reset-source][data-variant=concurrent]").disabled`); !ok {
		t.Fatal("edit not marked")
	}
	// Undo works (history).
	evalT[bool](t, tab, `(document.querySelector(".pg-source[data-variant=concurrent] .cm-content").focus(), true)`)
	if err := tab.Run(chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil { // Ctrl-Z
		t.Fatal(err)
	}
	waitJS(t, tab, `!`+pgSel+`.__edit.concurrent.editor.getDoc().includes("// typed")`, 5*time.Second)
	assertEditClean(t, tab)
}

func TestEditorChineseNames(t *testing.T) {
	tab := openEdit(t, "/zh/")
	labels := evalT[[]string](t, tab, `Array.from(document.querySelectorAll(".pg-source .cm-content")).map(e => e.getAttribute("aria-label"))`)
	if strings.Join(labels, ",") != "同步版源码,并发版源码" {
		t.Fatalf("editor names %q", labels)
	}
	if r := evalT[string](t, tab, `document.querySelector("[data-action=reset-source][data-variant=sync]").getAttribute("aria-label")`); r != "重置同步版源码" {
		t.Fatalf("reset name %q", r)
	}
	assertEditClean(t, tab)
}

func TestEditRunCompiledPersistReset(t *testing.T) {
	tab := openEdit(t, "/served/")
	setSource(t, tab, "concurrent", editedSrc())
	runEdited(t, tab, "concurrent")
	p := pgSel + `.querySelector(".pg-run[data-variant=concurrent]")`
	waitJS(t, tab, p+`.dataset.state === "done"`, 90*time.Second)
	out := evalT[string](t, tab, p+`.querySelector(".pg-output").textContent`)
	if strings.Count(out, "done EDITED") != 4 {
		t.Fatalf("edited output not shown:\n%s", out)
	}
	if e := evalT[string](t, tab, p+`.querySelector(".pg-engine").dataset.engine`); e != "compiled" {
		t.Fatalf("engine %q", e)
	}
	ms := evalT[float64](t, tab, `Number(`+p+`.dataset.elapsedMs)`)
	if ms < editDelay || ms > 2*editDelay+400 {
		t.Fatalf("compiled concurrent run took %v ms", ms)
	}
	// The unedited variant still runs the precompiled wasm.
	runEdited(t, tab, "sync")
	ps := pgSel + `.querySelector(".pg-run[data-variant=sync]")`
	waitJS(t, tab, ps+`.dataset.state === "done"`, 30*time.Second)
	if out := evalT[string](t, tab, ps+`.querySelector(".pg-output").textContent`); strings.Contains(out, "EDITED") || !strings.Contains(out, "all 4 tasks done") {
		t.Fatalf("sync output:\n%s", out)
	}

	// Persisted: a reload shows the edit; Reset restores the original and forgets it.
	if err := tab.Run(chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, `window.Unblocked && `+pgSel+`.__edit && `+pgSel+`.__edit.concurrent.editor`, 20*time.Second)
	if d := evalT[string](t, tab, pgSel+`.__edit.concurrent.editor.getDoc()`); d != editedSrc() {
		t.Fatal("edit not restored after reload")
	}
	click(t, tab, `document.querySelector("[data-action=reset-source][data-variant=concurrent]")`)
	if d := evalT[string](t, tab, pgSel+`.__edit.concurrent.editor.getDoc()`); d != editSrc["concurrent"] {
		t.Fatal("Reset did not restore the original")
	}
	waitJS(t, tab, `!(JSON.parse(localStorage.getItem("unblocked.edits.v1") || "{}").sleep)`, 5*time.Second)
	assertEditClean(t, tab)
}

func TestEditCompileErrorNamesLine(t *testing.T) {
	for _, path := range []string{"/served/", "/static/"} {
		t.Run(strings.Trim(path, "/"), func(t *testing.T) {
			tab := openEdit(t, path)
			// line 13: an undefined name
			bad := strings.Replace(editSrc["sync"], `time.Sleep(delay)`, `time.Sleep(delayy)`, 1)
			line := strings.Count(bad[:strings.Index(bad, "delayy")], "\n") + 1
			setSource(t, tab, "sync", bad)
			runEdited(t, tab, "sync")
			errSel := `document.querySelector(".pg-compile-errors[data-variant=sync]")`
			waitJS(t, tab, errSel+` && !`+errSel+`.hidden`, 90*time.Second)
			text := evalT[string](t, tab, errSel+`.textContent`)
			if !strings.Contains(text, fmt.Sprintf("%d:", line)) || !strings.Contains(text, "delayy") {
				t.Fatalf("error text %q does not name line %d", text, line)
			}
			marked := evalT[[]int](t, tab, pgSel+`.__edit.sync.editor.errorLines()`)
			if len(marked) != 1 || marked[0] != line {
				t.Fatalf("marked lines %v, want [%d]", marked, line)
			}
			if st := evalT[string](t, tab, pgSel+`.querySelector(".pg-run[data-variant=sync]").dataset.state`); st != "error" {
				t.Fatalf("panel state %q", st)
			}
		})
	}
}

func TestEditRunInterpreted(t *testing.T) {
	tab := openEdit(t, "/static/")
	setSource(t, tab, "concurrent", editedSrc())
	runEdited(t, tab, "concurrent")
	p := pgSel + `.querySelector(".pg-run[data-variant=concurrent]")`
	waitJS(t, tab, p+`.dataset.state === "done" || `+p+`.dataset.state === "error"`, 120*time.Second)
	out := evalT[string](t, tab, p+`.querySelector(".pg-output").textContent`)
	if strings.Count(out, "done EDITED") != 4 || !strings.Contains(out, "all 4 tasks done") {
		t.Fatalf("interpreted output:\n%s\nstatus: %s", out, evalT[string](t, tab, p+`.textContent`))
	}
	eng := evalT[string](t, tab, p+`.querySelector(".pg-engine").textContent`)
	if !strings.Contains(eng, "interpreted") || !strings.Contains(eng, "slower") {
		t.Fatalf("engine text %q", eng)
	}
	t.Logf("interpreted run: %v ms (program), engine %q", evalT[float64](t, tab, `Number(`+p+`.dataset.elapsedMs)`), eng)
	assertEditClean(t, tab)
}

func TestEditBusyLoopStop(t *testing.T) {
	tab := openEdit(t, "/served/")
	spin := strings.Replace(editSrc["sync"], "\ttime.Sleep(delay)\n", "\tfor start := time.Now(); time.Since(start) < time.Hour; {\n\t}\n", 1)
	setSource(t, tab, "sync", spin)
	runEdited(t, tab, "sync")
	p := pgSel + `.querySelector(".pg-run[data-variant=sync]")`
	waitJS(t, tab, p+`.querySelector(".pg-output").textContent.includes("task 1 start")`, 90*time.Second)
	lag := evalT[float64](t, tab, `new Promise(r => { const t0 = performance.now(); setTimeout(() => r(performance.now() - t0), 0) })`)
	if lag > 200 {
		t.Fatalf("page lag %.0f ms while the edited program spins", lag)
	}
	click(t, tab, pgSel+`.querySelector("[data-action=stop]")`)
	waitJS(t, tab, p+`.dataset.state === "stopped"`, 5*time.Second)
	// Responsive: the editor still takes edits at once.
	t0 := time.Now()
	setSource(t, tab, "sync", editSrc["sync"]+"// after stop\n")
	if d := time.Since(t0); d > time.Second {
		t.Fatalf("editing after Stop took %v", d)
	}
}

func TestEditShareLink(t *testing.T) {
	tab := openEdit(t, "/served/")
	setSource(t, tab, "sync", editSrc["sync"]+"// shared edit\n")
	waitJS(t, tab, pgSel+`.dataset.edited === "sync"`, 5*time.Second)
	click(t, tab, pgSel+`.querySelector("[data-action=share-edit]")`)
	waitJS(t, tab, pgSel+`.dataset.shared`, 10*time.Second)
	status := evalT[string](t, tab, pgSel+`.querySelector(".pg-edit-status").textContent`)
	if !strings.Contains(status, "Link copied") && !strings.Contains(status, "Copy this link") {
		t.Fatalf("no visible confirmation: %q", status)
	}
	link := evalT[string](t, tab, pgSel+`.dataset.shared`)
	if !strings.Contains(link, "#edit=") {
		t.Fatalf("link %q", link)
	}
	// A fresh visitor (no stored edits) opening the link sees the edit.
	evalT[bool](t, tab, `(localStorage.clear(), true)`)
	tab2 := chrome.NewTab(t, 60*time.Second)
	if err := tab2.Run(chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab2, `window.Unblocked && `+pgSel+`.__edit && `+pgSel+`.__edit.sync.editor && `+pgSel+`.__edit.sync.editor.getDoc().endsWith("// shared edit\n")`, 20*time.Second)
	if d := evalT[string](t, tab2, pgSel+`.__edit.concurrent.editor.getDoc()`); d != editSrc["concurrent"] {
		t.Fatal("the unshared variant changed")
	}
}

func TestChallengeJudged(t *testing.T) {
	for _, path := range []string{"/served/", "/static/"} {
		t.Run(strings.Trim(path, "/"), func(t *testing.T) {
			tab := openEdit(t, path)
			if name := evalT[string](t, tab, `document.querySelector(".ch-editor .cm-content").getAttribute("aria-label")`); name == "" {
				t.Fatal("challenge editor has no accessible name")
			}
			res := chSel + `.querySelector(".ch-result")`
			check := func() (string, string) {
				t.Helper()
				evalT[bool](t, tab, `(delete `+res+`.dataset.verdict, true)`)
				click(t, tab, chSel+`.querySelector("[data-action=check-code]")`)
				waitJS(t, tab, res+`.dataset.verdict`, 120*time.Second)
				return evalT[string](t, tab, res+`.dataset.verdict`), evalT[string](t, tab, res+`.textContent`)
			}
			// The start code is the sync program: fails, and says why in plain words.
			v, text := check()
			if v != "fail" || !strings.Contains(text, "one after another") || !strings.Contains(text, fmt.Sprintf("%d ms", editDelay)) {
				t.Fatalf("start code: %s %q", v, text)
			}
			if strings.Contains(evalT[string](t, tab, `localStorage.getItem("unblocked.progress.v1") || ""`), "rewrite") {
				t.Fatal("a fail was saved as progress")
			}
			// The solution passes and is saved with the progress.
			evalT[bool](t, tab, fmt.Sprintf(`(%s.__challenge.editor.setDoc(%q), true)`, chSel, editSrc["concurrent"]))
			v, text = check()
			t.Logf("%s: %s", path, text)
			if v != "pass" || !strings.Contains(text, "Passed") {
				t.Fatalf("solution: %s %q", v, text)
			}
			wantEngine := map[string]string{"/served/": "compiled", "/static/": "interpreted"}[path]
			if e := evalT[string](t, tab, chSel+`.dataset.engine`); e != wantEngine {
				t.Fatalf("engine %q, want %q", e, wantEngine)
			}
			rec := evalT[map[string]any](t, tab, `JSON.parse(localStorage.getItem("unblocked.progress.v1")).exercises.rewrite`)
			if rec["verdict"] != "pass" {
				t.Fatalf("progress record %v", rec)
			}
			// A syntax error is reported on its line, not judged.
			evalT[bool](t, tab, fmt.Sprintf(`(%s.__challenge.editor.setDoc(%q), true)`, chSel, strings.Replace(editSrc["sync"], "func main() {", "func main() {{", 1)))
			v, text = check()
			if v != "fail" || !strings.Contains(text, "does not compile") {
				t.Fatalf("syntax error: %s %q", v, text)
			}
			assertEditClean(t, tab)
		})
	}
}

// The judge on its own: overlap counting for check=bounded.
func TestChallengeBoundedJudge(t *testing.T) {
	tab := openEdit(t, "/served/")
	type verdict struct {
		Pass bool   `json:"pass"`
		Text string `json:"text"`
	}
	judge := func(lines string) verdict {
		return evalT[verdict](t, tab, `Unblocked.challenge.judge("bounded", {tasks: 4, delay: 100, limit: 2}, {status: "done", elapsedMs: 190, lines: `+lines+`}, "compiled")`)
	}
	two := `[{t:0,text:"task 1 start"},{t:0,text:"task 2 start"},{t:100,text:"task 1 done"},{t:100,text:"task 3 start"},{t:100,text:"task 2 done"},{t:100,text:"task 4 start"},{t:190,text:"task 3 done"},{t:190,text:"task 4 done"}]`
	four := `[{t:0,text:"task 1 start"},{t:0,text:"task 2 start"},{t:0,text:"task 3 start"},{t:0,text:"task 4 start"},{t:100,text:"task 1 done"},{t:100,text:"task 2 done"},{t:100,text:"task 3 done"},{t:100,text:"task 4 done"}]`
	if v := judge(two); !v.Pass {
		t.Fatalf("2 at once, limit 2: %+v", v)
	}
	if v := judge(four); v.Pass || !strings.Contains(v.Text, "Up to 4") {
		t.Fatalf("4 at once, limit 2: %+v", v)
	}
}

// assertEditClean is browser.Tab.AssertClean, except that Chromium's log line for the compile
// endpoint's 400 answer (a compile error, by contract) is expected.
func assertEditClean(t *testing.T, tab *browser.Tab) {
	t.Helper()
	for _, p := range tab.Problems() {
		if strings.Contains(p, "status of 400") && strings.HasSuffix(p, "/__workbook/compile") {
			continue
		}
		t.Errorf("%s", p)
	}
	for _, r := range tab.ForeignRequests() {
		t.Errorf("request to another host: %s", r)
	}
}
