package wasm

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"unblocked/site/sched"
)

// TestTraceFlag: natively every example takes -trace FILE (internal/tracefile, through the
// trace.go beside its main.go), and the file is an execution trace that golang.org/x/exp/trace
// reads to its end, and so does go tool trace.
func TestTraceFlag(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(repoRoot, "wasm", "*", "*", "main.go"))
	if len(dirs) < 20 {
		t.Fatalf("%d example programs", len(dirs))
	}
	want, err := os.ReadFile(filepath.Join(repoRoot, "wasm", "sleep", "sync", "trace.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range dirs {
		got, err := os.ReadFile(filepath.Join(filepath.Dir(m), "trace.go"))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: no trace.go like wasm/sleep/sync's (%v)", filepath.Dir(m), err)
		}
	}
	for _, c := range []struct {
		prog       string
		args       []string
		goroutines int // at least this many at once
	}{
		{"sleep/sync", []string{"-tasks", "3", "-delay", "10ms"}, 1},
		{"sleep/concurrent", []string{"-tasks", "200", "-delay", "50ms"}, 201},
		{"starve/concurrent", []string{"-tasks", "2", "-delay", "20ms"}, 3},
	} {
		file := filepath.Join(t.TempDir(), "run.trace")
		native(t, c.prog, append(c.args, "-trace", file)...)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%s -trace: %v", c.prog, err)
		}
		s, err := sched.Analyze(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: the trace does not parse: %v", c.prog, err)
		}
		if !s.Complete || s.Goroutines < c.goroutines || s.WallMs <= 0 {
			t.Errorf("%s: complete %v (%s), %d goroutines at once (want ≥ %d), wall %v ms", c.prog, s.Complete, s.Problem, s.Goroutines, c.goroutines, s.WallMs)
		}
		// and go tool trace itself reads it (its debug mode parses the whole file and exits)
		out, err := exec.Command("go", "tool", "trace", "-d=parsed", file).Output()
		if err != nil || !bytes.Contains(out, []byte("StateTransition")) {
			t.Errorf("%s: go tool trace -d=parsed: %v (%d bytes of output)", c.prog, err, len(out))
		}
	}
}
