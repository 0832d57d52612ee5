package gowasm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"unblocked/site/diag"
	"unblocked/site/gowasm/gowasmtest"
)

const mainGo = "package main\n\nimport \"tmpmod/lib\"\n\nfunc main() { println(lib.Greeting) }\n"

func newModule(t *testing.T) string {
	return gowasmtest.Module(t, map[string]string{
		"cmd/hi/main.go": mainGo,
		"lib/lib.go":     "package lib\n\nconst Greeting = \"hi\"\n",
		"other/other.go": "package other\n",
	})
}

// waitFor polls cond until it holds: the fakes signal through files.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestCacheHitSkipsGo(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	root := newModule(t)
	ctx := context.Background()
	for _, dir := range []string{"", t.TempDir()} {
		b := New(Options{Root: root, GoCmd: fake.Cmd, CacheDir: dir})
		before := fake.Calls(t)
		for range 3 {
			data, err := b.Package(ctx, "cmd/hi")
			if err != nil || !bytes.HasPrefix(data, []byte("\x00asm")) {
				t.Fatalf("cacheDir %q: %q, %v", dir, data, err)
			}
		}
		if n := fake.Calls(t) - before; n != 1 {
			t.Fatalf("cacheDir %q: go ran %d times for one package, want 1", dir, n)
		}
		if s := b.Stats(); s.Builds != 1 || s.Hits != 2 {
			t.Fatalf("stats %+v", s)
		}
	}
	// A new Builder on the same cache dir hits too, without a go command at all.
	dir := t.TempDir()
	if _, err := New(Options{Root: root, GoCmd: fake.Cmd, CacheDir: dir}).Package(ctx, "cmd/hi"); err != nil {
		t.Fatal(err)
	}
	gone := New(Options{Root: root, GoCmd: fake.Cmd, CacheDir: dir})
	os.Rename(fake.Cmd, fake.Cmd+".gone")
	defer os.Rename(fake.Cmd+".gone", fake.Cmd)
	if _, err := gone.Package(ctx, "cmd/hi"); err != nil || gone.Stats().Builds != 0 {
		t.Fatalf("restart: %v, %d builds", err, gone.Stats().Builds)
	}
}

