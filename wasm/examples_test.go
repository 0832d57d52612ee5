package wasm

import (
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Each test runs a new example natively and checks what its lesson claims.
// Durations are only compared with others of the same run (the example's
// own delay, the sync version's time), never with fixed milliseconds.

func TestCounter(t *testing.T) {
	t.Parallel()
	t.Run("sync counts every addition", func(t *testing.T) {
		t.Parallel()
		o := native(t, "counter/sync", "-tasks", "3", "-delay", "10ms")
		o.allTasks(t, 3)
		o.find(t, `^expected 30000000, got 30000000: 0 additions lost$`)
	})
	t.Run("the race detector reports counter++", func(t *testing.T) {
		t.Parallel()
		bin := binary(t, "counter/concurrent", "-race")
		o := run(t, []string{gomaxprocs}, bin, "-tasks", "2", "-delay", "10ms")
		if o.code != 66 || !strings.Contains(o.stderr, "WARNING: DATA RACE") || !strings.Contains(o.stderr, "wasm/counter/concurrent/main.go:27") {
			t.Errorf("exit %d, want 66 and a DATA RACE report naming main.go:27 (counter++); stderr:\n%s", o.code, o.stderr)
		}
	})
	t.Run("natively additions are lost", func(t *testing.T) {
		t.Parallel()
		// Whether two loops overlap depends on the machine and its load, so a
		// run may be lucky; ten lucky runs in a row would mean no race at all.
		bin := binary(t, "counter/concurrent")
		for range 10 {
			o := run(t, []string{gomaxprocs}, bin, "-tasks", "4", "-delay", "10ms")
			if o.code != 0 {
				t.Fatalf("exit %d", o.code)
			}
			if lost := o.num(t, `^expected 40000000, got \d+: (\d+) additions lost$`); lost > 0 {
				return
			}
		}
		t.Error("10 runs of 4 goroutines lost no addition: the program does not race")
	})
}

func TestFirstReply(t *testing.T) {
	t.Parallel()
	const delay = 400 * time.Millisecond
	var seq, conc *output
	t.Run("sync", func(t *testing.T) {
		seq = native(t, "firstreply/sync", "-tasks", "4", "-delay", delay.String())
		seq.allTasks(t, 4)
		for i, took := range []string{"400ms", "200ms", "800ms", "1.2s"} {
			seq.find(t, `^task `+strconv.Itoa(i+1)+` done: mirror A answered after `+took+`$`)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		conc = native(t, "firstreply/concurrent", "-tasks", "4", "-delay", delay.String())
		conc.allTasks(t, 4)
		if conc.maxRunning != 1 {
			t.Errorf("%d lookups at once, want one after another", conc.maxRunning)
		}
		for i, m := range []string{"C", "A", "B"} {
			conc.find(t, `^task `+strconv.Itoa(i+1)+` done: mirror `+m+` answered first, after 200ms$`)
		}
		conc.find(t, `^task 4 done: no mirror answered within 800ms, gave up$`)
		conc.find(t, `^4 lookups, 3 answered, 1 gave up; done in`)
	})
	if seq != nil && conc != nil {
		s, c := seq.dur(t, `done in (\S+)$`), conc.dur(t, `done in (\S+)$`)
		if c >= s {
			t.Errorf("first reply wins took %v, asking mirror A %v: want it quicker", c, s)
		}
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, delay string
		limit       int
	}{
		{"the pool sets the pace", "400ms", 3},  // 12 requests: 4 rounds of 400 ms
		{"the ticker sets the pace", "50ms", 5}, // one start per 100 ms, never 5 at once
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := native(t, "ratelimit/concurrent", "-tasks", "12", "-delay", tc.delay, "-limit", strconv.Itoa(tc.limit))
			o.allTasks(t, 12)
			if o.maxRunning > tc.limit {
				t.Errorf("%d requests at once, limit %d", o.maxRunning, tc.limit)
			}
			tickerPace(t, o)
			if tc.limit == 3 && o.maxRunning != 3 {
				t.Errorf("%d requests at once, want the pool of 3 full", o.maxRunning)
			}
		})
	}
	t.Run("sync", func(t *testing.T) {
		t.Parallel()
		o := native(t, "ratelimit/sync", "-tasks", "4", "-delay", "10ms")
		o.allTasks(t, 4)
		if o.maxRunning != 1 {
			t.Errorf("%d at once, want 1", o.maxRunning)
		}
		tickerPace(t, o)
	})
}

