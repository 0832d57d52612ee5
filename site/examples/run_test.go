//go:build timed

package examples

import (
	"bufio"
	"cmp"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"unblocked/site/gowasm"
	"unblocked/site/lab"
)

// Shared by every test of the package: one wasm cache and one native bin dir,
// so each program is built once per `go test` run.
var (
	repoRoot string
	builder  *gowasm.Builder
	binDir   string
)

func TestMain(m *testing.M) {
	flag.Parse()
	// The runs mostly wait on timers, so more of them than CPUs fit; the
	// default (GOMAXPROCS) would leave the test twice as long.
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		flag.Set("test.parallel", "4")
	}
	os.Exit(func() int {
		var err error
		if repoRoot, err = filepath.Abs("../.."); err != nil {
			panic(err)
		}
		tmp, err := os.MkdirTemp("", "examples-test-")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(tmp)
		builder = gowasm.New(gowasm.Options{Root: repoRoot, CacheDir: filepath.Join(tmp, "cache")})
		binDir = filepath.Join(tmp, "bin")
		if err := os.Mkdir(binDir, 0o755); err != nil {
			panic(err)
		}
		return m.Run()
	}())
}

// output is a finished run, parsed the way the page's timeline reads it.
type output struct {
	text       string
	lines      []string
	starts     map[string]int // task id → number of start lines
	dones      map[string]int
	order      []string // ids of done lines, in output order
	maxRunning int      // most tasks between their start and done lines at once
	elapsed    time.Duration
	lab        *labStats // what the lab server saw (net examples)
	platform   string    // "native" or "wasm"
}

var (
	taskLine    = regexp.MustCompile(`^task (\S+) (start|done)\b`)
	summaryLine = regexp.MustCompile(`(?:done in|returns after) ([0-9.]+[a-zµ]+)`)
)

func parse(t *testing.T, text string) *output {
	o := &output{text: text, starts: map[string]int{}, dones: map[string]int{}}
	running := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
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
				o.order = append(o.order, m[1])
				delete(running, m[1])
			}
		}
		if m := summaryLine.FindStringSubmatch(line); m != nil {
			d, err := time.ParseDuration(m[1])
			if err != nil {
				t.Errorf("summary %q: %v", line, err)
			}
			o.elapsed = d
		}
	}
	return o
}