func TestKeyCoversInputs(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	root := newModule(t)
	b := New(Options{Root: root, GoCmd: fake.Cmd})
	key := func(j Job) string {
		t.Helper()
		k, err := b.key(j)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	hi := Job{Package: "cmd/hi"}
	k0 := key(hi)
	if key(hi) != k0 {
		t.Fatal("the key is not stable")
	}
	os.WriteFile(filepath.Join(root, "other", "other.go"), []byte("package other // edited\n"), 0o644)
	if key(hi) != k0 {
		t.Error("a package main does not import changed the key")
	}
	os.WriteFile(filepath.Join(root, "lib", "data.txt"), []byte("embedded?"), 0o644)
	k1 := key(hi)
	if k1 == k0 {
		t.Error("a new file in an imported package kept the key (it may be embedded)")
	}
	os.WriteFile(filepath.Join(root, "cmd", "hi", "main_test.go"), []byte("package main\n"), 0o644)
	if key(hi) != k1 {
		t.Error("a test file changed the key")
	}
	withFile := Job{Package: "cmd/hi", Files: map[string][]byte{"cmd/hi/extra.go": []byte("package main\n")}}
	k2 := key(withFile)
	if k2 == k1 {
		t.Error("an overlay file kept the key")
	}
	withFile.Files["cmd/hi/extra.go"] = []byte("package main\n\nimport _ \"tmpmod/other\"\n")
	k3 := key(withFile)
	os.WriteFile(filepath.Join(root, "other", "other.go"), []byte("package other // edited again\n"), 0o644)
	if key(withFile) == k3 {
		t.Error("an overlay file's module import is not followed")
	}
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module tmpmod\n\ngo 1.26.1\n"), 0o644)
	if key(hi) == k1 {
		t.Error("go.mod changed, the key did not")
	}
	if k := key(Job{Package: "virtual", Files: map[string][]byte{"virtual/main.go": []byte("package main\n")}}); k == "" {
		t.Error("a package made only of files has no key")
	}
	before := key(hi)
	t.Setenv("GOFLAGS", "-tags=x")
	if k, _ := New(Options{Root: root, GoCmd: fake.Cmd}).key(hi); k == before {
		t.Error("GOFLAGS is not part of the key")
	}
}

func TestEnvironment(t *testing.T) {
	dir := t.TempDir()
	envFile := filepath.Join(dir, "env")
	fake := gowasmtest.New(t, `env > `+envFile+`; echo "$@" > `+dir+`/args; `+gowasmtest.WriteWasm)
	t.Setenv("GOOS", "plan9")
	b := New(Options{Root: newModule(t), GoCmd: fake.Cmd, Env: []string{"GOARCH=386", "GOPROXY=off"}})
	if _, err := b.Package(context.Background(), "cmd/hi"); err != nil {
		t.Fatal(err)
	}
	env, _ := os.ReadFile(envFile)
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	for _, want := range []string{"\nGOOS=js\n", "\nGOARCH=wasm\n", "\nCGO_ENABLED=0\n", "\nGOTOOLCHAIN=local\n", "\nGOPROXY=off\n"} {
		if !bytes.Contains(append([]byte("\n"), env...), []byte(want)) {
			t.Errorf("environment lacks %q", strings.TrimSpace(want))
		}
	}
	for _, bad := range []string{"GOOS=plan9", "GOARCH=386", limitEnv} {
		if bytes.Contains(env, []byte(bad)) {
			t.Errorf("environment has %s", bad)
		}
	}
	if !strings.HasPrefix(string(args), "build -trimpath -buildvcs=false -ldflags=-s -w -o ") || !strings.HasSuffix(string(args), " ./cmd/hi\n") {
		t.Errorf("args %q", args)
	}
}

func TestPathsOutsideRefused(t *testing.T) {
	fake := gowasmtest.New(t, gowasmtest.WriteWasm)
	b := New(Options{Root: newModule(t), GoCmd: fake.Cmd})
	for _, j := range []Job{
		{Package: "../x"}, {Package: "/etc"}, {Package: ""},
		{Package: "cmd/hi", Files: map[string][]byte{"../evil.go": nil}},
		{Package: "cmd/hi", Files: map[string][]byte{"cmd/./hi/x.go": nil}},
	} {
		if _, err := b.Build(context.Background(), j); err == nil {
			t.Errorf("%+v built", j)
		}
	}
	if n := fake.Calls(t); n != 0 {
		t.Errorf("go ran %d times", n)
	}
}

func TestParseDiagnostics(t *testing.T) {
	root := "/repo"
	out := "# tmpmod/cmd/hi\n" +
		"./cmd/hi/main.go:4:2: declared and not used: x\n" +
		"/repo/lib/lib.go:9:14: cannot use y (variable of type int) as string value\n" +
		"\thave int\n" +
		"\twant string\n" +
		"wasm/_bundle/x/main.go:12: no column\n" +
		"/elsewhere/z.go:1:1: outside\n" +
		"go: finding module for package github.com/x/y\n" +
		"\n" +
		"fatal error: something broke\n" +
		"\n" +
		"goroutine 1 [running]:\n" +
		"cmd/compile/internal/x.f(...)\n" +
		"\t/usr/local/go/src/cmd/compile/internal/x/x.go:10 +0x1\n"
	got := parseDiagnostics(out, root)
	want := diag.List{
		{Path: "cmd/hi/main.go", Line: 4, Col: 2, Msg: "declared and not used: x"},
		{Path: "lib/lib.go", Line: 9, Col: 14, Msg: "cannot use y (variable of type int) as string value\n\thave int\n\twant string"},
		{Path: "wasm/_bundle/x/main.go", Line: 12, Msg: "no column"},
		{Path: "/elsewhere/z.go", Line: 1, Col: 1, Msg: "outside"},
		{Msg: "go: finding module for package github.com/x/y"},
		{Msg: "fatal error: something broke"},
	}
	if len(got) != len(want) {
		t.Fatalf("got\n%v\nwant\n%v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %#v, want %#v", i, got[i], want[i])
		}
	}
	if !positioned(got) || positioned(got[4:]) {
		t.Error("positioned")
	}
}

