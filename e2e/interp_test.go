package e2e

// The interpreter as the page uses it on a static host (site/interp, docs/arch/interp.md): Go's
// behaviour where the lessons depend on it, and the editor's Format button (both engines).

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// forgotWait is the forgotten-wg.Wait pitfall made certain: main's deferred call releases the
// goroutines as main returns, so in Go (one thread, js/wasm) none of them prints.
const forgotWait = `package main

import (
	"fmt"
	"time"
)

func main() {
	start := time.Now()
	release := make(chan bool)
	for i := 1; i <= 4; i++ {
		go func() {
			<-release
			fmt.Printf("task %d done\n", i)
		}()
	}
	defer close(release)
	fmt.Printf("main returns after %v\n", time.Since(start))
}
`

func TestInterpForgottenWaitEndsAtMain(t *testing.T) {
	tab := openEdit(t, ownOrigin(t), sleepPage(t, "en"), "sleep")
	note := pg("sleep") + `.querySelector(".pg-interp-note")`
	if evalT[bool](t, tab, note+`.hidden`) || !strings.Contains(evalT[string](t, tab, note+`.textContent`), "interpreter") {
		t.Errorf("static host: the interpreter's note is hidden or says %q", evalT[string](t, tab, note+`.textContent`))
	}
	setSource(t, tab, "sleep", "concurrent", forgotWait)
	state, out := runEdited(t, tab, "sleep", "concurrent", 200*time.Second)
	if eng, _ := engineOf(t, tab, "sleep", "concurrent"); eng != "interpreted" {
		t.Fatalf("engine %q", eng)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var program []string // the program's lines (the panel may add a status line of its own)
	for _, l := range lines {
		if strings.HasPrefix(l, "task ") || strings.HasPrefix(l, "main returns") {
			program = append(program, l)
		}
	}
	if state != "done" || len(program) != 1 || !strings.HasPrefix(program[0], "main returns after ") {
		t.Fatalf("state %s, program lines %q: want main's line alone (goroutines end with main)\n%s", state, program, out)
	}
	assertEditClean(t, tab)
}

func TestInterpErrorsAndDeadlockAsGo(t *testing.T) {
	tab := openEdit(t, ownOrigin(t), sleepPage(t, "en"), "sleep")
	unused := "package main\n\nfunc main() {\n\tx := 1\n}\n"
	setSource(t, tab, "sleep", "sync", unused)
	if state, _ := runEdited(t, tab, "sleep", "sync", 200*time.Second); state != "error" {
		t.Fatalf("unused variable: state %q", state)
	}
	errSel := pg("sleep") + `.querySelector(".pg-compile-errors[data-variant=sync]")`
	waitJS(t, tab, errSel+` && !`+errSel+`.hidden`, 10*time.Second)
	if text := evalT[string](t, tab, errSel+`.textContent`); !strings.Contains(text, "4:2: declared and not used: x") {
		t.Errorf("errors %q: want go build's 4:2: declared and not used: x", text)
	}
	if marked := evalT[[]int](t, tab, pageJS(edits("sleep")+`.sync.editor.errorLines()`)); len(marked) != 1 || marked[0] != 4 {
		t.Errorf("marked lines %v, want [4]", marked)
	}

	deadlock := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tch := make(chan int)\n\tch <- 1\n\tfmt.Println(<-ch)\n}\n"
	setSource(t, tab, "sleep", "sync", deadlock)
	state, out := runEdited(t, tab, "sleep", "sync", 200*time.Second)
	if state != "error" || !strings.Contains(out, "fatal error: all goroutines are asleep - deadlock!") {
		t.Fatalf("deadlock: state %q\n%s", state, out)
	}
	if strings.Contains(out, "yaegi") || strings.Contains(out, "goroutine 1 [") || strings.Contains(out, ".go:") {
		t.Errorf("interpreter frames in the deadlock report:\n%s", out)
	}
	assertEditClean(t, tab)
}