func (o *output) has(re string) []string {
	return regexp.MustCompile(re).FindStringSubmatch(o.text)
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

func (o *output) sequential(t *testing.T, n int, delay time.Duration) {
	t.Helper()
	o.allTasks(t, n)
	if o.maxRunning != 1 {
		t.Errorf("%d tasks ran at once, want 1 (sequential)", o.maxRunning)
	}
	if want := time.Duration(n) * delay; o.elapsed < want {
		t.Errorf("elapsed %v, want at least %v", o.elapsed, want)
	}
}

// overlapping checks n tasks ran with running of them at once. How much sooner than the sync
// version they finish is the case's ratio.
//
// Natively all of them are under way at once. Under Node a loaded machine can hold up the one
// thread so long that a task ends before the last one starts; there the invariant is that two
// or more ran at once, never more than running.
func (o *output) overlapping(t *testing.T, n, running int) {
	t.Helper()
	o.allTasks(t, n)
	switch {
	case o.maxRunning > running:
		t.Errorf("%d tasks ran at once, want at most %d", o.maxRunning, running)
	case o.platform == "native" && o.maxRunning != running:
		t.Errorf("%d tasks ran at once, want %d", o.maxRunning, running)
	case o.maxRunning < 2:
		t.Errorf("%d task at a time, want several at once", o.maxRunning)
	}
	if o.elapsed == 0 {
		t.Error("no elapsed time in the summary")
	}
}

// tc describes how to run an example and what both variants must print.
// platform is "native" or "wasm".
type tc struct {
	args       []string
	sync, conc func(t *testing.T, o *output, platform string)
	// ratio is the most the concurrent version's elapsed time may be of the sync version's,
	// both measured by the programs in this run (so a loaded machine slows both): the speed-up
	// the example is about, with room for scheduling noise. 0: not compared, for the examples
	// whose speed-up (a limit of 2, a timeout: about 0.5 to 0.6) is too close to 1 to tell from
	// the noise of a loaded machine; their overlap is checked, and bounds. Under Node the
	// bound is halfway between ratio and 1: a loaded machine holds up the one thread, which
	// costs the concurrent version's burst of task lines more than the sync version's trickle.
	ratio float64
	// net examples under Node are not compared: the first fetch starts undici, which takes from
	// 0.3 s to seconds on a busy machine, more than the work itself.
	noWasmRatio bool
}

// d is the unit of every delay below: long enough that a busy machine's
// scheduling hiccups (tens of ms) cannot reorder task lines.
const d = 250 * time.Millisecond

var cases = map[string]tc{
	// The seven below are checked in depth by package wasm (wasm/examples_test.go); here, the
	// generic checks of every example: flags, task and summary lines, native and bundled runs.
	"counter": {
		args: []string{"-tasks", "3", "-delay", d.String()},
		sync: func(t *testing.T, o *output, _ string) { o.sequential(t, 3, d) },
		conc: func(t *testing.T, o *output, _ string) { o.allTasks(t, 3) }, // CPU time: no elapsed bound
	},
	"firstreply": {
		args: []string{"-tasks", "4", "-delay", "400ms"},
		sync: func(t *testing.T, o *output, _ string) { o.sequential(t, 4, 650*time.Millisecond) },
		conc: func(t *testing.T, o *output, _ string) { o.allTasks(t, 4) },
	},
	"ratelimit": {
		args: []string{"-tasks", "6", "-delay", d.String(), "-limit", "3"},
		sync: func(t *testing.T, o *output, _ string) { o.sequential(t, 6, d) },
		conc: func(t *testing.T, o *output, _ string) { o.overlapping(t, 6, 3) },
	},
	"dbpool": {
		args:  []string{"-tasks", "10", "-delay", d.String(), "-limit", "5"},
		sync:  func(t *testing.T, o *output, _ string) { o.sequential(t, 10, d) },
		conc:  func(t *testing.T, o *output, _ string) { o.overlapping(t, 10, 5) },
		ratio: 0.6, // 2 d of 10 d
	},
	"pipeline": {
		args: []string{"-tasks", "5", "-delay", d.String(), "-limit", "3"},
		sync: func(*testing.T, *output, string) {}, // behaviour checked in package wasm
		conc: func(*testing.T, *output, string) {},
	},
	"server": {
		args:  []string{"-tasks", "5", "-delay", d.String()},
		sync:  func(t *testing.T, o *output, _ string) { o.sequential(t, 5, d) },
		conc:  func(t *testing.T, o *output, _ string) { o.overlapping(t, 5, 5) },
		ratio: 0.6, // d of 5 d
	},
	"shutdown": {
		args: []string{"-tasks", "3", "-delay", d.String()},
		sync: func(t *testing.T, o *output, _ string) { o.allTasks(t, 3) },
		conc: func(t *testing.T, o *output, _ string) { o.allTasks(t, 3) },
	},
	"sleep": {
		args:  []string{"-tasks", "5", "-delay", d.String()},
		sync:  func(t *testing.T, o *output, _ string) { o.sequential(t, 5, d) },
		conc:  func(t *testing.T, o *output, _ string) { o.overlapping(t, 5, 5) },
		ratio: 0.6, // d of 5 d
	},
	"gather": {
		args:  []string{"-tasks", "3", "-delay", d.String()},
		sync:  func(t *testing.T, o *output, _ string) { o.sequential(t, 3, d); inputOrder(t, o) },
		conc:  func(t *testing.T, o *output, p string) { o.overlapping(t, 3, 3); inputOrder(t, o) },
		ratio: 0.75, noWasmRatio: true, // d of 3 d
	},
	"channels": {
		args: []string{"-tasks", "6", "-delay", "600ms"},
		sync: func(t *testing.T, o *output, _ string) {
			o.sequential(t, 6, 350*time.Millisecond) // 600 + 500 + … + 100ms = 2.1s
			if o.has(`results in order: \[1 2 3 4 5 6\]`) == nil {
				t.Error("sync results not in input order")
			}
		},
		conc: func(t *testing.T, o *output, _ string) {
			o.overlapping(t, 6, 6)
			if o.has(`results in order: \[6 5 4 3 2 1\]`) == nil {
				t.Error("concurrent results not in completion order [6 5 4 3 2 1]")
			}
		},
		ratio: 0.6, // 600 ms of 2.1 s
	},
	"thousands": {
		args: []string{"-tasks", "5", "-delay", d.String()},
		sync: func(t *testing.T, o *output, _ string) {
			o.sequential(t, 5, d)
			if o.has(`(?m)^goroutines while working: 1$`) == nil {
				t.Error("want 1 goroutine while working")
			}
		},
		conc: func(t *testing.T, o *output, p string) {
			o.overlapping(t, 5, 5)
			// the same under js/wasm: counted before Go first went idle, so
			// the runtime has not yet started its goroutine for JavaScript
			// events (stdout no longer waits for a callback: site/gowasm), and
			// run here without a trace sink, nor the page's trace recorder
			if o.has(`(?m)^goroutines while working: 6$`) == nil {
				t.Errorf("want 6 goroutines (main + 5) while working (%s)", p)
			}
			// with 5 goroutines the figure is mostly noise (stacks come from
			// spans already in use); it only has to be a few KiB, not more
			m := o.has(`(?m)^memory: \d+ KiB, about (\d+) bytes per goroutine$`)
			if m == nil {
				t.Fatal("no memory line")
			}
			if b, _ := strconv.Atoi(m[1]); b > 16384 {
				t.Errorf("%d bytes per goroutine, want a few KiB", b)
			}
		},
		ratio: 0.6, // d of 5 d
	},
	"ticker": {
		args: []string{"-tasks", "2", "-delay", "300ms"},
		sync: func(t *testing.T, o *output, _ string) {
			o.sequential(t, 2, 300*time.Millisecond)
			if m := o.has(`with (\d+) heartbeats`); m == nil || m[1] > "2" {
				t.Errorf("sync heartbeats %v, want at most one per call", m)
			}
			if n := beatsDuringTasks(o); n != 0 {
				t.Errorf("%d heartbeats while a call ran, want 0", n)
			}
		},
		conc: func(t *testing.T, o *output, _ string) {
			o.allTasks(t, 2)
			// about 5, but a loaded machine may delay the ticker: the point is that there are any
			if n := beatsDuringTasks(o); n == 0 {
				t.Errorf("no heartbeat while calls ran, want about 5\n%s", o.text)
			}
		},
	},
	"crawler": {
		args: []string{"-tasks", "5", "-delay", d.String(), "-limit", "2"},
		sync: func(t *testing.T, o *output, _ string) { o.sequential(t, 5, d); refused(t, o, 5, 0) },
		conc: func(t *testing.T, o *output, p string) {
			o.overlapping(t, 5, 2) // 3 waves
			for _, m := range regexp.MustCompile(`in flight: (\d+)`).FindAllStringSubmatch(o.text, -1) {
				if m[1] != "1" && m[1] != "2" {
					t.Errorf("in flight %s, limit 2", m[1])
				}
			}
			refused(t, o, 5, 0) // 2 at once is well within what the server takes
		},
	},
	"fanout": {
		// The lab server takes 10 at once; 15 unbounded requests overrun it.
		args: []string{"-tasks", "15", "-delay", d.String()},
		sync: func(t *testing.T, o *output, _ string) { o.sequential(t, 15, d); refused(t, o, 15, 0) },
		conc: func(t *testing.T, o *output, p string) {
			// refused requests end at once, so how many overlap is not fixed;
			// at least the 10 the server took ran together
			o.allTasks(t, 15)
			if o.maxRunning < 10 {
				t.Errorf("%d requests at once, want all of them sent together", o.maxRunning)
			}
			// Natively the 15 requests reach the server together. Under Node, undici starts
			// them over a time that depends on the machine's load: how many are refused is
			// then the server's to say, and the program must report what it saw.
			if p == "native" {
				refused(t, o, 10, 5)
			}
			if o.lab.maxInFlight < 2 {
				t.Errorf("the server saw %d request at a time, want them at once", o.lab.maxInFlight)
			}
			refused(t, o, 15-o.lab.refused, o.lab.refused)
			if o.lab.refused > 0 && o.has(`(?m)^task \d+ done: 503 Service Unavailable, busy: this server takes at most 10 requests at once$`) == nil {
				t.Error("no refused task line")
			}
		},
		ratio: 0.4, noWasmRatio: true, // about d of 15 d
	},
	"starve": {
		args: []string{"-tasks", "3", "-delay", d.String()},
		sync: func(t *testing.T, o *output, platform string) {
			// Only the order of lines is checked: the work is calibrated
			// against the clock, and a busy test machine skews that.
			o.allTasks(t, 3)
			if o.maxRunning != 1 {
				t.Errorf("%d loops ran at once, want 1", o.maxRunning)
			}
			if n := beatsDuringTasks(o); platform == "wasm" && n != 0 {
				t.Errorf("wasm: %d heartbeats while a loop spun, want 0 (one thread, no preemption)", n)
			}
		},
		conc: func(t *testing.T, o *output, platform string) {
			o.allTasks(t, 3)
			if platform != "wasm" {
				return // natively the speed-up depends on the machine's cores
			}
			if o.maxRunning != 1 {
				t.Errorf("wasm: %d loops ran at once, want 1", o.maxRunning)
			}
			if n := beatsDuringTasks(o); n != 0 {
				t.Errorf("wasm: %d heartbeats while loops spun, want 0", n)
			}
		},
	},
	"forgetwait": {
		args: []string{"-tasks", "3", "-delay", d.String()},
		sync: func(t *testing.T, o *output, _ string) { o.sequential(t, 3, d) },
		conc: func(t *testing.T, o *output, _ string) {
			if len(o.starts) > 3 || len(o.dones) != 0 {
				t.Errorf("%d start and %d done lines; want no done line (main did not wait)", len(o.starts), len(o.dones))
			}
			if o.has(`main returns after`) == nil {
				t.Error("no main returns line")
			}
		},
		ratio: 0.25, // main returns at once, not after 3 d
	},
	"race": {
		args: []string{"-tasks", "5", "-delay", d.String()},
		sync: func(t *testing.T, o *output, _ string) {
			o.sequential(t, 5, d)
			if o.has(`(?m)^expected 5, got 5$`) == nil {
				t.Error("sync lost updates")
			}
		},
		conc: func(t *testing.T, o *output, p string) {
			o.overlapping(t, 5, 5)
			// all five read 0 before any writes 1; under Node on a loaded machine (see
			// overlapping) a late one may read another's write, but some updates are lost
			if want := map[string]string{"native": "1", "wasm": "[1-4]"}[p]; o.has(`(?m)^expected 5, got `+want+`$`) == nil {
				t.Errorf("concurrent should lose updates: want got %s", want)
			}
		},
		ratio: 0.6, // d of 5 d
	},
	"timeout": {
		// Node's first fetch can take a second to start on a busy machine, so
		// the margins around the 2s timeout are wide: pages take 1s or 3s.
		args: []string{"-tasks", "3", "-delay", "1s"},
		sync: func(t *testing.T, o *output, _ string) {
			o.sequential(t, 3, 4*d) // 1 + 1 + 2 (timeout) s
			timeouts(t, o)
		},
		conc: func(t *testing.T, o *output, p string) {
			o.overlapping(t, 3, 3)
			timeouts(t, o)
		},
	},
	"leak": {
		// Tasks 1 and 3 take 200ms, task 2 1s; results are taken for 500ms.
		// Task 2 is always late; 1 and 3 usually are not, but a stalled
		// process can miss them too, so the checks are the invariants.
		args: []string{"-tasks", "3", "-delay", "1s"},
		sync: func(t *testing.T, o *output, _ string) {
			if o.has(`(?m)^[12] of 3 results; no goroutines`) == nil {
				t.Error("sync: want 1 or 2 of 3 results (task 2 starts in time, ends late)")
			}
			if o.maxRunning != 1 {
				t.Errorf("%d tasks at once", o.maxRunning)
			}
		},
		conc: func(t *testing.T, o *output, _ string) {
			m := o.has(`(?m)^unbuffered: (\d) of 3 results; goroutines stuck: (\d) `)
			if m == nil || m[2] == "0" || int(m[1][0]-'0')+int(m[2][0]-'0') != 3 {
				t.Errorf("unbuffered: %q, want every result not received stuck (at least task 2)", m)
			}
			if o.has(`(?m)^buffered: [0-2] of 3 results; goroutines stuck: 0 `) == nil {
				t.Error("want none stuck with the buffered channel")
			}
			for _, round := range []string{"unbuffered", "buffered"} {
				for i := 1; i <= 3; i++ {
					if id := fmt.Sprintf("%s-%d", round, i); o.starts[id] != 1 || o.dones[id] != 1 {
						t.Errorf("task %s: %d start, %d done lines", id, o.starts[id], o.dones[id])
					}
				}
			}
			if o.maxRunning != 3 {
				t.Errorf("%d tasks at once, want 3", o.maxRunning)
			}
		},
	},
	"rewrite": {
		args: []string{"-tasks", "4", "-delay", d.String(), "-limit", "2"},
		sync: func(t *testing.T, o *output, _ string) { o.sequential(t, 4, d); inputOrder(t, o) },
		conc: func(t *testing.T, o *output, p string) { o.overlapping(t, 4, 2); inputOrder(t, o) },
	},
	"cancel": {
		// Page 3 fails after d/2, the others answer after d; 2 at a time.
		args: []string{"-tasks", "6", "-delay", d.String(), "-limit", "2"},
		sync: func(t *testing.T, o *output, _ string) {
			o.sequential(t, 3, d*5/6) // 1, 2 and the failure of 3; nothing after it
			if o.has(`(?m)^task 3 done: 500 Internal Server Error$`) == nil ||
				o.has(`(?m)^3 of 6 pages requested; first error: page 3: 500 Internal Server Error$`) == nil {
				t.Error("sync: want it to stop at page 3, its first error")
			}
		},
		conc: func(t *testing.T, o *output, p string) {
			// Pages 1 and 2; page 3 takes the first free slot and fails d/2 later. Page 2 is
			// cancelled in flight if it has not ended by then; otherwise page 4 has taken its
			// slot and is. Which one depends on how far apart 1 and 2 started (on one thread
			// the first goroutine runs on into its request before the second starts) and on
			// the machine: either way one request is cancelled in flight and 5 and 6 are
			// never asked for.
			if o.maxRunning != 2 {
				t.Errorf("%d requests at once, want 2 (the limit)", o.maxRunning)
			}
			if o.has(`(?m)^task 3 done: 500 Internal Server Error$`) == nil {
				t.Error("want page 3 failed")
			}
			cancelled := regexp.MustCompile(`(?m)^task (\d) done: cancelled$`).FindAllStringSubmatch(o.text, -1)
			if len(cancelled) != 1 || (cancelled[0][1] != "2" && cancelled[0][1] != "4") {
				t.Errorf("cancelled: %v, want page 2 or page 4, once", cancelled)
			}
			for _, id := range []string{"5", "6"} {
				if o.starts[id] != 0 {
					t.Errorf("page %s was requested after page 3 failed", id)
				}
			}
			m := o.has(`(?m)^([34]) of 6 pages requested, 1 of them cancelled; first error: page 3: 500 Internal Server Error$`)
			if m == nil || m[1] != strconv.Itoa(len(o.starts)) {
				t.Errorf("summary: want %d requested, 1 cancelled, page 3's error first", len(o.starts))
			}
			if o.elapsed < 3*d/2 {
				t.Errorf("elapsed %v, want at least %v (page 3 starts after a page of d and fails d/2 later)", o.elapsed, 3*d/2)
			}
		},
	},
}

// refused checks the summary of the crawler and fanout examples.
func refused(t *testing.T, o *output, ok, refused int) {
	t.Helper()
	if o.has(fmt.Sprintf(`(?m)^%d ok, %d refused by the server$`, ok, refused)) == nil {
		t.Errorf("want %d ok, %d refused", ok, refused)
	}
}

// inputOrder checks the printed results come back in the order asked for.
func inputOrder(t *testing.T, o *output) {
	t.Helper()
	n := 0
	for _, line := range o.lines {
		if m := regexp.MustCompile(`^result (\d+): "ok page-(\d+)\\n"$`).FindStringSubmatch(line); m != nil {
			n++
			if m[1] != strconv.Itoa(n) || m[2] != m[1] {
				t.Errorf("result line %q out of input order", line)
			}
		}
	}
	if n == 0 || n != len(o.dones) {
		t.Errorf("%d result lines for %d tasks", n, len(o.dones))
	}
}

func timeouts(t *testing.T, o *output) {
	t.Helper()
	if o.has(`(?m)^task 3 done: timed out$`) == nil || o.has(`(?m)^task 1 done: ok$`) == nil {
		t.Error("want task 3 timed out and task 1 ok")
	}
	if o.has(`(?m), 1 timed out$`) == nil {
		t.Error("summary does not report 1 timeout")
	}
}

// beatsDuringTasks counts heartbeat lines printed while some task was between
// its start and done lines.
func beatsDuringTasks(o *output) int {
	running, n := 0, 0
	for _, line := range o.lines {
		switch m := taskLine.FindStringSubmatch(line); {
		case m != nil && m[2] == "start":
			running++
		case m != nil:
			running--
		case strings.HasPrefix(line, "heartbeat") && running > 0:
			n++
		}
	}
	return n
}

func TestTimedExamplesRun(t *testing.T) {
	exs, err := Load(os.DirFS(repoRoot))
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the examples as js/wasm: ", err)
	}
	tc, err := gowasm.FindToolchain("")
	if err != nil {
		t.Fatal(err)
	}
	// Build everything first, CPU-bound and at most one per CPU, so that no
	// build competes with the timed runs below.
	type key struct{ name, variant, platform string }
	buildErr := map[key]error{}
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(runtime.NumCPU())
	for name := range exs {
		for _, variant := range Variants {
			g.Go(func() error {
				cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, name+"-"+variant), "./wasm/"+name+"/"+variant)
				cmd.Dir = repoRoot
				out, err := cmd.CombinedOutput()
				if err != nil {
					err = fmt.Errorf("go build: %v\n%s", err, out)
				}
				mu.Lock()
				buildErr[key{name, variant, "native"}] = err
				mu.Unlock()
				return nil
			})
		}
	}
	// js/wasm: the bundles the site ships, each program picked by its argv[0] as in the page
	for bundle, progs := range Bundles(exs) {
		g.Go(func() error {
			wasm, err := Bundle(context.Background(), builder, bundle, progs)
			if err == nil {
				err = os.WriteFile(filepath.Join(binDir, bundle+".wasm"), wasm, 0o644)
			}
			mu.Lock()
			buildErr[key{bundle, "", "wasm"}] = err
			mu.Unlock()
			return nil
		})
	}
	g.Wait()
	runner, err := filepath.Abs(filepath.Join("testdata", "run_bundle.js"))
	if err != nil {
		t.Fatal(err)
	}

	// The runs, in parallel; then each example's speed-up, from the elapsed times of this run.
	elapsed := map[key]time.Duration{}
	t.Run("run", func(t *testing.T) {
		for name, ex := range exs {
			c, ok := cases[name]
			if !ok {
				t.Errorf("example %s has no test case", name)
				continue
			}
			for _, variant := range Variants {
				check := c.sync
				if variant == "concurrent" {
					check = c.conc
				}
				args := c.args
				bin := filepath.Join(binDir, name+"-"+variant)
				record := func(platform string, o *output) {
					mu.Lock()
					elapsed[key{name, variant, platform}] = o.elapsed
					mu.Unlock()
				}
				t.Run(name+"/"+variant+"/native", func(t *testing.T) {
					t.Parallel()
					if err := buildErr[key{name, variant, "native"}]; err != nil {
						t.Fatal(err)
					}
					flagsMatch(t, ex, bin)
					args, stats := withLab(t, ex, args)
					o := runProgram(t, "", bin, args...)
					o.lab, o.platform = stats, "native"
					check(t, o, "native")
					record("native", o)
				})
				t.Run(name+"/"+variant+"/wasm", func(t *testing.T) {
					t.Parallel()
					bundle := BundleOf(ex)
					if err := buildErr[key{bundle, "", "wasm"}]; err != nil {
						t.Fatal(err)
					}
					// one Node process per CPU: each compiles a bundle of megabytes before its
					// program runs, and a crowd of them would stall the timed runs
					nodeSlots <- struct{}{}
					defer func() { <-nodeSlots }()
					args, stats := withLab(t, ex, args)
					nodeArgs := append([]string{"--stack-size=8192", runner, filepath.Join(tc.GOROOT, "lib", "wasm", "wasm_exec.js"),
						filepath.Join(binDir, bundle+".wasm"), ProgramName(ex, variant)}, args...)
					// net/http under js/wasm refuses to use fetch when argv0
					// starts with "node" (roundtrip_js.go); browsers have no such
					// check, so a neutral argv0 makes Node behave like the page.
					o := runProgram(t, "wasmnode", node, nodeArgs...)
					o.lab, o.platform = stats, "wasm"
					check(t, o, "wasm")
					record("wasm", o)
				})
			}
		}
	})
	for name, c := range cases {
		for _, platform := range []string{"native", "wasm"} {
			sync, conc := elapsed[key{name, "sync", platform}], elapsed[key{name, "concurrent", platform}]
			if c.ratio == 0 || sync == 0 || conc == 0 {
				continue // not compared, or a run failed (and said so)
			}
			limit := c.ratio
			if platform == "wasm" {
				limit = (1 + c.ratio) / 2
			}
			t.Run(name+"/"+platform+"/speedup", func(t *testing.T) {
				r := float64(conc) / float64(sync)
				t.Logf("concurrent %v, sync %v: %.2f", conc, sync, r)
				if platform == "wasm" && c.noWasmRatio {
					t.Logf("not compared under Node")
				} else if r > limit {
					t.Errorf("concurrent took %v, %.2f of sync's %v; want at most %.2f", conc, r, sync, limit)
				}
			})
		}
	}
}