func TestOverlayFilesNamedByTheirBuildPath(t *testing.T) {
	// The fake reports an error in the file holding the overlaid content, as the compiler does.
	fake := gowasmtest.New(t, `f=$(sed 's/.*"Replace":{"[^"]*":"\([^"]*\)".*/\1/' "$overlay"); echo "# x"; echo "$f:3:5: undefined: nope"; echo "./$(basename "$f"):1:1: short"; exit 1`)
	b := New(Options{Root: newModule(t), GoCmd: fake.Cmd})
	_, err := b.Build(context.Background(), Job{Package: "virtual", Files: map[string][]byte{"virtual/main.go": []byte("package main\n")}})
	var list diag.List
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("error %v", err)
	}
	if got := list[0].Error(); got != "virtual/main.go:3:5: undefined: nope" {
		t.Errorf("got %q", got)
	}
	if strings.Contains(err.Error(), os.TempDir()) || strings.Contains(err.Error(), "gowasm-") {
		t.Errorf("a temporary path leaked: %v", err)
	}
}

func TestFailuresRemembered(t *testing.T) {
	fake := gowasmtest.New(t, `echo "./cmd/hi/main.go:1:1: broken"; exit 1`)
	b := New(Options{Root: newModule(t), GoCmd: fake.Cmd})
	for range 2 {
		_, err := b.Package(context.Background(), "cmd/hi")
		var list diag.List
		if !errors.As(err, &list) || list[0].Path != "cmd/hi/main.go" {
			t.Fatalf("error %v", err)
		}
	}
	if n := fake.Calls(t); n != 1 {
		t.Errorf("a compile error of unchanged inputs ran go %d times, want 1", n)
	}
	// Without a position the failure may be the machine's (a module not downloaded): not remembered.
	fake = gowasmtest.New(t, `echo "go: cannot reach the proxy"; exit 1`)
	b = New(Options{Root: newModule(t), GoCmd: fake.Cmd})
	for range 2 {
		if _, err := b.Package(context.Background(), "cmd/hi"); err == nil || !strings.Contains(err.Error(), "cannot reach") {
			t.Fatalf("error %v", err)
		}
	}
	if n := fake.Calls(t); n != 2 {
		t.Errorf("go ran %d times, want 2", n)
	}
}

// blockingFake builds once release exists, after writing started.
func blockingFake(t *testing.T) (fake *gowasmtest.Fake, started, release string) {
	dir := t.TempDir()
	started, release = filepath.Join(dir, "started"), filepath.Join(dir, "release")
	fake = gowasmtest.New(t, `touch `+started+`; while [ ! -e `+release+` ]; do sleep 0.01; done; `+gowasmtest.WriteWasm)
	return fake, started, release
}

func TestSingleflight(t *testing.T) {
	fake, started, release := blockingFake(t)
	b := New(Options{Root: newModule(t), GoCmd: fake.Cmd})
	var wg sync.WaitGroup
	outs := make([][]byte, 4)
	errs := make([]error, 4)
	for i := range outs {
		wg.Go(func() { outs[i], errs[i] = b.Package(context.Background(), "cmd/hi") })
	}
	waitFor(t, "the build to start", func() bool { return exists(started) })
	os.WriteFile(release, nil, 0o644)
	wg.Wait()
	for i := range outs {
		if errs[i] != nil || !bytes.Equal(outs[i], outs[0]) {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
	}
	if n := fake.Calls(t); n != 1 {
		t.Fatalf("4 concurrent builds of one package ran go %d times, want 1", n)
	}
}

func TestCancelledCallerDoesNotFailOthers(t *testing.T) {
	fake, started, release := blockingFake(t)
	b := New(Options{Root: newModule(t), GoCmd: fake.Cmd})
	ctx, cancel := context.WithCancel(context.Background())
	leader := make(chan error, 1)
	go func() { _, err := b.Package(ctx, "cmd/hi"); leader <- err }()
	waitFor(t, "the build to start", func() bool { return exists(started) })
	follower := make(chan error, 1)
	go func() { _, err := b.Package(context.Background(), "cmd/hi"); follower <- err }()
	cancel()
	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled caller got %v", err)
	}
	os.WriteFile(release, nil, 0o644)
	if err := <-follower; err != nil {
		t.Fatalf("the caller still waiting got %v, want the module", err)
	}
	if n := fake.Calls(t); n != 1 {
		t.Fatalf("go ran %d times, want 1 (the follower joins the build)", n)
	}
}

