package e2e

// Helpers for edit_test.go: the two ways edited code runs on the real built site.
//
//   - static: siteDir (built by TestMain, non-Dev: site-config has "interp") on the plain static
//     server `server`; edited code runs in the interpreter (site/interp).
//   - served: the site as `workbook serve` serves it, started through the same library
//     (site/server) without the file watcher: a Dev build (site-config has "compile") with the
//     lab and the compile endpoint. The Dev build reuses TestMain's cache (compiled examples),
//     builds no interpreter and compresses fast, so it costs seconds; edited code is compiled
//     by the real go command.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium"
	"unblocked/internal/chromium/chromiumtest"
	siteserver "unblocked/site/server"
)

var (
	servedOnce sync.Once
	servedBase string // "http://127.0.0.1:PORT"
	servedErr  error
)

// servedURL returns the origin of the served (compile endpoint) site, starting it on first use.
// It lives until the test binary exits.
func servedURL(t *testing.T) string {
	t.Helper()
	servedOnce.Do(func() { servedBase, servedErr = startServed() })
	if servedErr != nil {
		t.Fatalf("served site: %v", servedErr)
	}
	return servedBase
}

func startServed() (string, error) {
	t0 := time.Now()
	srv, err := siteserver.New(siteserver.Options{
		Root: repoRoot, Addr: "127.0.0.1:0", CacheDir: cacheDir(),
		CompileTimeout: 3 * time.Minute, // a cold go build cache on a slow machine
	})
	if err != nil {
		return "", err
	}
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- srv.Run(context.Background(), func(url string) { ready <- url }) }()
	select {
	case url := <-ready:
		if err := srv.BuildError(); err != nil {
			return "", fmt.Errorf("dev build: %w", err)
		}
		fmt.Fprintf(os.Stderr, "e2e: served (Dev) site ready in %v\n", time.Since(t0).Round(time.Millisecond))
		return strings.TrimSuffix(url, "/"), nil
	case err := <-done:
		return "", err
	case <-time.After(10 * time.Minute):
		return "", fmt.Errorf("served site not ready after 10 minutes")
	}
}

// editMode is one way of running edited code.
type editMode struct {
	name   string // subtest name
	engine string // data-engine of edited runs
	origin func(t *testing.T) string
}

var (
	staticMode = editMode{"static", "interpreted", ownOrigin}
	servedMode = editMode{"served", "compiled", servedURL}
	editModes  = []editMode{staticMode, servedMode}
)