func TestEditFormatButton(t *testing.T) {
	for _, m := range editModes {
		t.Run(m.name, func(t *testing.T) {
			tab := openEdit(t, m.origin(t), sleepPage(t, "en"), "sleep")
			orig := exampleSource(t, "sleep", "sync")
			// What a learner's typing leaves: spaces for tabs, a crowded call, a brace on its own line.
			messy := strings.ReplaceAll(orig, "\n\t", "\n  ")
			messy = replaceOnce(t, messy, "time.Sleep(delay)", "time.Sleep( delay )")
			if messy == orig {
				t.Fatal("nothing to format")
			}
			setSource(t, tab, "sleep", "sync", messy)
			btn := pg("sleep") + `.querySelector("[data-action=format-source][data-variant=sync]")`
			if name, text := evalT[string](t, tab, btn+`.getAttribute("aria-label")`), evalT[string](t, tab, btn+`.textContent`); name != "Format sync source" || text != "Format" {
				t.Fatalf("button %q (%q)", text, name)
			}
			click(t, tab, btn)
			status := pg("sleep") + `.querySelector(".pg-edit-status").textContent`
			waitJS(t, tab, status+` === "Formatted as gofmt does."`, 200*time.Second)
			if got := editorDoc(t, tab, "sleep", "sync"); got != orig {
				t.Fatalf("formatted:\n%s\nwant gofmt's:\n%s", got, orig)
			}
			// formatted code is the original: the edit mark goes
			waitJS(t, tab, `!`+pg("sleep")+`.dataset.edited`, 10*time.Second)
			// a syntax error is named, not formatted
			setSource(t, tab, "sleep", "sync", "package main\n\nfunc main() {\n\tx := (1\n}\n")
			click(t, tab, btn)
			waitJS(t, tab, status+`.startsWith("Cannot format")`, 200*time.Second)
			errSel := pg("sleep") + `.querySelector(".pg-compile-errors[data-variant=sync]")`
			if text := evalT[string](t, tab, errSel+`.textContent`); !strings.Contains(text, "4:") {
				t.Errorf("format errors %q: want line 4", text)
			}
			if m.name == "served" && !evalT[bool](t, tab, pg("sleep")+`.querySelector(".pg-interp-note").hidden`) {
				t.Error("served: the interpreter's note shows, but edits are compiled")
			}
			assertEditClean(t, tab)
		})
	}
}

// TestInterpEditBarChineseA11y: the Chinese page's Format buttons and the interpreter's note,
// audited by axe in both themes on a phone, with the editors loaded (TestA11y never edits).
func TestInterpEditBarChineseA11y(t *testing.T) {
	axe, err := os.ReadFile(filepath.Join(repoRoot, "e2e", "testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	srv := ownServer(t) // its own origin: no theme stored by other tests
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			tab := a11yOpen(t, srv.URL+sleepPage(t, "zh"), scheme, 360)
			waitEditors(t, tab, "sleep")
			btn := pg("sleep") + `.querySelector("[data-action=format-source][data-variant=concurrent]")`
			if text, name := evalT[string](t, tab, btn+`.textContent`), evalT[string](t, tab, btn+`.getAttribute("aria-label")`); text != "格式化" || name != "格式化并发版源码" {
				t.Errorf("Chinese Format button %q (%q)", text, name)
			}
			// on a phone one source shows at a time (tabs): its Format button shows with it
			if !evalT[bool](t, tab, `[...`+pg("sleep")+`.querySelectorAll("[data-action=format-source]")].some(b => b.getBoundingClientRect().width > 0)`) {
				t.Error("Format is hidden on a phone")
			}
			note := pg("sleep") + `.querySelector(".pg-interp-note")`
			if evalT[bool](t, tab, note+`.hidden`) || !strings.Contains(evalT[string](t, tab, note+`.textContent`), "解释器") {
				t.Errorf("note %q", evalT[string](t, tab, note+`.textContent`))
			}
			a11yAxe(t, tab, string(axe))
			a11yNoOverflow(t, tab, 360)
		})
	}
}