func TestDBPool(t *testing.T) {
	t.Parallel()
	t.Run("20 queries on 5 connections wait 15 times", func(t *testing.T) {
		t.Parallel()
		const delay = 150 * time.Millisecond
		o := native(t, "dbpool/concurrent", "-tasks", "20", "-delay", delay.String(), "-limit", "5")
		o.allTasks(t, 20)
		if o.maxRunning != 5 {
			t.Errorf("%d queries at once, want the pool's 5", o.maxRunning)
		}
		o.find(t, `^20 queries, 0 timed out; pool of 5: 15 waits for a connection, `)
		if d := o.dur(t, `done in (\S+)$`); d < 4*delay {
			t.Errorf("done in %v, want at least 4 rounds of %v", d, delay)
		}
	})
	t.Run("a pool too small turns into timeouts", func(t *testing.T) {
		t.Parallel()
		// 2 connections, 300 ms a query, 2 s a deadline: 6 rounds fit, the rest time out
		o := native(t, "dbpool/concurrent", "-tasks", "20", "-delay", "300ms", "-limit", "2")
		n := o.num(t, `^20 queries, (\d+) timed out; pool of 2: `)
		if n == 0 || n > 12 {
			t.Errorf("%d timed out, want some but not most (about 8)", n)
		}
		if got := strings.Count(o.text, "timed out after 2s\n"); got != n {
			t.Errorf("%d timeout lines, summary says %d", got, n)
		}
	})
	t.Run("sync never waits", func(t *testing.T) {
		t.Parallel()
		o := native(t, "dbpool/sync", "-tasks", "4", "-delay", "20ms", "-limit", "5")
		o.allTasks(t, 4)
		if o.maxRunning != 1 {
			t.Errorf("%d at once", o.maxRunning)
		}
		o.find(t, `^4 queries, 0 timed out; pool of 5: 0 waits for a connection, 0s waited in all$`)
	})
}

func TestPipeline(t *testing.T) {
	t.Parallel()
	t.Run("workers keep up", func(t *testing.T) {
		t.Parallel()
		o := native(t, "pipeline/concurrent", "-tasks", "10", "-delay", "200ms", "-limit", "4")
		checkPipeline(t, o, 10, 4)
	})
	t.Run("one worker falls behind and the buffer drops", func(t *testing.T) {
		t.Parallel()
		o := native(t, "pipeline/concurrent", "-tasks", "5", "-delay", "400ms", "-limit", "1")
		checkPipeline(t, o, 5, 1)
		if n := o.num(t, `; (\d+) dropped, `); n == 0 || n != strings.Count(o.text, "dropped: buffer full\n") {
			t.Errorf("%d dropped, want some, each with its line", n)
		}
	})
	t.Run("sync loses ticks", func(t *testing.T) {
		t.Parallel()
		o := native(t, "pipeline/sync", "-tasks", "4", "-delay", "250ms")
		if o.maxRunning != 1 || len(o.dones) != 4 {
			t.Errorf("%d readings processed, %d at once; want 4, one at a time", len(o.dones), o.maxRunning)
		}
		if n := o.num(t, `^collected 4 readings, on average \S+ after they were taken; (\d+) dropped$`); n == 0 {
			t.Error("a loop four times slower than the sensor dropped no reading")
		}
	})
}

// checkPipeline checks what every run of the concurrent pipeline promises.
func checkPipeline(t *testing.T, o *output, tasks, limit int) {
	t.Helper()
	o.find(t, `^collected `+strconv.Itoa(tasks)+` readings, `)
	o.find(t, `^all `+strconv.Itoa(limit+2)+` goroutines of the pipeline have ended$`)
	if o.maxRunning > limit {
		t.Errorf("%d readings processed at once by %d workers", o.maxRunning, limit)
	}
	done := 0
	for id, n := range o.dones {
		if n != 1 || o.starts[id] != 1 {
			t.Errorf("reading %s: %d start and %d done lines", id, o.starts[id], n)
		}
		if !strings.Contains(o.text, "task "+id+" done: abandoned") {
			done++
		}
	}
	if done < tasks {
		t.Errorf("%d readings processed, want at least the %d collected", done, tasks)
	}
	if n := o.num(t, `, (\d+) abandoned when the pipeline stopped$`); n != len(o.dones)-done {
		t.Errorf("summary says %d abandoned, the task lines %d", n, len(o.dones)-done)
	}
}