// exampleSource is the exact source of wasm/<example>/<variant>/main.go (what the page shows).
func exampleSource(t *testing.T, example, variant string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "wasm", example, variant, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// replaceOnce is strings.Replace that fails the test when old is missing, so a changed example
// source shows up here rather than as a puzzling run.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("source no longer contains %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

const (
	editTasks = 4
	editDelay = 300 // ms
)

// sleepPage is the first English lesson with the sleep playground, with small parameters.
func sleepPage(t *testing.T, lang string) string {
	t.Helper()
	return lessonWith(t, lang, `<section class="playground" id="pg-sleep-`) + fmt.Sprintf("?pg=sleep&tasks=%d&delay=%d", editTasks, editDelay)
}

// rewritePage is the lesson with the rewrite challenges.
func rewritePage(t *testing.T) string {
	t.Helper()
	return lessonWith(t, "en", `data-challenge="rewrite-concurrent"`)
}

// chal is a JS expression for the challenge with id.
func chal(id string) string {
	return fmt.Sprintf(`document.querySelector('section.challenge[data-challenge=%q]')`, id)
}

// openEdit opens path on origin with nothing stored and starts editing the example's
// playground (waitEditors).
func openEdit(t *testing.T, origin, path, example string) *chromium.Tab {
	t.Helper()
	tab := openEditNoWait(t, origin, path)
	waitEditors(t, tab, example)
	return tab
}

// openEditNoWait opens path on origin with nothing stored (tabs share one profile), leaving the
// editors unloaded.
func openEditNoWait(t *testing.T, origin, path string) *chromium.Tab {
	t.Helper()
	tab := chromiumtest.NewTab(t, chrome, 180*time.Second)
	for i := 0; i < 2; i++ { // the second time without stored edits or progress
		if err := tab.Run(chromedp.Navigate(origin + path)); err != nil {
			t.Fatalf("navigate %s: %v", path, err)
		}
		waitJS(t, tab, pageReady, 20*time.Second)
		evalT[bool](t, tab, `(localStorage.clear(), true)`)
	}
	return tab
}

// enterOn focuses the element and presses Enter on it (as a keyboard user starts editing).
const enterOn = `((e) => { e.focus(); e.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true, cancelable: true})); return true })`

// waitEditors starts editing the example's playground as a keyboard user would (Enter on its
// sync source) and waits for both editors.
func waitEditors(t *testing.T, tab *chromium.Tab, example string) {
	t.Helper()
	waitJS(t, tab, pageJS(edits(example)), 10*time.Second)
	evalT[bool](t, tab, enterOn+`(`+pg(example)+`.querySelector(".pg-source pre"))`)
	waitJS(t, tab, pageJS(`(e => e.sync.editor && e.concurrent.editor)(`+edits(example)+`)`), 30*time.Second)
}

// challengeFrom checks that challenge id's editor starts from example's concurrent program and
// that the solution it shows is example's fixed one (returned): the challenge is the lesson's own
// example, not a copy that drifts from it.
func challengeFrom(t *testing.T, tab *chromium.Tab, id, example string) (solution string) {
	t.Helper()
	if d := evalT[string](t, tab, pageJS(challengeState(id)+`.editor.getDoc()`)); d != exampleSource(t, example, "concurrent") {
		t.Fatalf("%s does not start from wasm/%s/concurrent/main.go", id, example)
	}
	solution = evalT[string](t, tab, chal(id)+`.querySelector(".ch-solution pre").textContent`)
	if solution != exampleSource(t, example, "fixed") {
		t.Fatalf("the solution shown is not wasm/%s/fixed/main.go:\n%s", example, solution)
	}
	return solution
}

// waitChallengeEditor starts editing a challenge (Enter on its code) and waits for its editor.
func waitChallengeEditor(t *testing.T, tab *chromium.Tab, id string) {
	t.Helper()
	waitJS(t, tab, pageJS(chal(id)+` && `+challengeState(id)), 10*time.Second)
	evalT[bool](t, tab, enterOn+`(`+chal(id)+`.querySelector(".ch-editor pre"))`)
	if err := tab.WaitJS(pageJS(challengeState(id)+`.editor`), 30*time.Second); err != nil {
		var dbg string
		tab.Eval(pageJS(`JSON.stringify({y: scrollY, h: innerHeight, r: `+chal(id)+`.querySelector(".ch-editor").getBoundingClientRect(), text: `+challengeState(id)+`.text})`), &dbg)
		t.Fatalf("%v\n%s\n%q", err, dbg, tab.Problems())
	}
}

// setSource replaces a playground variant's text through CodeMirror (as typing would).
func setSource(t *testing.T, tab *chromium.Tab, example, variant, src string) {
	t.Helper()
	evalT[bool](t, tab, pageJS(fmt.Sprintf(`(%s.%s.editor.setDoc(%q), true)`, edits(example), variant, src)))
}

func editorDoc(t *testing.T, tab *chromium.Tab, example, variant string) string {
	t.Helper()
	return evalT[string](t, tab, pageJS(fmt.Sprintf(`%s.%s.editor.getDoc()`, edits(example), variant)))
}

// runEdited presses Run sync/concurrent and waits until the panel has finished (done, error or
// stopped); it returns the state and the output.
func runEdited(t *testing.T, tab *chromium.Tab, example, variant string, timeout time.Duration) (state, out string) {
	t.Helper()
	p := panel(example, variant)
	evalT[bool](t, tab, `(`+p+`.dataset.state = "idle", true)`)
	click(t, tab, pg(example)+`.querySelector("[data-action=run-`+variant+`]")`)
	waitJS(t, tab, `["done", "error", "stopped"].includes(`+p+`.dataset.state) && `+p+`.querySelector(".pg-engine")?.dataset.engine !== "pending"`, timeout)
	return evalT[string](t, tab, p+`.dataset.state`), evalT[string](t, tab, p+`.querySelector(".pg-output").textContent`)
}

func engineOf(t *testing.T, tab *chromium.Tab, example, variant string) (engine, text string) {
	t.Helper()
	e := panel(example, variant) + `.querySelector(".pg-engine")`
	return evalT[string](t, tab, `(`+e+`?.dataset.engine || "")`), evalT[string](t, tab, `(`+e+`?.textContent || "")`)
}

var taskLine = regexp.MustCompile(`(?m)^task (\S+) (start|done)\b`)

// countTasks counts the task start and done lines of an output.
func countTasks(out string) (starts, dones int) {
	for _, m := range taskLine.FindAllStringSubmatch(out, -1) {
		if m[2] == "start" {
			starts++
		} else {
			dones++
		}
	}
	return
}

// assertEditClean is chromium.Tab.AssertClean, except that Chromium's log line for the compile
// endpoint's 400 answer (a compile error, by contract) is expected.
func assertEditClean(t *testing.T, tab *chromium.Tab) {
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

// checkChallenge presses "Check my code" on the challenge with id and returns the verdict
// (pass|fail) and its text.
func checkChallenge(t *testing.T, tab *chromium.Tab, id string) (verdict, text string) {
	t.Helper()
	res := chal(id) + `.querySelector(".ch-result")`
	evalT[bool](t, tab, `(delete `+res+`.dataset.verdict, true)`)
	click(t, tab, chal(id)+`.querySelector("[data-action=check-code]")`)
	waitJS(t, tab, res+`.dataset.verdict`, 200*time.Second)
	return evalT[string](t, tab, res+`.dataset.verdict`), evalT[string](t, tab, res+`.textContent`)
}
