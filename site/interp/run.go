// Command interp is the workbook's Go interpreter for static hosting: built to js/wasm, it runs a
// learner's edited program when no compile endpoint is available. It is yaegi
// (github.com/traefik/yaegi) with a limited symbol table (./symbols): the standard library packages
// the examples use and golang.org/x/sync. Timings are an interpreter's, slower than compiled Go.
//
// Under js/wasm the program's source is globalThis.__unblockedSource (set by the worker) and the
// program's flags are the module's arguments. Natively (for tests and curiosity):
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
	"regexp"
	"strings"

	"github.com/traefik/yaegi/interp"

	"unblocked/site/interp/symbols"
)

type exitCode int

// directExit makes the program's os.Exit end the process at once (js/wasm: the module is the
// program); otherwise Run returns the code (tests, where the process is the test binary).
var directExit = false

// Run interprets src (package main) with args (the flags, without the program name).
func Run(ctx context.Context, src string, args []string, stdout, stderr io.Writer) (code int) {
	// The interpreted program's flag calls reach the real flag package: give it a fresh
	// command line with these arguments.
	os.Args = append([]string{"main"}, args...)
	flag.CommandLine = flag.NewFlagSet("main", flag.PanicOnError)
	flag.CommandLine.SetOutput(stderr)
	errw := &stderrWriter{w: stderr}
	defer errw.flush()
	prevExit := symbols.Exit
	defer func() { symbols.Exit = prevExit }()
	symbols.Exit = func(c int) { panic(exitCode(c)) }
	if directExit {
		symbols.Exit = func(c int) { errw.flush(); os.Exit(c) }
	}

	i := interp.New(interp.Options{
		Args:   os.Args,
		Stdout: stdout,
		Stderr: errw,
		Env:    []string{},
	})
	if err := i.Use(symbols.Symbols); err != nil {
		fmt.Fprintln(stderr, "interpreter:", err)
		return 1
	}
	defer func() {
		// os.Exit in a goroutine other than main's panics out of it; anything else is a real panic.
		if r := recover(); r != nil {
			if c, ok := r.(exitCode); ok {
				code = int(c)
				return
			}
			panic(r)
		}
	}()
	_, err := i.EvalWithContext(ctx, Rewrite(src))
	if err == nil {
		return 0
	}
	var p interp.Panic
	if errors.As(err, &p) {
		if c, ok := p.Value.(exitCode); ok {
			return int(c)
		}
		if msg, ok := p.Value.(string); ok && errw.loggedThenPanicked(msg) {
			return 1 // log.Fatal (yaegi turns it into log.Panic): the message is out already
		}
		errw.flush()
		fmt.Fprintf(stderr, "panic: %v\n", p.Value)
		return 2
	}
	for _, msg := range Diagnostics(err) {
		fmt.Fprintln(stderr, msg)
	}
	return 1
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

// stderrWriter passes the program's stderr through, holding back yaegi's "line:col: panic: …"
// trace line so that a log.Fatal (which yaegi implements as log.Panic) can end quietly with exit 1.
type stderrWriter struct {
	w        io.Writer
	last     string // last line passed through
	held     []byte
	heldLast string
}

var panicTrace = regexp.MustCompile(`^\d+:\d+: panic: `)

func (s *stderrWriter) Write(p []byte) (int, error) {
	if panicTrace.Match(p) {
		if s.held == nil {
			s.heldLast = s.last
		}
		s.held = append(s.held, p...)
		return len(p), nil
	}
	s.flush()
	if t := strings.TrimRight(string(p), "\n"); t != "" {
		s.last = t
	}
	return s.w.Write(p)
}

func (s *stderrWriter) flush() {
	if s.held != nil {
		s.w.Write(s.held)
		s.held = nil
	}
}

func (s *stderrWriter) loggedThenPanicked(msg string) bool {
	if s.held == nil || !strings.HasSuffix(s.heldLast, strings.TrimRight(msg, "\n")) {
		return false
	}
	s.held = nil
	return true
}
