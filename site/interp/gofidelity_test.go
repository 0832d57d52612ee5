package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"unblocked/site/interp/symbols"
)

// probe gives a test program a way to tell the test it is still running: Tick blocks until the
// test takes the tick, so a program's goroutine can be made to go on after main returned, and
// stops for good once the test stops listening.
var probeTicks = make(chan struct{})

func init() {
	symbols.Symbols["unblockedtest/probe/probe"] = map[string]reflect.Value{
		"Tick": reflect.ValueOf(func() { probeTicks <- struct{}{} }),
	}
}

// TestMainReturnEndsProgram is the forgotten-wg.Wait pitfall: in Go, when main returns the
// program ends and its goroutines print nothing more. Here a goroutine keeps printing after main
// returned (the probe shows it still runs): none of it may reach the output.
func TestMainReturnEndsProgram(t *testing.T) {
	src := `package main

import (
	"fmt"
	"unblockedtest/probe"
)

func main() {
	go func() {
		for i := 0; ; i++ {
			fmt.Println("goroutine line", i)
			probe.Tick()
		}
	}()
	probe.Tick() // the goroutine runs
	defer fmt.Println("deferred in main")
	fmt.Println("main returns")
}
`
	var o, e lockedBuffer
	code := make(chan int)
	go func() { code <- Run(t.Context(), src, nil, &o, &e) }()
	var c int
	for done := false; !done; {
		select {
		case <-probeTicks: // before main returned: lines are fine then
		case c = <-code:
			done = true
		}
	}
	if c != 0 {
		t.Fatalf("exit %d, stderr %q", c, e.String())
	}
	atReturn := o.String()
	// Two more ticks: a whole "goroutine line" print happened after main returned.
	<-probeTicks
	<-probeTicks
	if got := o.String(); got != atReturn {
		t.Errorf("output after main returned: %q", strings.TrimPrefix(got, atReturn))
	}
	if !strings.HasSuffix(atReturn, "main returns\ndeferred in main\n") {
		t.Errorf("output %q: want main's lines, its deferred call's last", atReturn)
	}
}

func TestForgetWaitExample(t *testing.T) {
	src, err := os.ReadFile("../../wasm/forgetwait/concurrent/main.go")
	if err != nil {
		t.Fatal(err)
	}
	// Natively the interpreter's goroutines run on other threads, so a "task N start" may come
	// after main's line, as in compiled Go with GOMAXPROCS > 1 (in the browser, on one thread,
	// e2e/interp_test.go checks the order). What must hold is Go's: main returning ends the
	// program, so no task gets to "done".
	out, errOut, code := run(t, string(src), "-tasks", "3", "-delay", "1ms")
	if code != 0 || errOut != "" || !regexp.MustCompile(`(?m)^main returns after \S+$`).MatchString(out) || strings.Contains(out, "done") {
		t.Fatalf("exit %d, stderr %q, stdout %q: want main's line and no task done", code, errOut, out)
	}
}

func TestMinMaxClear(t *testing.T) {
	src := `package main

import (
	"fmt"
	"time"
)

type celsius float64

func main() {
	d := 3 * time.Millisecond
	const c = max(1, 2, -1) // a constant stays one
	var arr [c * 2]int
	x, y := 7, 2
	fmt.Println(max(3, 4), min(2.5, 1), max(d, time.Millisecond), min("b", "a", "c"), c, len(arr), max(1, 2.5))
	fmt.Println(min(x, y, 5), max(x, max(y, 9)), max(celsius(1), 3), min(x+1, 0))
	m := map[string]int{"a": 1, "b": 2}
	clear(m)
	s := []int{1, 2}
	clear(s)
	fmt.Println(len(m), s)
}
`
	out, errOut, code := run(t, src)
	if want := "4 1 3ms a 2 4 2.5\n2 9 3 0\n0 [0 0]\n"; code != 0 || out != want {
		t.Fatalf("exit %d, stderr %q\ngot  %q\nwant %q", code, errOut, out, want)
	}
}

