// Package tracefile gives every example program a -trace FILE flag when it runs natively, so the
// run the learner just made can be opened with the Go toolchain's own viewer:
//
//	go run ./wasm/sleep/concurrent -tasks 1000 -trace sleep.trace
//	go tool trace sleep.trace
//
// The program's code does not change: each example has a trace.go (//go:build !js, so the
// browser bundle leaves it out; there the bundle's wrapper records the trace instead) whose
// init calls Main(main). Without -trace, Main returns at once and the program runs as usual;
// with it, Main runs the program inside init, between trace.Start and trace.Stop, and exits.
package tracefile

import (
	"flag"
	"fmt"
	"os"
	"runtime/trace"
	"strings"
)

// -trace is registered on the program's own flag set, so its flag.Parse accepts it and its
// -help lists it. Its value is never read from there: Main runs in init, before flag.Parse, and
// reads os.Args itself (Arg).
func init() {
	flag.String("trace", "", "write this run's execution trace to `FILE` (open it with: go tool trace FILE)")
}

// Main runs main with the runtime tracer writing to the -trace file and exits when main
// returns; without -trace it returns at once. Call it from init, before the flags are parsed:
// it reads -trace from os.Args itself, as the flag package will.
func Main(main func()) {
	name := Arg(os.Args[1:])
	if name == "" {
		return
	}
	f, err := os.Create(name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "-trace:", err)
		os.Exit(2)
	}
	if err := trace.Start(f); err != nil {
		fmt.Fprintln(os.Stderr, "-trace:", err)
		os.Exit(2)
	}
	// deferred, so a panicking program still leaves its trace
	defer func() {
		trace.Stop()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "-trace:", err)
		}
	}()
	main()
	trace.Stop()
	f.Close()
	os.Exit(0)
}

// Arg is the value of -trace in args as package flag reads them (-trace FILE, -trace=FILE,
// two dashes too; flags end at "--" or the first argument that is not one), or "".
func Arg(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			return ""
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if v, ok := strings.CutPrefix(name, "trace="); ok {
			return v
		}
		if name == "trace" {
			if i+1 < len(args) {
				return args[i+1]
			}
			return ""
		}
		// A flag of the program's: skip its value when it is the next argument. The program
		// defines its flags in main, after this runs, so an unknown flag is taken to have a
		// value unless the next argument is a flag too (the examples have no positional
		// arguments); a known boolean one keeps its value in the same argument (-v=false).
		if !strings.Contains(name, "=") && i+1 < len(args) {
			fl := flag.Lookup(name)
			if fl != nil && !isBool(fl) || fl == nil && !strings.HasPrefix(args[i+1], "-") {
				i++
			}
		}
	}
	return ""
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
