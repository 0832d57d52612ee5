// Command bench measures the workbook against its performance budget and
// writes docs/bench.md: build and rebuild times, serve's save-to-reload
// latency, bytes over the wire, click-to-first-output in Chromium, and how
// close 100 to 10,000 concurrent 1 s tasks come to one second, in the
// browser and natively. Numbers are measured on this machine, every run.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"unblocked/internal/chromium"
)

func main() {
	out := flag.String("o", "docs/bench.md", "where to write the report")
	root := flag.String("root", ".", "repository root")
	quick := flag.Bool("quick", false, "fewer repetitions and no 10,000-task runs (for trying the tool)")
	only := flag.String("only", "", "comma-separated steps to run (build, bytes, browser, native, classroom, python, sched; pyprofile: a cold Run Python's phases, pyfidelity: more samples of its asyncio fidelity; fidparts: the sleep example's fidelity split into page, tracer and printing; these three only when named) and print their figures; docs/bench.md is not written")
	flag.Parse()
	r, err := run(*root, *quick, *only)
	if r != nil && *only != "" {
		fmt.Print(r.summary())
		for _, f := range r.figures {
			fmt.Printf("- %s: %s\n", f.name, f.note)
		}
	} else if r != nil {
		report := r.markdown()
		fmt.Print(r.summary())
		if werr := os.WriteFile(*out, []byte(report), 0o644); werr != nil && err == nil {
			err = werr
		}
		fmt.Printf("wrote %s\n", *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type figure struct {
	name, value, target, verdict, note string
}

type results struct {
	figures []figure
	details []string // extra tables (markdown)
	machine string
	started time.Time
	took    time.Duration
}

func (r *results) add(name, value, target string, ok bool, note string) {
	verdict := "—"
	if target != "" {
		verdict = map[bool]string{true: "✅ within", false: "❌ over"}[ok]
	}
	r.figures = append(r.figures, figure{name, value, target, verdict, note})
	fmt.Fprintf(os.Stderr, "  %-55s %s\n", name, value)
}

// onlyNamed are the steps run only when -only names them (diagnostics, not budgets).
var onlyNamed = map[string]bool{"pyprofile": true, "pyfidelity": true, "fidparts": true}

func run(root string, quick bool, only string) (*results, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	r := &results{started: time.Now(), machine: machine()}
	defer func() { r.took = time.Since(r.started) }()
	reps := 5
	if quick {
		reps = 2
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"build", func() error { return benchBuild(r, root, reps) }},
		{"bytes", func() error { return benchBytes(r, root) }},
		{"browser", func() error { return benchBrowser(r, root, reps, quick) }},
		{"native", func() error { return benchNative(r, root, quick) }},
		{"classroom", func() error { return benchClassroom(r, root) }},
		{"python", func() error { return benchPython(r, root, reps) }},
		{"sched", func() error { return benchSched(r, root, 3) }},
		{"pyprofile", func() error { return benchPyProfile(r, root, reps) }},   // only with -only
		{"pyfidelity", func() error { return benchPyFidelity(r, root, reps) }}, // only with -only
		{"fidparts", func() error { return benchFidParts(r, root, reps) }},     // only with -only
	}
	for _, s := range steps {
		if (only != "" || onlyNamed[s.name]) && !slices.Contains(strings.Split(only, ","), s.name) {
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: %s\n", s.name)
		if err := s.fn(); err != nil {
			return r, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return r, nil
}

func (r *results) summary() string {
	var b strings.Builder
	for _, f := range r.figures {
		fmt.Fprintf(&b, "%-58s %-22s %-14s %s\n", f.name, f.value, f.target, f.verdict)
	}
	return b.String()
}

func (r *results) markdown() string {
	var b strings.Builder
	b.WriteString("# Performance\n\n")
	b.WriteString("Measured by `make bench` (`go run ./cmd/bench -o docs/bench.md`), which rewrites this file. ")
	fmt.Fprintf(&b, "Last run %s, took %v.\n\n", r.started.UTC().Format("2006-01-02 15:04 MST"), r.took.Round(time.Second))
	fmt.Fprintf(&b, "Machine: %s\n\n", r.machine)
	b.WriteString("| figure | measured | target | |\n|---|---|---|---|\n")
	for _, f := range r.figures {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f.name, f.value, f.target, f.verdict)
	}
	b.WriteString("\n")
	for _, f := range r.figures {
		if f.note != "" {
			fmt.Fprintf(&b, "- **%s**: %s\n", f.name, f.note)
		}
	}
	for _, d := range r.details {
		b.WriteString("\n" + d + "\n")
	}
	b.WriteString(analysis)
	return b.String()
}

func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, cpu, _ = strings.Cut(l, ":")
				cpu = strings.TrimSpace(cpu)
				break
			}
		}
	}
	chrome := "chromium ?"
	if out, err := exec.Command(chromium.Path(), "--version").Output(); err == nil {
		chrome = strings.TrimSpace(string(out))
	}
	node := "node ?"
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		node = "Node " + strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%d cores (%s), %s %s/%s, %s, %s", runtime.NumCPU(), cpu, runtime.Version(), runtime.GOOS, runtime.GOARCH, chrome, node)
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1000) }