// TestErrorsAsGoReportsThem compares the interpreter's errors for broken programs with what
// `go build` prints for the same file (its "./main.go:" prefix aside).
func TestErrorsAsGoReportsThem(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"unused variable": "package main\n\nfunc main() {\n\tx := 1\n}\n",
		"unused import":   "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfmt.Println()\n}\n",
		"mismatched":      "package main\n\nimport \"time\"\n\nfunc main() {\n\tvar n int = 3\n\ttime.Sleep(n * time.Millisecond)\n}\n",
		"missing return":  "package main\n\nfunc f() int {\n\tfor {\n\t\tbreak\n\t}\n}\n\nfunc main() { f() }\n",
		"wrong argument":  "package main\n\nimport \"sync\"\n\nfunc main() {\n\tvar wg sync.WaitGroup\n\twg.Add(\"1\")\n\twg.Wait()\n}\n",
		"unused in loop":  "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := range 3 {\n\t\tv := i * 2\n\t}\n\tfmt.Println()\n}\n",
		"undefined":       "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(nope)\n}\n",
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module prog\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("go", "build", "-o", os.DevNull, ".")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=", "GOOS=js", "GOARCH=wasm")
			goOut, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("go build passed %q", src)
			}
			var want []string
			for line := range strings.Lines(string(goOut)) {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "./main.go:"); ok {
					want = append(want, rest)
				}
			}
			_, errOut, code := run(t, src)
			got := strings.Split(strings.TrimSpace(errOut), "\n")
			if code != 1 || !reflect.DeepEqual(got, want) {
				t.Errorf("exit %d\ngot  %q\nwant %q (go build)", code, got, want)
			}
		})
	}
}

func TestPanicTraceNamesTheProgram(t *testing.T) {
	src := `package main

import "fmt"

func f(m map[string]int) {
	m["x"] = 1
}

func main() {
	fmt.Println("before")
	f(nil)
}
`
	out, errOut, code := run(t, src)
	want := "panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.f(...)\nmain.main(...)\n"
	if code != 2 || out != "before\n" || errOut != want {
		t.Fatalf("exit %d, stdout %q\nstderr %q\nwant   %q", code, out, errOut, want)
	}
}

func TestGoroutinePanicEndsTheProgram(t *testing.T) {
	src := `package main

import (
	"fmt"
	"sync"
)

type worker struct{ jobs map[int]string }

func (w *worker) run(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	w.jobs[id] = "done"
}

func main() {
	var w worker
	var wg sync.WaitGroup
	wg.Add(1)
	go w.run(1, &wg)
	wg.Wait()
	select {}
	fmt.Println("not reached")
}
`
	_, errOut, code := run(t, src)
	if code != 2 || !regexp.MustCompile(`^panic: assignment to entry in nil map\n\ngoroutine \d+ \[running\]:\nmain.run\(\.\.\.\)\n$`).MatchString(errOut) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut, "yaegi") {
		t.Errorf("interpreter frames in %q", errOut)
	}
}

func TestGoStatementEvaluatesItsArgumentsAtOnce(t *testing.T) {
	src := `package main

import (
	"fmt"
	"log"
	"sync"
)

type counter struct{ n int }

func (c *counter) add(k int, wg *sync.WaitGroup) { c.n += k; wg.Done() }

func show(prefix string, vs ...int) { fmt.Println(prefix, vs); done <- true }

var done = make(chan bool)

func main() {
	var wg sync.WaitGroup
	var c counter
	k := 5
	wg.Add(1)
	go c.add(k, &wg) // c by address: the method has a pointer receiver
	k = 100
	wg.Wait()
	fmt.Println(c.n, k)
	x := []int{1, 2}
	go show("spread", x...)
	<-done
	go show("list", 3, 4)
	<-done
	go func() { log.Fatal("fatal in a goroutine") }()
	select {}
}
`
	out, errOut, code := run(t, src)
	if out != "5 100\nspread [1 2]\nlist [3 4]\n" || code != 1 || !strings.HasSuffix(errOut, "fatal in a goroutine\n") || strings.Contains(errOut, "panic") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestExamplesTypeCheck: every example passes the go/types check against the interpreter's
// symbols (the timed tier runs them all: TestTimedExamplesRunInterpreted).
func TestExamplesTypeCheck(t *testing.T) {
	files, err := filepath.Glob("../../wasm/*/*/main.go")
	if err != nil || len(files) < 30 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := check(string(src)); len(errs) > 0 {
			t.Errorf("%s: %q", f, errs)
		}
	}
}

func TestFormat(t *testing.T) {
	out, errs := Format("package main\nimport \"fmt\"\nfunc main(){\nfmt.Println( 1+2 )\n  }\n")
	if want := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(1 + 2)\n}\n"; errs != nil || out != want {
		t.Errorf("got %q %q, want %q", out, errs, want)
	}
	if _, errs := Format("package main\n\nfunc main() {\n\tx := (1\n}\n"); len(errs) == 0 || !strings.HasPrefix(errs[0], "4:9: ") {
		t.Errorf("syntax error: %q", errs)
	}
}
