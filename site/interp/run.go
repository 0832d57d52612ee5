// Command interp is the workbook's Go interpreter for static hosting: built to js/wasm, it runs a
// learner's edited program when no compile endpoint is available. It is yaegi
// (github.com/traefik/yaegi) with a limited symbol table (./symbols): the standard library packages
// the examples use and golang.org/x/sync. Timings are an interpreter's, slower than compiled Go.
//
// Before interpreting, the program is type-checked with go/types against the same symbols, so its
// errors read as the Go compiler's ("6:2: declared and not used: x"). It then runs as Go would in
// the ways the lessons depend on: when main returns the program ends (goroutines still running say
// nothing more), min, max and clear work, and a panic's trace names the program's own lines, not
// the interpreter's (docs/arch/interp.md).
//
// Under js/wasm the program's source is globalThis.__unblockedSource (set by the worker) and the
// program's flags are the module's arguments; with UNBLOCKED_MODE=format in the environment the
// source is instead formatted as gofmt does and written to stdout. Natively (for tests and
// curiosity):
//
//	go run ./site/interp prog.go -tasks 3
//
// Exit status: the program's own (os.Exit), 0 after main returns, 1 for a program that does not
// compile (messages "line:col: message" on stderr), 2 for a panic.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/scanner"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/traefik/yaegi/interp"

	"unblocked/site/interp/symbols"
)

// directExit makes the program's os.Exit end the process at once (js/wasm: the module is the
// program); otherwise Run returns the code (tests, where the process is the test binary). Then
// the interpreted main also runs on Run's own goroutine (see runHere).
var directExit = false

// traceStart and traceStop start and stop the run's execution trace around the interpreted main
// (traceStop also before an os.Exit or a goroutine's panic ends the program): under js/wasm
// internal/wasmtrace's (trace_js.go), elsewhere nothing. docs/arch/scheduler.md, "Recording".
var traceStart, traceStop = func() {}, func() {}

// hookPath is the package Rewrite imports into the program to tell Run that main returned and
// that a goroutine panicked (see hooks).
const hookPath = "unblocked/run"

// Run interprets src (package main) with args (the flags, without the program name).
func Run(ctx context.Context, src string, args []string, stdout, stderr io.Writer) (code int) {
	c, errs := check(src)
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(stderr, e)
		}
		return 1
	}

	// The interpreted program's flag calls reach the real flag package: give it a fresh
	// command line with these arguments.
	os.Args = append([]string{"main"}, args...)
	flag.CommandLine = flag.NewFlagSet("main", flag.PanicOnError)
	flag.CommandLine.SetOutput(stderr)

	// ended closes the program's output: after main returned or os.Exit, as in Go, nothing a
	// goroutine still does is seen.
	var ended atomic.Bool
	errw := &stderrWriter{w: stderr, ended: &ended}
	out := &gate{w: stdout, ended: &ended, wrote: errw.forget}

	// exits carries the first os.Exit (or fatal goroutine panic) to Run; the goroutine that
	// called it stops there, as the program would.
	exits := make(chan int, 1)
	exit := func(c int) {
		ended.Store(true)
		if directExit {
			traceStop()
			os.Exit(c)
		}
		select {
		case exits <- c:
		default:
		}
		select {} // this goroutine ends with the program
	}
	prevExit := symbols.Exit
	defer func() { symbols.Exit = prevExit }()
	symbols.Exit = exit

	i := interp.New(interp.Options{
		Args:   os.Args,
		Stdout: out,
		Stderr: errw,
		Env:    []string{},
	})
	if err := i.Use(symbols.Symbols); err != nil {
		fmt.Fprintln(stderr, "interpreter:", err)
		return 1
	}
	hooks := map[string]reflect.Value{
		// MainReturned is deferred first in main: it runs after the program's own deferred calls.
		"MainReturned": reflect.ValueOf(func() { ended.Store(true) }),
		// Crash is what a goroutine's panic comes to (recovered at the top of the goroutine).
		"Crash": reflect.ValueOf(func(r any) {
			if msg, ok := r.(string); ok && errw.loggedThenPanicked(msg) {
				exit(1) // log.Fatal in a goroutine
			}
			frames := errw.takeHeld()
			ended.Store(true)
			fmt.Fprint(stderr, panicText(r, goroutineID(), frames))
			exit(2)
		}),
	}
	if err := i.Use(interp.Exports{hookPath + "/run": hooks}); err != nil {
		fmt.Fprintln(stderr, "interpreter:", err)
		return 1
	}

	var err error
	if directExit {
		err = runHere(i, rewrite(c, src))
	} else {
		done := make(chan error, 1)
		go func() {
			_, err := i.EvalWithContext(ctx, rewrite(c, src))
			done <- err
		}()
		select {
		case code := <-exits:
			return code
		case err = <-done:
		}
	}
	ended.Store(true)
	if err == nil {
		return 0
	}
	var p interp.Panic
	if errors.As(err, &p) {
		if msg, ok := p.Value.(string); ok && errw.loggedThenPanicked(msg) {
			return 1 // log.Fatal (yaegi turns it into log.Panic): the message is out already
		}
		fmt.Fprint(stderr, panicText(p.Value, 1, errw.takeHeld()))
		return 2
	}
	for _, msg := range Diagnostics(err) {
		fmt.Fprintln(stderr, msg)
	}
	return 1
}