func TestServer(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	t.Run("concurrent serves every connection at once", func(t *testing.T) {
		t.Parallel()
		o := native(t, "server/concurrent", "-tasks", "200", "-delay", delay.String())
		servedAtOnce(t, o, 200, delay)
		if o.maxRunning != 200 {
			t.Errorf("%d requests at once, want all 200", o.maxRunning)
		}
	})
	t.Run("sync serves one connection at a time", func(t *testing.T) {
		t.Parallel()
		o := native(t, "server/sync", "-tasks", "4", "-delay", delay.String())
		o.allTasks(t, 4)
		if o.maxRunning != 1 {
			t.Errorf("%d requests at once, want 1", o.maxRunning)
		}
		o.find(t, `^4 of 4 clients answered; done in`)
		if d := o.dur(t, `^served 4 connections in (\S+)$`); d < 4*delay {
			t.Errorf("4 connections in %v, want at least 4 × %v", d, delay)
		}
	})
}

func TestShutdown(t *testing.T) {
	t.Parallel()
	t.Run("closing at once cuts every request off", func(t *testing.T) {
		t.Parallel()
		// ^C at 1 s, answers due at 2 s: a second for Close to cut them off on a busy machine
		o := native(t, "shutdown/sync", "-tasks", "5", "-delay", "2s")
		o.allTasks(t, 5)
		o.find(t, `^\^C after \S+: closing every connection now$`)
		o.find(t, `^0 of 5 requests answered; done in`)
	})
	t.Run("a graceful shutdown lets them finish", func(t *testing.T) {
		t.Parallel()
		o := native(t, "shutdown/concurrent", "-tasks", "5", "-delay", "400ms")
		o.allTasks(t, 5)
		for i := 1; i <= 5; i++ {
			o.find(t, `^task `+strconv.Itoa(i)+` done: ok `+strconv.Itoa(i)+`$`)
		}
		o.find(t, `^5 of 5 requests answered; done in`)
		if ctrlC, stopped := o.dur(t, `^\^C after (\S+): `), o.dur(t, `^server stopped after (\S+)$`); stopped < 2*ctrlC {
			t.Errorf("stopped %v after a ^C at %v: want it to wait for the requests, twice as long", stopped, ctrlC)
		}
	})
	t.Run("a real Ctrl-C works natively", func(t *testing.T) {
		t.Parallel()
		const delay = 4 * time.Second // the program would press ^C itself at 2 s
		cmd := exec.Command(binary(t, "shutdown/concurrent"), "-tasks", "3", "-delay", delay.String())
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		var text strings.Builder
		buf := make([]byte, 4096)
		for started := 0; started < 3; { // interrupt once the clients have started
			n, err := stdout.Read(buf)
			if err != nil {
				t.Fatalf("%v after:\n%s", err, text.String())
			}
			text.Write(buf[:n])
			started = strings.Count(text.String(), " start\n")
		}
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		rest, _ := readAll(stdout)
		text.WriteString(rest)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("%v:\n%s", err, text.String())
		}
		o := parse(text.String(), "", 0)
		t.Logf("%s", o.text)
		if d := o.dur(t, `^\^C after (\S+): `); d >= delay/2 {
			t.Errorf("^C after %v: the signal was not the one that stopped it (the program's own comes at %v)", d, delay/2)
		}
		// how many requests were answered depends on whether the server had
		// accepted them when the signal came (the others are refused)
		o.find(t, `^server stopped after `)
		o.find(t, `^\d of 3 requests answered; done in`)
	})
}

func readAll(f interface{ Read([]byte) (int, error) }) (string, error) {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := f.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String(), err
		}
	}
}