// copyTree copies the parts of the repository a build reads, so the bench
// can edit lessons and examples without touching the author's files.
func copyTree(root, dst string) error {
	for _, p := range []string{"go.mod", "go.sum", "lessons", "wasm", "site", "internal"} {
		if err := copyPath(filepath.Join(root, p), filepath.Join(dst, p)); err != nil {
			return err
		}
	}
	return nil
}

func copyPath(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			if fi.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		// a file at the top (go.mod) arrives before any directory has made its parent
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// analysis closes the report: why each figure stands where it does, which the figures alone
// do not say. Keep it in step with the design it explains (docs/arch/modules.md, gowasm.md).
const analysis = `
## Where each figure stands, and why

- **Page weight.** No framework and no bundler: native ES modules, an entry module and the modules
  of the page's features (each page preloads only its own), and one stylesheet, precompressed with
  brotli 11 at build time. The CodeMirror editor (about 100 KB) loads when a learner presses or
  focuses a source to edit it, and the yaegi interpreter (the largest file of the site) only for a
  first run of edited code on a static host: neither is part of a page's load, and both are counted
  above on their own.
- **WASM.** The examples ship as two modules, not one per program: every program without the network
  in ` + "`examples.<hash>.wasm`" + `, every ` + "`net/http`" + ` one in ` + "`examples-net`" + ` (the HTTP client and its
  TLS code triple the size, which is why that budget is larger). Run both, and every other playground of
  the page, runs programs of the module the first Run fetched; the whole site's examples, offline, are
  the two modules. Brotli 11 with a 16 MB window is what brings the net/http module under its budget
  (quality 6 left it at about 2.31 MB).
- **Click → first output.** The page compiles the module (compileStreaming) when a playground nears
  the viewport and keeps two spare workers with a Go instance of it, so a click only starts the
  program. "Cold" is a fresh profile clicking as soon as the page has loaded, so it includes waiting for
  that compile; "warm" is the next click.
- **Rebuilds.** serve keeps parsed lessons, highlighted code and compiled modules in memory keyed by
  content hash and compresses with fast brotli levels, so a lesson edit re-renders pages without
  compiling anything. An example edit relinks its bundle.
- **Fidelity.** In the browser the Go runtime has one thread (GOMAXPROCS=1), like asyncio's event
  loop. Without output (the "without output" column) 1,000 sleeping goroutines finish within a few
  per cent of one wait. The sleep example prints two lines per task; each line is one synchronous
  call into JavaScript (site/gowasm overlays syscall so that stdout does not park the goroutine until
  a callback: docs/arch/gowasm.md, "Output"), the "one printed line" figure. Natively the same
  program has every core and a write is a system call.
`
