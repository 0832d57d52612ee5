package sched

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"runtime/trace"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// record traces f in this process.
func record(t *testing.T, f func()) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	f()
	trace.Stop()
	return buf.Bytes()
}

func analyze(t *testing.T, data []byte) *Summary {
	t.Helper()
	s, err := Analyze(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWaitsAtOnce(t *testing.T) {
	const n = 300
	data := record(t, func() {
		release := make(chan struct{})
		var started, wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			started.Add(1)
			go func() {
				defer wg.Done()
				started.Done()
				<-release // all n alive at once, waiting on a channel
				time.Sleep(time.Millisecond)
			}()
		}
		started.Wait()
		close(release)
		wg.Wait()
	})
	s := analyze(t, data)
	if !s.Complete {
		t.Fatalf("complete trace read as incomplete: %s", s.Problem)
	}
	// the n goroutines, plus the test's own (main, the test's goroutine and a few of testing's)
	if s.Goroutines < n+1 || s.Goroutines > n+10 {
		t.Errorf("goroutines at once = %d, want %d + the test's few", s.Goroutines, n)
	}
	if !(s.BusyMs > 0 && s.BusyMs <= s.WallMs) || s.WallMs <= 0 {
		t.Errorf("busy %v ms of wall %v ms", s.BusyMs, s.WallMs)
	}
	kinds := map[string]int{}
	states := map[int64]int{}
	for _, g := range s.Gs {
		if len(g.Iv)%4 != 0 {
			t.Fatalf("g%d: %d interval numbers", g.ID, len(g.Iv))
		}
		for i := 0; i < len(g.Iv); i += 4 {
			if g.Iv[i] > g.Iv[i+1] {
				t.Fatalf("g%d: interval %d..%d backwards", g.ID, g.Iv[i], g.Iv[i+1])
			}
			states[g.Iv[i+2]]++
			if g.Iv[i+2] == Waiting {
				kinds[s.Kinds[g.Iv[i+3]]]++
			} else if g.Iv[i+3] != -1 {
				t.Fatalf("g%d: a reason on state %d", g.ID, g.Iv[i+2])
			}
		}
	}
	// a goroutine may reach <-release only after it is closed: then it never waits there
	if kinds["chan"] < n*9/10 || kinds["sleep"] < n {
		t.Errorf("waits by kind %v, want ≥ %d chan and sleep", kinds, n)
	}
	if states[Running] < n || states[Runnable] < n {
		t.Errorf("intervals by state %v", states)
	}
	if len(s.Thread)%3 != 0 || len(s.Thread) < 3*n {
		t.Errorf("thread spans: %d numbers", len(s.Thread))
	}
	// the goroutines are named by their start function, not the runtime's
	named := 0
	for _, g := range s.Gs {
		if s.Names[g.Name] == "TestWaitsAtOnce.record.func1" || bytes.Contains([]byte(s.Names[g.Name]), []byte("TestWaitsAtOnce.func")) {
			named++
		}
	}
	if named < n {
		t.Errorf("%d goroutines named after the test's func literal (names %v)", named, s.Names)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	}
}

func TestBusy(t *testing.T) {
	// a goroutine that computes for 30 ms keeps the thread busy most of the span
	data := record(t, func() {
		done := make(chan struct{})
		go func() {
			for t0 := time.Now(); time.Since(t0) < 30*time.Millisecond; {
			}
			close(done)
		}()
		<-done
	})
	s := analyze(t, data)
	if s.BusyMs < 0.8*s.WallMs {
		t.Errorf("spinning: busy %v ms of %v ms", s.BusyMs, s.WallMs)
	}
	// and a sleep keeps it idle
	data = record(t, func() { time.Sleep(30 * time.Millisecond) })
	s = analyze(t, data)
	if s.BusyMs > 0.5*s.WallMs {
		t.Errorf("sleeping: busy %v ms of %v ms", s.BusyMs, s.WallMs)
	}
}

func TestRegionsAndTasks(t *testing.T) {
	data := record(t, func() {
		ctx, task := trace.NewTask(context.Background(), "download")
		trace.WithRegion(ctx, "fetch", func() { time.Sleep(time.Millisecond) })
		task.End()
	})
	s := analyze(t, data)
	if len(s.Regions) != 4 || s.Names[s.Regions[3]] != "fetch" || s.Regions[1] > s.Regions[2] {
		t.Errorf("regions %v (names %v)", s.Regions, s.Names)
	}
	if len(s.Tasks) != 3 || s.Names[s.Tasks[2]] != "download" {
		t.Errorf("tasks %v (names %v)", s.Tasks, s.Names)
	}
}

func TestCutShort(t *testing.T) {
	data := record(t, func() { time.Sleep(time.Millisecond) })
	if _, err := Analyze(bytes.NewReader(nil)); err == nil {
		t.Error("empty trace: no error")
	}
	if _, err := Analyze(bytes.NewReader([]byte("not a trace"))); err == nil {
		t.Error("garbage: no error")
	}
	// a trace cut mid-way is either refused or summarised as incomplete, never as complete
	s, err := Analyze(bytes.NewReader(data[:len(data)/2]))
	if err == nil && s.Complete {
		t.Error("half a trace read as complete")
	}
}

func TestKind(t *testing.T) {
	for r, want := range map[string]string{"sleep": "sleep", "chan receive": "chan", "chan send": "chan", "select": "select",
		"sync": "sync", "sync.(*Cond).Wait": "sync", "network": "net", "GC mark assist wait for work": "gc", "forever": "other"} {
		if got := Kind(r); got != want {
			t.Errorf("Kind(%q) = %q, want %q", r, got, want)
		}
	}
}

// TestTaskGoroutines: what the timeline's task bars need from a goroutine: whether it ended,
// and whether the program started it for its work (a go statement, sync.WaitGroup.Go, a
// time.AfterFunc callback: the program's function runs in it) or the library did (os/signal's
// loop); and the trace's clock at its first event.
func TestTaskGoroutines(t *testing.T) {
	block := make(chan struct{})
	var stuck sync.WaitGroup
	stuck.Add(1)
	data := record(t, func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); time.Sleep(time.Millisecond) }()
		wg.Go(func() { time.Sleep(time.Millisecond) })
		fired := make(chan struct{})
		time.AfterFunc(time.Millisecond, func() { close(fired) })
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGUSR1) // starts os/signal's loop goroutine
		signal.Stop(sig)
		go func() { stuck.Done(); <-block }() // alive at the trace's end
		stuck.Wait()
		<-fired
		wg.Wait()
	})
	close(block)
	s := analyze(t, data)
	if !(s.ClockMs > 0) {
		t.Errorf("clockMs %v", s.ClockMs)
	}
	own, lib, ended, alive := 0, 0, 0, 0
	for _, g := range s.Gs {
		name := s.Names[g.Name]
		switch {
		case g.Lib && name == "loop": // os/signal's
			lib++
		case !g.Lib && (strings.HasPrefix(name, "TestTaskGoroutines.") || strings.HasPrefix(name, "(*WaitGroup).Go.")):
			own++
			if g.Ended {
				ended++
			} else {
				alive++
			}
		}
	}
	if own != 4 || lib != 1 || ended != 3 || alive != 1 {
		t.Errorf("own %d (ended %d, alive %d), library %d; want 4 (3, 1), 1: %+v %v", own, ended, alive, lib, s.Gs, s.Names)
	}
	for _, c := range []struct {
		fn  string
		lib bool
	}{
		{"net/http.(*conn).serve", true}, {"database/sql.(*DB).connectionOpener", true}, {"time.goFunc", true},
		{"golang.org/x/net/http2.(*serverConn).serve", true},
		{"sync.(*WaitGroup).Go.func1", false}, {"golang.org/x/sync/errgroup.(*Group).Go.func1", false},
		{"main.main.func1", false}, {"unblocked/wasm/_bundle/examples/sleep/concurrent.Main.func1", false},
		{"github.com/traefik/yaegi/interp.genRun.func1", false},
	} {
		if got := library(c.fn); got != c.lib {
			t.Errorf("library(%q) = %v", c.fn, got)
		}
	}
}
