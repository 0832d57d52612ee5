//go:build timed

package wasm

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"unblocked/site/lab"
)

// The Python pairs (wasm/<example>/python/sync.py and async.py, run in the page through
// Pyodide) run here natively with Debian's python3: the same flags as the Go pair, the same
// task and summary lines, and the behaviour the lesson claims, as order, overlap and ratios of
// runs measured together.

// python3 is Debian's interpreter (or the first python3 on PATH); the test fails without one.
func python3(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed to run the Python examples (Debian: apt-get install python3 python3-aiohttp): ", err)
	}
	return p
}

// py runs wasm/<prog>.py with python3; it must exit 0.
func py(t *testing.T, prog string, args ...string) *output {
	t.Helper()
	o := run(t, nil, python3(t), append([]string{filepath.Join(repoRoot, "wasm", prog+".py")}, args...)...)
	if o.code != 0 {
		t.Fatalf("%s.py exited %d:\n%s", prog, o.code, o.stderr)
	}
	return o
}

// events is the run's task lines as the timeline reads them: "3 start", "3 done", in order.
func (o *output) events() []string {
	var ev []string
	for _, l := range o.lines {
		if m := taskLine.FindStringSubmatch(l); m != nil {
			ev = append(ev, m[1]+" "+m[2])
		}
	}
	return ev
}

// summary is the closing "all N tasks done in D" line's duration; it must be the last line.
func (o *output) summary(t *testing.T, n int) time.Duration {
	t.Helper()
	last := o.last()
	prefix := "all " + strconv.Itoa(n) + " tasks done in "
	d, err := time.ParseDuration(strings.TrimPrefix(last, prefix))
	if !strings.HasPrefix(last, prefix) || err != nil {
		t.Fatalf("last line %q, want %q and a Go duration", last, prefix+"…")
	}
	return d
}

// sameAsGo checks a Python run printed the task events of the Go run of its pair with the same
// flags: in the same order for a sequential run, as the same set for a concurrent one.
func sameAsGo(t *testing.T, pyRun, goRun *output, ordered bool) {
	t.Helper()
	a, b := pyRun.events(), goRun.events()
	if !ordered {
		a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	}
	if !slices.Equal(a, b) {
		t.Errorf("task lines differ from the Go pair's\npython: %v\n    go: %v", a, b)
	}
}

// sequential checks ids 1..n ran one after another: start 1, done 1, start 2, …
func sequential(t *testing.T, o *output, n int) {
	t.Helper()
	o.allTasks(t, n)
	var want []string
	for i := 1; i <= n; i++ {
		want = append(want, strconv.Itoa(i)+" start", strconv.Itoa(i)+" done")
	}
	if got := o.events(); !slices.Equal(got, want) {
		t.Errorf("events %v, want one task after another", got)
	}
}

func TestTimedPythonSleep(t *testing.T) {
	args := []string{"-tasks", "4", "-delay", "300ms"}
	s, a := py(t, "sleep/python/sync", args...), py(t, "sleep/python/async", args...)
	sequential(t, s, 4)
	a.allTasks(t, 4)
	if a.maxRunning != 4 {
		t.Errorf("async: at most %d tasks waiting at once, want all 4", a.maxRunning)
	}
	if a.lines[0] != "task 1 start: sleeping 300ms" || s.lines[0] != a.lines[0] {
		t.Errorf("first lines %q and %q, want the Go pair's %q", s.lines[0], a.lines[0], "task 1 start: sleeping 300ms")
	}
	// four waits one after another against four overlapping: about 4×, measured together
	if x := float64(s.summary(t, 4)) / float64(a.summary(t, 4)); x < 2.5 {
		t.Errorf("sync/async = %.2f, want about 4 (at least 2.5)", x)
	}
	sameAsGo(t, s, native(t, "sleep/sync", args...), true)
	sameAsGo(t, a, native(t, "sleep/concurrent", args...), false)

	// a bad flag is refused as Go's flag package refuses it: exit 2, the reason on stderr
	bad := run(t, nil, python3(t), filepath.Join(repoRoot, "wasm/sleep/python/async.py"), "-delay", "1x")
	if bad.code != 2 || !strings.Contains(bad.stderr, "invalid duration '1x'") {
		t.Errorf("-delay 1x: exit %d, stderr %q; want 2 and the reason", bad.code, bad.stderr)
	}
}

