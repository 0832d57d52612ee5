package wasm

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// output is a finished run, read the way the page's timeline reads it.
type output struct {
	text, stderr string
	code         int // exit code
	lines        []string
	starts       map[string]int // task id → number of start lines
	dones        map[string]int
	maxRunning   int // most tasks between their start and done lines at once
}

var taskLine = regexp.MustCompile(`^task (\S+) (start|done)\b`)

func parse(stdout, stderr string, code int) *output {
	o := &output{text: stdout, stderr: stderr, code: code, starts: map[string]int{}, dones: map[string]int{}}
	running := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		line := sc.Text()
		o.lines = append(o.lines, line)
		if m := taskLine.FindStringSubmatch(line); m != nil {
			if m[2] == "start" {
				o.starts[m[1]]++
				running[m[1]] = true
				o.maxRunning = max(o.maxRunning, len(running))
			} else {
				o.dones[m[1]]++
				delete(running, m[1])
			}
		}
	}
	return o
}

// find returns the submatches of the first line matching re, failing the test without one.
func (o *output) find(t *testing.T, re string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?m)` + re).FindStringSubmatch(o.text)
	if m == nil {
		t.Fatalf("no line matching %q in:\n%s", re, o.text)
	}
	return m
}

// num is find's first submatch as an integer.
func (o *output) num(t *testing.T, re string) int {
	t.Helper()
	n, err := strconv.Atoi(o.find(t, re)[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// dur is find's first submatch as a duration.
func (o *output) dur(t *testing.T, re string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(o.find(t, re)[1])
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// last is the last line of the output.
func (o *output) last() string {
	if len(o.lines) == 0 {
		return ""
	}
	return o.lines[len(o.lines)-1]
}

// allTasks checks ids 1..n each started and finished exactly once.
func (o *output) allTasks(t *testing.T, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		id := strconv.Itoa(i)
		if o.starts[id] != 1 || o.dones[id] != 1 {
			t.Errorf("task %s: %d start and %d done lines, want 1 and 1", id, o.starts[id], o.dones[id])
		}
	}
	if len(o.starts) != n || len(o.dones) != n {
		t.Errorf("%d tasks started, %d done, want %d", len(o.starts), len(o.dones), n)
	}
}

// repoRoot is the module root, where go build runs.
var repoRoot = func() string {
	root, err := filepath.Abs("..")
	if err != nil {
		panic(err)
	}
	return root
}()

// builds caches one binary per program and build flags for the whole test binary.
var builds struct {
	sync.Mutex
	dir  string
	bins map[string]*build
}

type build struct {
	once sync.Once
	path string
	err  error
}

// binary builds wasm/<prog> (e.g. "counter/concurrent") natively with the given go build flags,
// once per test binary, and returns its path. (js/wasm builds go through site/gowasm.)
func binary(t *testing.T, prog string, flags ...string) string {
	t.Helper()
	key := prog + " " + strings.Join(flags, " ")
	builds.Lock()
	if builds.bins == nil {
		builds.bins = map[string]*build{}
	}
	b := builds.bins[key]
	if b == nil {
		b = &build{}
		builds.bins[key] = b
	}
	dir := builds.dir
	builds.Unlock()
	b.once.Do(func() {
		b.path = filepath.Join(dir, fmt.Sprintf("%s-%08x", strings.ReplaceAll(prog, "/", "-"), crc32.ChecksumIEEE([]byte(key))))
		args := append([]string{"build", "-o", b.path}, flags...)
		cmd := exec.Command("go", append(args, "./wasm/"+prog)...)
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", prog, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wasm-examples-")
	if err != nil {
		panic(err)
	}
	builds.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs a program to its end (at most a minute) and parses what it printed.
func run(t *testing.T, env []string, name string, args ...string) *output {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	t.Logf("%s %s: exit %d\n%s%s", filepath.Base(name), strings.Join(args, " "), code, stdout.String(), stderr.String())
	return parse(stdout.String(), stderr.String(), code)
}

// native builds and runs one program natively; it must exit 0.
func native(t *testing.T, prog string, args ...string) *output {
	t.Helper()
	o := run(t, nil, binary(t, prog), args...)
	if o.code != 0 {
		t.Fatalf("%s exited %d:\n%s", prog, o.code, o.stderr)
	}
	return o
}

// tickerPace checks the "start at <dur>" times of the ratelimit example: a
// ticker never runs ahead of its schedule, so the k-th start is at least k
// intervals of 100 ms in (later is fine: a busy machine delays ticks).
func tickerPace(t *testing.T, o *output) {
	t.Helper()
	const every = 100 * time.Millisecond
	var starts []time.Duration
	for _, m := range regexp.MustCompile(`(?m)^task \d+ start at (\S+)`).FindAllStringSubmatch(o.text, -1) {
		d, err := time.ParseDuration(m[1])
		if err != nil {
			t.Fatal(err)
		}
		starts = append(starts, d)
	}
	if len(starts) == 0 {
		t.Fatal("no start lines")
	}
	slices.Sort(starts)
	for k, at := range starts {
		if want := time.Duration(k+1)*every - 5*time.Millisecond; at < want {
			t.Errorf("start %d at %v, before %v: faster than one per %v", k+1, at, want, every)
		}
	}
}

// servedAtOnce checks a run of the concurrent server example with n clients:
// all answered, the served line last, and about one delay in all, far from
// the n delays of one connection at a time.
func servedAtOnce(t *testing.T, o *output, n int, delay time.Duration) {
	t.Helper()
	o.allTasks(t, n)
	o.find(t, fmt.Sprintf(`^%d of %d clients answered; done in`, n, n))
	m := o.find(t, fmt.Sprintf(`^served %d connections in (\S+)$`, n))
	if o.last() != m[0] {
		t.Errorf("last line %q, want the served line", o.last())
	}
	if d, _ := time.ParseDuration(m[1]); d < delay || d > 10*delay {
		t.Errorf("%d connections in %v, want a few delays (%v) at most, not %d", n, d, delay, n)
	}
}

// gomaxprocs is the GOMAXPROCS a race needs to show natively: several
// threads even on a one-core machine, where the OS then interleaves them.
var gomaxprocs = "GOMAXPROCS=" + strconv.Itoa(max(4, runtime.NumCPU()))
