package assets

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The adapter to wasm_exec.js (js/wasmexec.js) relies on internals of the wasm_exec.js of the Go
// that compiles the programs: this test reads which ones from the adapter and checks each against
// that Go's wasm_exec.js (and the runtime side of the deadlock event), and that go.mod still asks
// for the Go the adapter was reviewed against. When Go changes them, this fails naming the
// version, before a learner's deadlocked program hangs.
func TestWasmExecAdapterMatchesGo(t *testing.T) {
	adapter := readFile(t, "js/wasmexec.js")
	goroot, version := goEnv(t)
	wasmExec := readFile(t, filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	jsFunc := readFile(t, filepath.Join(goroot, "src", "syscall", "js", "func.go"))

	// the Go go.mod asks for, and the one the adapter says it was reviewed against
	gomod := readFile(t, "../../go.mod")
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	want := "go" + m[1]
	r := regexp.MustCompile(`Reviewed against wasm_exec.js of: (go\d+\.\d+)`).FindStringSubmatch(adapter)
	if r == nil {
		t.Fatal(`js/wasmexec.js lacks its "Reviewed against wasm_exec.js of: goX.Y" line`)
	}
	if r[1] != want {
		t.Errorf("go.mod asks for %s, but js/wasmexec.js was reviewed against %s's wasm_exec.js: check the internals it lists against "+
			"$(go env GOROOT)/lib/wasm/wasm_exec.js of %s, then update its \"Reviewed against\" line", want, r[1], want)
	}

	// the internals it declares, and the ones its code uses: the list must be complete
	declared := map[string]bool{}
	for _, d := range regexp.MustCompile(`(?m)^//\s+internal: go\.(\w+)`).FindAllStringSubmatch(adapter, -1) {
		declared[d[1]] = true
	}
	code := stripLineComments(adapter)
	for _, u := range regexp.MustCompile(`\bgo\.(_\w+|exited)\b`).FindAllStringSubmatch(code, -1) {
		if !declared[u[1]] {
			t.Errorf("js/wasmexec.js uses go.%s without listing it as an internal in its header", u[1])
		}
	}
	if len(declared) == 0 {
		t.Fatal("js/wasmexec.js lists no internals")
	}

	// what each internal must be in wasm_exec.js for the adapter to work
	shapes := map[string][]string{
		"_resume":            {`_resume() {`, `this._resume();`},                                       // a method wasm_exec.js calls through this
		"_scheduledTimeouts": {`this._scheduledTimeouts = new Map();`, `this._scheduledTimeouts.set(`}, // Go's timers, a Map
		"_pendingEvent":      {`this._pendingEvent = null;`, `go._pendingEvent = event;`},              // the event Go reads when resumed
		"exited":             {`this.exited = true;`},
	}
	for name := range declared {
		s, ok := shapes[name]
		if !ok {
			t.Errorf("js/wasmexec.js lists go.%s, which this test does not know how to check: add its shape here", name)
			continue
		}
		for _, want := range s {
			if !strings.Contains(wasmExec, want) {
				t.Errorf("wasm_exec.js of %s no longer has %q (go.%s, used by js/wasmexec.js): review the adapter", version, want, name)
			}
		}
	}
	// the public surface it uses, and the runtime's answer to the "id 0" event
	for _, want := range []string{`globalThis.Go = class {`, `if (!globalThis.fs) {`, `writeSync(fd, buf) {`,
		`write(fd, buf, offset, length, position, callback) {`, `this.importObject = {`, `async run(instance) {`,
		`this.exit(code);`, `this.argv = ["js"];`, `this.env = {};`,
		// Go's clock (newProgram's clock, which places a run's trace on its time axis)
		`const timeOrigin = Date.now() - performance.now();`, `setInt64(sp + 8, (timeOrigin + performance.now()) * 1000000);`} {
		if !strings.Contains(wasmExec, want) {
			t.Errorf("wasm_exec.js of %s no longer has %q: review js/wasmexec.js", version, want)
		}
	}
	if !strings.Contains(jsFunc, `jsGo.Get("_pendingEvent")`) || !strings.Contains(jsFunc, "if id == 0 { // zero indicates deadlock") {
		t.Errorf("syscall/js of %s no longer treats event id 0 as a deadlock: the adapter's deadlock detection needs another way", version)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// goEnv returns GOROOT and the version of the go command that builds the site.
func goEnv(t *testing.T) (goroot, version string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		t.Fatalf("go env GOROOT GOVERSION: %q", out)
	}
	return f[0], f[1]
}

func stripLineComments(src string) string {
	var b strings.Builder
	for _, l := range strings.Split(src, "\n") {
		if i := strings.Index(l, "//"); i >= 0 && !strings.Contains(l[:i], `"`) {
			l = l[:i]
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}
