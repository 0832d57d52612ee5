package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func run(t *testing.T, src string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e lockedBuffer
	code = Run(context.Background(), src, args, &o, &e)
	return o.String(), e.String(), code
}

// lockedBuffer is safe for the program's goroutines to write at once, as os.Stdout is.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// sleepRun interprets wasm/sleep/<variant> with 4 tasks of delay and checks its task lines; it
// returns how long the run took.
func sleepRun(t *testing.T, variant string, delay time.Duration) time.Duration {
	t.Helper()
	src, err := os.ReadFile("../../wasm/sleep/" + variant + "/main.go")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, errOut, code := run(t, string(src), "-tasks", "4", "-delay", delay.String())
	d := time.Since(start)
	if code != 0 {
		t.Fatalf("%s: exit %d, stderr %q", variant, code, errOut)
	}
	for id := 1; id <= 4; id++ {
		for _, kind := range []string{"start", "done"} {
			if n := strings.Count(out, "task "+string(rune('0'+id))+" "+kind); n != 1 {
				t.Fatalf("%s: %d lines of task %d %s in\n%s", variant, n, id, kind, out)
			}
		}
	}
	if !strings.Contains(out, "all 4 tasks done") {
		t.Fatalf("%s: output\n%s", variant, out)
	}
	return d
}

func TestSleepExamples(t *testing.T) {
	for _, variant := range []string{"sync", "concurrent"} {
		sleepRun(t, variant, time.Millisecond)
	}
}

func TestGatherExampleRuns(t *testing.T) {
	// No lab server here: the fetch fails, log.Fatal exits 1 with the error on stderr. This checks
	// that the example is within what the interpreter handles (errgroup, net/http, range over int).
	src, err := os.ReadFile("../../wasm/gather/concurrent/main.go")
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, string(src), "-tasks", "2", "-delay", "1ms", "-base", "http://127.0.0.1:1/lab/")
	if code != 1 || !strings.Contains(errOut, "127.0.0.1:1") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	if !strings.Contains(out, "task 1 start: GET http://127.0.0.1:1/lab/delay/1ms/page-1") || !strings.Contains(out, "task 2 start") {
		t.Fatalf("stdout %q", out)
	}
}

func TestLoopVariablePerIteration(t *testing.T) {
	src := `package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); mu.Lock(); got = append(got, i); mu.Unlock() }()
	}
	for _, v := range []int{10, 20} {
		wg.Go(func() { mu.Lock(); got = append(got, v); mu.Unlock() })
	}
	n := 2
	for i := range n {
		wg.Go(func() { mu.Lock(); got = append(got, 100+i); mu.Unlock() })
	}
	wg.Wait()
	sort.Ints(got)
	fmt.Println(got)
	for i := 0; i < 10; i++ { // assigns its variable: left alone
		i += 4
		defer func() {}()
		fmt.Println("i", i)
	}
}
`
	out, errOut, code := run(t, src)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "[0 1 2 10 20 100 101]\ni 4\ni 9\n"; out != want {
		t.Fatalf("got %q, want %q", out, want)
	}
}

func TestErrorsNameTheirLine(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"a\"\n}\n", `^6:\d+: `},
		{"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(nope)\n}\n", `^6:14: undefined: nope`},
		{"package main\n\nimport \"os/exec\"\n\nfunc main() { exec.Command(\"ls\") }\n", `^3:8: .*os/exec`},
	} {
		_, errOut, code := run(t, tc.src)
		if code != 1 || !regexp.MustCompile(tc.want).MatchString(errOut) {
			t.Errorf("exit %d, stderr %q, want %s", code, errOut, tc.want)
		}
	}
}

func TestExitPanicAndFlags(t *testing.T) {
	_, _, code := run(t, "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(3) }\n")
	if code != 3 {
		t.Errorf("os.Exit(3): exit %d", code)
	}
	_, errOut, code := run(t, "package main\n\nfunc main() { var m map[string]int; m[\"a\"] = 1 }\n")
	if code != 2 || !strings.Contains(errOut, "panic") {
		t.Errorf("panic: exit %d stderr %q", code, errOut)
	}
	out, _, code := run(t, "package main\n\nimport (\"flag\"; \"fmt\"; \"os\")\n\nfunc main() { n := flag.Int(\"n\", 1, \"\"); flag.Parse(); fmt.Println(*n, flag.Args(), len(os.Args)) }\n", "-n", "7", "x")
	if code != 0 || out != "7 [x] 4\n" {
		t.Errorf("flags: exit %d out %q", code, out)
	}
}