// withLab adds -base for a net example: a lab server of the run's own, because
// limit/<n>/… counts the requests in flight per client address, and the runs
// in parallel all come from 127.0.0.1.
// The server's view of the run is in stats.
func withLab(t *testing.T, ex *Example, args []string) (_ []string, stats *labStats) {
	t.Helper()
	if !ex.Net {
		return args, nil
	}
	stats = &labStats{}
	srv := httptest.NewServer(stats.wrap(http.StripPrefix("/lab/", lab.Handler())))
	t.Cleanup(srv.Close)
	return append(args[:len(args):len(args)], "-base", srv.URL+"/lab/"), stats
}

// labStats is what a lab server saw of a run: the most requests in flight at once and how many
// it refused (503).
type labStats struct {
	mu                    sync.Mutex
	inFlight, maxInFlight int
	refused               int
}

func (s *labStats) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.inFlight++
		s.maxInFlight = max(s.maxInFlight, s.inFlight)
		s.mu.Unlock()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		s.mu.Lock()
		s.inFlight--
		if sw.status == http.StatusServiceUnavailable {
			s.refused++
		}
		s.mu.Unlock()
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// nodeSlots bounds the js/wasm runs under way at once.
var nodeSlots = make(chan struct{}, runtime.NumCPU())

// runProgram runs path with args, naming it argv0 when that is not "".
func runProgram(t *testing.T, argv0, path string, args ...string) *output {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	if argv0 != "" {
		cmd.Args[0] = argv0
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v\nstdout:\n%s\nstderr:\n%s", cmd.Args, err, out, stderr.String())
	}
	o := parse(t, string(out))
	if o.has(`(?m)(done in|returns after) `) == nil {
		t.Errorf("no summary line in:\n%s", out)
	}
	t.Logf("%s", out)
	return o
}