func TestBusy(t *testing.T) {
	fake, started, release := blockingFake(t)
	root := newModule(t)
	b := New(Options{Root: root, GoCmd: fake.Cmd, MaxBuilds: 1, FailWhenBusy: true})
	first := make(chan error, 2)
	go func() { _, err := b.Package(context.Background(), "cmd/hi"); first <- err }()
	waitFor(t, "the build to start", func() bool { return exists(started) })
	// The same inputs join the running build rather than count as another.
	go func() { _, err := b.Package(context.Background(), "cmd/hi"); first <- err }()
	other := Job{Package: "cmd/hi", Files: map[string][]byte{"cmd/hi/x.go": []byte("package main\n")}}
	if _, err := b.Build(context.Background(), other); !errors.Is(err, ErrBusy) {
		t.Fatalf("a second build: %v, want ErrBusy", err)
	}
	os.WriteFile(release, nil, 0o644)
	for range 2 {
		if err := <-first; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Build(context.Background(), other); err != nil {
		t.Fatalf("after the first: %v", err)
	}
}

func TestTimeoutKillsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// The slow "build" has a child, as go has compile and link: both must die.
	fake := gowasmtest.New(t, `sleep 60 & echo $! > `+pidFile+`; wait`)
	// On a loaded machine the fake's shell may not have started its child within the first
	// timeout; the deadline doubles until a build had a child to kill (no wall-clock guess).
	var (
		b   *Builder
		pid []byte
		te  *TimeoutError
	)
	root := newModule(t)
	for timeout := 200 * time.Millisecond; ; timeout *= 2 {
		b = New(Options{Root: root, GoCmd: fake.Cmd, Timeout: timeout})
		_, err := b.Package(context.Background(), "cmd/hi")
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "longer than "+timeout.String()) {
			t.Fatalf("error %v, want a TimeoutError", err)
		}
		if pid, err = os.ReadFile(pidFile); err == nil {
			break
		}
		if timeout > 30*time.Second {
			t.Fatalf("the fake build never started its child: %v", err)
		}
	}
	proc := "/proc/" + strings.TrimSpace(string(pid))
	waitFor(t, "the build's child "+proc+" to die", func() bool {
		stat, err := os.ReadFile(proc + "/stat")
		return err != nil || bytes.Contains(stat, []byte(") Z ")) // gone, or a zombie waiting for init
	})
	// A timeout is not remembered: the next build tries again.
	before := fake.Calls(t)
	if _, err := b.Package(context.Background(), "cmd/hi"); !errors.As(err, &te) || fake.Calls(t) != before+1 {
		t.Fatalf("next build: %v, %d calls after %d", err, fake.Calls(t), before)
	}
}

func TestMemoryLimitReachesChildren(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the memory cap is Linux's RLIMIT_DATA")
	}
	dir := t.TempDir()
	// cat is a child of the fake, as compile is of go.
	fake := gowasmtest.New(t, `cat /proc/self/limits > `+dir+`/limits; `+gowasmtest.WriteWasm)
	root := newModule(t)
	for _, tc := range []struct {
		limit int64
		want  string
	}{{64 << 20, "67108864"}, {-1, "unlimited"}} {
		b := New(Options{Root: root, GoCmd: fake.Cmd, MemoryLimit: tc.limit, CacheEntries: 1})
		if _, err := b.Build(context.Background(), Job{Package: "cmd/hi", Files: map[string][]byte{"cmd/hi/x.go": []byte(tc.want)}}); err != nil {
			t.Fatal(err)
		}
		limits, _ := os.ReadFile(filepath.Join(dir, "limits"))
		var line string
		for l := range strings.Lines(string(limits)) {
			if strings.HasPrefix(l, "Max data size") {
				line = l
			}
		}
		if f := strings.Fields(line); len(f) < 5 || f[3] != tc.want || f[4] != tc.want {
			t.Errorf("limit %d: %q, want soft and hard %s", tc.limit, line, tc.want)
		}
	}
}