// runHere compiles src and runs its main on this goroutine, the trace recorded around the run
// alone (not the check and compile before it). Under js/wasm Run's goroutine is goroutine 1,
// so the interpreted main is goroutine 1 as a compiled program's is, and the program's go
// statements are the only other goroutines: the scheduler view counts what the program ran.
// (EvalWithContext would run main on a goroutine of its own and make channel operations selects
// on its cancellation; nothing cancels a run in the browser but terminating the worker.)
func runHere(i *interp.Interpreter, src string) error {
	prog, err := i.Compile(src)
	if err != nil {
		return err
	}
	traceStart()
	_, err = i.Execute(prog) // a panic in main comes back as an interp.Panic
	return err
}

// panicText is Go's report of an unrecovered panic, with the interpreted program's functions
// (from yaegi's "line:col: panic: main.f(...)" lines, innermost first) in place of the
// interpreter's frames. yaegi's positions there are where each function's code began, not the
// line it was at, so they are left out rather than shown wrong.
func panicText(v any, goroutine int, frames []string) string {
	var b strings.Builder
	msg := fmt.Sprint(v)
	if err, ok := v.(error); ok {
		msg = err.Error()
	}
	fmt.Fprintf(&b, "panic: %s\n\ngoroutine %d [running]:\n", msg, goroutine)
	for _, f := range frames {
		if m := frameLine.FindStringSubmatch(f); m != nil {
			fmt.Fprintf(&b, "%s\n", m[1])
		}
	}
	return b.String()
}

var frameLine = regexp.MustCompile(`^\d+:\d+: panic: (.*)$`)

// goroutineID is the running goroutine's number, as Go's traces give it.
func goroutineID() int {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	var id int
	fmt.Sscanf(string(buf[:n]), "goroutine %d ", &id)
	return id
}

// position prefixes yaegi uses: "_.go:3:5: ", "3:5: ", "/path/_.go:3:5: ".
var posPrefix = regexp.MustCompile(`^(?:[^:\s]*\.go:)?(\d+):(\d+): `)

// Diagnostics turns an evaluation error into "line:col: message" lines.
func Diagnostics(err error) []string {
	var list scanner.ErrorList
	if errors.As(err, &list) {
		var out []string
		for _, e := range list {
			out = append(out, fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Msg))
		}
		return out
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
		if m := posPrefix.FindStringSubmatchIndex(line); m != nil {
			line = line[m[2]:m[3]] + ":" + line[m[4]:m[5]] + ": " + line[m[1]:]
		}
		out = append(out, line)
	}
	return out
}

// gate passes writes through until the program has ended, then drops them.
type gate struct {
	w     io.Writer
	ended *atomic.Bool
	wrote func()
}

func (g *gate) Write(p []byte) (int, error) {
	if g.ended.Load() {
		return len(p), nil
	}
	g.wrote()
	return g.w.Write(p)
}

// stderrWriter passes the program's stderr through (until the program has ended), holding back
// yaegi's "line:col: panic: …" lines: they are the frames of a panic's trace (panicText), and a
// log.Fatal (which yaegi implements as log.Panic) ends quietly with exit 1. Goroutines of the
// program write at once: a mutex guards it.
type stderrWriter struct {
	mu       sync.Mutex
	w        io.Writer
	ended    *atomic.Bool
	last     string // last line passed through
	held     []string
	heldLast string
}

var panicTrace = regexp.MustCompile(`^\d+:\d+: panic: `)

func (s *stderrWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if panicTrace.Match(p) {
		if s.held == nil {
			s.heldLast = s.last
		}
		for line := range strings.Lines(string(p)) {
			s.held = append(s.held, strings.TrimRight(line, "\n"))
		}
		return len(p), nil
	}
	if s.ended.Load() {
		return len(p), nil
	}
	s.held = nil // frames of a recovered panic: Go shows nothing of it
	if t := strings.TrimRight(string(p), "\n"); t != "" {
		s.last = t
	}
	return s.w.Write(p)
}

// forget drops held frames when the program writes on: they were a recovered panic's, of which
// Go shows nothing.
func (s *stderrWriter) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = nil
}

// takeHeld returns and forgets the held frames.
func (s *stderrWriter) takeHeld() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.held
	s.held = nil
	return h
}

func (s *stderrWriter) loggedThenPanicked(msg string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	last := s.last
	if s.held != nil {
		last = s.heldLast
	}
	if last == "" || !strings.HasSuffix(last, strings.TrimRight(msg, "\n")) {
		return false
	}
	s.held = nil
	return true
}