var usageFlag = regexp.MustCompile(`(?m)^  -(\w+) (\w+)\n\s+.*?(?:\(default "?(.*?)"?\))?$`)

// flagsMatch checks the program accepts every parameter of example.yaml with
// the same default, so the page's controls start where the program would.
func flagsMatch(t *testing.T, ex *Example, bin string) {
	t.Helper()
	out, _ := exec.Command(bin, "-h").CombinedOutput()
	defaults := map[string]string{}
	for _, m := range usageFlag.FindAllStringSubmatch(string(out), -1) {
		defaults[m[1]] = m[3]
	}
	for _, p := range ex.Params {
		got, ok := defaults[p.Name]
		if !ok {
			t.Errorf("no -%s flag in:\n%s", p.Name, out)
			continue
		}
		if p.Kind == "duration" {
			g, _ := time.ParseDuration(cmp.Or(got, "0s"))
			w, _ := time.ParseDuration(p.Default)
			if g != w {
				t.Errorf("-%s defaults to %q, example.yaml says %s", p.Name, got, p.Default)
			}
		} else if got != p.Default {
			t.Errorf("-%s defaults to %q, example.yaml says %s", p.Name, got, p.Default)
		}
	}
	if _, ok := defaults["base"]; ok != ex.Net {
		t.Errorf("-base flag present: %v, net: %v", ok, ex.Net)
	}
	// every program also takes -trace FILE natively (trace.go, internal/tracefile)
	if _, ok := defaults["trace"]; !ok {
		t.Errorf("no -trace flag (trace.go beside main.go) in:\n%s", out)
	}
	delete(defaults, "trace")
	if len(defaults) != len(ex.Params)+map[bool]int{true: 1}[ex.Net] {
		t.Errorf("flags %v, want exactly the example.yaml params (and -base for net)", defaults)
	}
}