func TestMemoryLimitStopsAnAllocator(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the memory cap is Linux's RLIMIT_DATA")
	}
	// A real Go program (built natively, not for js/wasm) that allocates without end stands in
	// for the compiler of a program that doubles a string constant thirty times.
	alloc := filepath.Join(t.TempDir(), "alloc")
	if out, err := exec.Command("go", "build", "-o", alloc, "./testdata/alloc").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	fake := gowasmtest.New(t, `echo "# tmpmod/cmd/hi"; exec `+alloc)
	b := New(Options{Root: newModule(t), GoCmd: fake.Cmd, MemoryLimit: 128 << 20})
	_, err := b.Package(context.Background(), "cmd/hi")
	var me *MemoryError
	if !errors.As(err, &me) || err.Error() != "the compiler ran out of its 128 MB" {
		t.Fatalf("error %v, want a MemoryError of 128 MB", err)
	}
	// Remembered: the same inputs fail the same way, without running go again.
	if _, err := b.Package(context.Background(), "cmd/hi"); !errors.As(err, &me) || fake.Calls(t) != 1 {
		t.Fatalf("again: %v, %d calls", err, fake.Calls(t))
	}
}

func TestOverlayFileWritten(t *testing.T) {
	dir := t.TempDir()
	fake := gowasmtest.New(t, `cp "$overlay" `+dir+`/overlay.json; f=$(sed 's/.*"Replace":{"[^"]*":"\([^"]*\)".*/\1/' "$overlay"); cp "$f" `+dir+`/content; `+gowasmtest.WriteWasm)
	root := newModule(t)
	b := New(Options{Root: root, GoCmd: fake.Cmd})
	if _, err := b.Build(context.Background(), Job{Package: "v", Files: map[string][]byte{"v/main.go": []byte("package main // v\n")}}); err != nil {
		t.Fatal(err)
	}
	var ov struct{ Replace map[string]string }
	data, _ := os.ReadFile(filepath.Join(dir, "overlay.json"))
	if err := json.Unmarshal(data, &ov); err != nil {
		t.Fatal(err)
	}
	if _, ok := ov.Replace[filepath.Join(root, "v", "main.go")]; !ok || len(ov.Replace) != 1 {
		t.Errorf("overlay %s", data)
	}
	if content, _ := os.ReadFile(filepath.Join(dir, "content")); string(content) != "package main // v\n" {
		t.Errorf("content %q", content)
	}
}

func TestWasmExecJS(t *testing.T) {
	b, err := WasmExecJS()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("globalThis.Go = class")) {
		t.Errorf("not wasm_exec.js (%d bytes)", len(b))
	}
	tc, err := FindToolchain("")
	if err != nil || tc.Version != runtime.Version() {
		t.Errorf("toolchain %+v, %v; this test runs under %s", tc, err, runtime.Version())
	}
}

// The toolchain that builds the site has the runtime shape overlay/tracetimers.go.txt reads:
// otherwise every build gets the stub, and a traced program that deadlocks runs to the time
// limit again (internal/wasmtrace's timed test shows it).
func TestTraceTimersFitTheToolchain(t *testing.T) {
	tc, err := FindToolchain("")
	if err != nil {
		t.Fatal(err)
	}
	path, content := traceTimers(tc)
	if !bytes.Equal(content, traceTimersFile) {
		t.Fatalf("the runtime in %s lacks what overlay/tracetimers.go.txt reads: update it (and traceTimersShape) for %s", tc.GOROOT, tc.Version)
	}
	if filepath.Dir(path) != filepath.Join(tc.GOROOT, "src", "runtime") {
		t.Errorf("path %s", path)
	}
}