func TestTimedPythonGather(t *testing.T) {
	srv := httptest.NewServer(http.StripPrefix("/lab", lab.Handler()))
	defer srv.Close()
	args := []string{"-tasks", "4", "-delay", "300ms", "-base", srv.URL + "/lab/"}
	s, a := py(t, "gather/python/sync", args...), py(t, "gather/python/async", args...)
	sequential(t, s, 4)
	a.allTasks(t, 4)
	if a.maxRunning != 4 {
		t.Errorf("async: at most %d requests in flight, want all 4", a.maxRunning)
	}
	for _, o := range []*output{s, a} {
		// results in the order of the requests, whatever order the answers came in
		for i := 1; i <= 4; i++ {
			o.find(t, `^result `+strconv.Itoa(i)+`: "ok page-`+strconv.Itoa(i)+`\\n"$`)
		}
		o.find(t, `^task 1 start: GET `+srv.URL+`/lab/delay/300ms/page-1$`)
	}
	if x := float64(s.summary(t, 4)) / float64(a.summary(t, 4)); x < 2.5 {
		t.Errorf("sync/async = %.2f, want about 4 (at least 2.5)", x)
	}
	sameAsGo(t, s, native(t, "gather/sync", args...), true)
	sameAsGo(t, a, native(t, "gather/concurrent", args...), false)

	// a page that fails fails the program, as log.Fatal does in the Go pair
	failing := run(t, nil, python3(t), filepath.Join(repoRoot, "wasm/gather/python/async.py"), "-tasks", "2", "-delay", "0s", "-base", srv.URL+"/lab/fail/0s/")
	if failing.code == 0 || !strings.Contains(failing.stderr, "500") {
		t.Errorf("failing pages: exit %d, stderr %q; want an error naming the 500", failing.code, failing.stderr)
	}
}

func TestTimedPythonThousands(t *testing.T) {
	a := py(t, "thousands/python/async", "-tasks", "2000", "-delay", "300ms")
	s := py(t, "thousands/python/sync", "-tasks", "10", "-delay", "300ms")
	a.allTasks(t, 2000)
	sequential(t, s, 10)
	if a.maxRunning != 2000 {
		t.Errorf("async: at most %d tasks waiting at once, want 2000", a.maxRunning)
	}
	if n := a.num(t, `^coroutines while working: (\d+)$`); n != 2001 {
		t.Errorf("coroutines while working: %d, want 2001 (the tasks and main)", n)
	}
	if b := a.num(t, `^memory: \d+ KiB, about (\d+) bytes per coroutine$`); b <= 0 || b > 64<<10 {
		t.Errorf("%d bytes per coroutine", b)
	}
	// two thousand overlapping waits take less time than ten in a row
	if as, ss := a.summary(t, 2000), s.summary(t, 10); as >= ss {
		t.Errorf("2,000 overlapping waits took %v, 10 in a row %v", as, ss)
	}
}

func TestTimedPythonBlockingInAsync(t *testing.T) {
	args := []string{"-tasks", "3", "-delay", "300ms"}
	s, a := py(t, "starve/python/sync", args...), py(t, "starve/python/async", args...)
	// time.sleep inside async def: the coroutines still run one after another …
	sequential(t, s, 3)
	sequential(t, a, 3)
	// … no faster than the plain loop …
	if x := float64(s.summary(t, 3)) / float64(a.summary(t, 3)); x < 0.7 || x > 1.4 {
		t.Errorf("sync/async = %.2f, want about 1: blocking calls do not overlap", x)
	}
	// … and the event loop's heartbeat never gets a turn while they block
	for name, o := range map[string]*output{"sync": s, "async": a} {
		if strings.Contains(o.text, "heartbeat at") {
			t.Errorf("%s: a heartbeat ran while time.sleep blocked the loop:\n%s", name, o.text)
		}
	}
	sameAsGo(t, a, native(t, "starve/sync", args...), true)

	// the fix the lesson gives beats the heartbeat and overlaps the waits
	src, err := os.ReadFile(filepath.Join(repoRoot, "wasm/starve/python/async.py"))
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(src), "    time.sleep(delay)  # the mistake", "    await asyncio.sleep(delay)  # the fix", 1)
	if fixed == string(src) {
		t.Fatal("async.py: the blocking line the lesson's fix replaces is gone")
	}
	file := filepath.Join(t.TempDir(), "fixed.py")
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	f := run(t, nil, python3(t), append([]string{file}, args...)...)
	if f.code != 0 || f.maxRunning != 3 || !strings.Contains(f.text, "heartbeat at") {
		t.Errorf("fixed: exit %d, %d at once, heartbeat %v; want 0, 3, true", f.code, f.maxRunning, strings.Contains(f.text, "heartbeat at"))
	}
}
