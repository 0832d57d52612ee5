package templates

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The committed *_templ.go must be what `go tool templ generate` produces
// from the committed *.templ, or a template edit silently has no effect.
func TestGeneratedCodeIsFresh(t *testing.T) {
	tmp := t.TempDir()
	templs, _ := filepath.Glob("*.templ")
	if len(templs) == 0 {
		t.Fatal("no .templ files")
	}
	for _, f := range templs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "tool", "templ", "generate", "-path", tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("templ generate: %v\n%s", err, out)
	}
	for _, f := range templs {
		gen := strings.TrimSuffix(f, ".templ") + "_templ.go"
		want, err := os.ReadFile(filepath.Join(tmp, gen))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(gen)
		if err != nil {
			t.Fatalf("%s is missing: run `go tool templ generate -path site/templates`", gen)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `go tool templ generate -path site/templates`", gen)
		}
	}
}

func renderString(t *testing.T, f func(*bytes.Buffer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var buttonRE = regexp.MustCompile(`<button[^>]*data-action="([a-z-]+)"[^>]*>([^<]*)</button>`)

func TestPlaygroundContract(t *testing.T) {
	for lang, want := range map[string]string{
		"en": "run-sync=Run sync run-concurrent=Run concurrent run-both=Run both stop=Stop",
		"zh": "run-sync=运行同步版 run-concurrent=运行并发版 run-both=同时运行 stop=停止",
	} {
		v := Playground{
			PageID: "pg-sleep-1", Lang: lang, Example: "sleep", Title: "Sleeping tasks",
			WasmSync: "/wasm/sleep-sync.abc.wasm", WasmConcur: "/wasm/sleep-concurrent.def.wasm",
			Params: []Param{
				{Name: "tasks", Kind: "int", Value: "5", Min: "1", Max: "10000"},
				{Name: "delay", Kind: "duration", Value: "1s", Min: "0s", Max: "10s"},
			},
			Sources: []Source{{Variant: "sync", Path: "wasm/sleep/sync/main.go", HTML: "<pre><code>a</code></pre>"},
				{Variant: "concurrent", Path: "wasm/sleep/concurrent/main.go", HTML: "<pre><code>b</code></pre>"}},
		}
		html := renderString(t, func(b *bytes.Buffer) error { return PlaygroundWidget(v).Render(context.Background(), b) })
		var got []string
		for _, m := range buttonRE.FindAllStringSubmatch(html, -1) {
			got = append(got, m[1]+"="+m[2])
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s buttons: %q, want %q", lang, strings.Join(got, " "), want)
		}
		for _, s := range []string{
			`class="playground"`, `data-example="sleep"`, `data-wasm-sync="/wasm/sleep-sync.abc.wasm"`,
			`data-net="false"`, `data-params="{&#34;tasks&#34;:{&#34;value&#34;:5,&#34;min&#34;:1,&#34;max&#34;:10000},&#34;delay&#34;:{&#34;value&#34;:&#34;1s&#34;,&#34;min&#34;:&#34;0s&#34;,&#34;max&#34;:&#34;10s&#34;}}"`,
			`<input name="tasks" type="number" value="5" min="1" max="10000"`, `<input name="delay" type="text" value="1s"`,
			`class="pg-run" role="group" data-variant="sync" data-state="idle"`, `class="pg-run" role="group" data-variant="concurrent" data-state="idle"`,
			`<span class="pg-elapsed">`, `class="pg-output" role="log" aria-live="off"`,
			`role="tablist"`, `role="tab"`, `class="pg-source" data-variant="sync"`,
			`<div class="pg-timeline"><details class="pg-table-wrap"><summary>`, `<table class="pg-table">`, `class="pg-speedup"`,
		} {
			if !strings.Contains(html, s) {
				t.Errorf("%s playground lacks %s\n%s", lang, s, html)
			}
		}
	}
}

func TestExerciseAndChallengeContract(t *testing.T) {
	ex := renderString(t, func(b *bytes.Buffer) error {
		return ExerciseWidget(Exercise{PageID: "ex-e1", ID: "e1", Lang: "zh", Example: "sleep", Run: "sync", Predict: "choice",
			Wasm: "/w.wasm", Question: "<p>Q</p>", Explanation: "<p>E</p>",
			Choices: []Choice{{HTML: "a", Accepted: true}, {HTML: "b"}}}).Render(context.Background(), b)
	})
	for _, s := range []string{`id="ex-e1"`, `data-exercise="e1"`, `data-params="{}"`, `data-run="sync"`, `data-predict="choice"`, `data-wasm="/w.wasm"`,
		`<input type="radio" name="prediction" value="1" data-accepted>`, `<input type="radio" name="prediction" value="2">`,
		`data-action="check">运行并检查</button>`, `class="ex-result" aria-live="polite"`, `class="ex-explanation" hidden`} {
		if !strings.Contains(ex, s) {
			t.Errorf("exercise lacks %s\n%s", s, ex)
		}
	}
	ch := renderString(t, func(b *bytes.Buffer) error {
		return ChallengeWidget(Challenge{PageID: "ch-c1", ID: "c1", Lang: "en", Example: "rewrite", Check: "concurrent",
			Question: "<p>Do</p>", Hint: "<p>H</p>", Start: Source{HTML: "<pre><code>s</code></pre>"},
			Solution: Source{HTML: "<pre><code>c</code></pre>"}}).Render(context.Background(), b)
	})
	for _, s := range []string{`id="ch-c1"`, `aria-labelledby="ch-c1-title"`, `data-challenge="c1"`, `data-check="concurrent"`, `class="ch-editor"`,
		`data-action="check-code">Check my code</button>`, `class="ch-output"`, `class="ch-result" aria-live="polite"`,
		`<details class="ch-hint">`, `<details class="ch-solution">`} {
		if !strings.Contains(ch, s) {
			t.Errorf("challenge lacks %s\n%s", s, ch)
		}
	}
}
