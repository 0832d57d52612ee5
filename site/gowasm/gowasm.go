// Package gowasm runs every js/wasm build of the workbook: the example bundles, the
// interpreter, the compile endpoint's programs, the test programs of the browser tests and the
// benchmarks. One place owns how the go command is run for GOOS=js GOARCH=wasm:
//
//   - the environment (Env: GOOS=js GOARCH=wasm CGO_ENABLED=0 GOTOOLCHAIN=local), the flags
//     (-trimpath -buildvcs=false -ldflags=-s -w), and the wasm_exec.js of the same toolchain
//     (WasmExecJS);
//   - one parser of the compiler's diagnostics into a diag.List, paths relative to Root, the
//     virtual files of a Job named by their place in the repository, never a temporary path;
//   - one content-hash cache, on disk or in memory, bounded by bytes (and entries) and
//     evicting the least recently used module, so a server left running for a day of edits
//     stays within its bound;
//   - singleflight: concurrent builds of the same inputs run the go command once, detached from
//     the callers (context.WithoutCancel), so one caller giving up never fails another;
//   - limits: a timeout after which the go command and every process it started are killed
//     (a process group, kill_*.go), and a cap on each compiler process's memory
//     (memlimit_*.go; Linux only), reported as a *MemoryError ("the compiler ran out of its
//     1024 MB") instead of the toolchain's crash dump.
package gowasm

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"unblocked/site/diag"
)

// Defaults of Options.
const (
	DefaultMemoryLimit = 1 << 30          // bytes per compiler process
	DefaultTimeout     = 10 * time.Minute // per build: a cold interpreter build on a loaded 2-core machine takes minutes
	DefaultDiskBytes   = 1 << 30          // cache bound on disk
	DefaultMemoryBytes = 256 << 20        // cache bound in memory
)

// failureEntries bounds the failures remembered (in memory; they are small).
const failureEntries = 64

// Options configure a Builder. The zero value builds the packages of the module in the current
// directory with the defaults above and an in-memory cache.
type Options struct {
	Root  string // the module's root: packages are named relative to it and go runs there; default "."
	GoCmd string // the go command; default "go" on PATH (tests give a fake)

	CacheDir     string // modules are kept there as <key>.wasm; "" keeps them in memory
	CacheBytes   int64  // bound of the cache; default DefaultDiskBytes on disk, DefaultMemoryBytes in memory
	CacheEntries int    // a further bound on the number of modules; 0 = none

	// MemoryLimit caps the memory each process of a build (go, compile, link) may allocate, in
	// bytes; default DefaultMemoryLimit, negative for none. Only Linux has a cap the Go runtime's
	// allocations honour (see limitMemory); elsewhere builds are bounded by Timeout alone.
	MemoryLimit int64
	Timeout     time.Duration // per build, then the go command and its children are killed; default DefaultTimeout

	// MaxBuilds is how many go commands run at once (0: no limit). Further builds wait for a
	// turn, or with FailWhenBusy fail at once with ErrBusy (a server that answers "try again").
	MaxBuilds    int
	FailWhenBusy bool

	Env []string // more environment for the go command (before the fixed target), part of every key
}

// A Builder builds main packages to js/wasm. Safe for concurrent use.
type Builder struct {
	opt   Options
	env   []string
	cache *cache
	slots chan struct{} // nil: no limit

	mu     sync.Mutex
	failed *lru[error] // failures that happen again for the same key (guarded by mu)

	flight       singleflight.Group
	builds, hits atomic.Int64
}

// New returns a Builder.
func New(opt Options) *Builder {
	if opt.Root == "" {
		opt.Root = "."
	}
	if abs, err := filepath.Abs(opt.Root); err == nil {
		opt.Root = abs
	}
	if opt.GoCmd == "" {
		opt.GoCmd = "go"
	}
	if opt.CacheBytes <= 0 {
		opt.CacheBytes = DefaultMemoryBytes
		if opt.CacheDir != "" {
			opt.CacheBytes = DefaultDiskBytes
		}
	}
	if opt.MemoryLimit == 0 {
		opt.MemoryLimit = DefaultMemoryLimit
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	b := &Builder{
		opt:    opt,
		env:    Env(opt.Env...),
		cache:  newCache(opt.CacheDir, opt.CacheBytes, opt.CacheEntries),
		failed: newLRU[error](0, failureEntries, nil),
	}
	if opt.MaxBuilds > 0 {
		b.slots = make(chan struct{}, opt.MaxBuilds)
	}
	return b
}

// Root is the module root the Builder builds in (absolute).
func (b *Builder) Root() string { return b.opt.Root }

// A Job is one build: the main package Package (a folder relative to Root, slash separated, e.g.
// "site/interp") with Files on top of what is on disk.
type Job struct {
	Package string
	// Files exist only for this build (go build -overlay): path relative to Root → content.
	// They may add files, replace files or make up whole packages (a bundle's); diagnostics name
	// them by these paths.
	Files map[string][]byte
}

// Package builds the main package in dir (relative to Root).
func (b *Builder) Package(ctx context.Context, dir string) ([]byte, error) {
	return b.Build(ctx, Job{Package: dir})
}

// Build returns the module job builds, from the cache when its inputs (see key) are unchanged:
// a hit never starts the go command. The bytes are shared: do not modify them.
//
// The error is a diag.List for a program that does not compile (positioned, paths relative to
// Root), a *MemoryError or *TimeoutError when a limit stopped the build, ErrBusy, the caller's
// ctx.Err() when it gave up (the build goes on for the others waiting for it and for the
// cache), or another error for a failure that is not the program's (a missing go command).
func (b *Builder) Build(ctx context.Context, job Job) ([]byte, error) {
	if job.Package == "" {
		return nil, errors.New("gowasm: no package to build")
	}
	job.Package = path.Clean(filepath.ToSlash(job.Package))
	if err := inside(job.Package); err != nil {
		return nil, err
	}
	for name := range job.Files {
		if err := inside(name); err != nil || path.Clean(name) != name {
			return nil, fmt.Errorf("gowasm: file %q is not a clean path inside the module", name)
		}
	}
	key, err := b.key(job)
	if err != nil {
		return nil, err
	}
	if data, ok := b.cache.get(key); ok {
		b.hits.Add(1)
		return data, nil
	}
	b.mu.Lock()
	err, failed := b.failed.get(key)
	b.mu.Unlock()
	if failed {
		b.hits.Add(1)
		return nil, err
	}
	ch := b.flight.DoChan(key, func() (any, error) {
		return b.build(context.WithoutCancel(ctx), key, job)
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]byte), nil
	}
}

func inside(p string) error {
	if p == "" || path.IsAbs(p) || filepath.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return fmt.Errorf("gowasm: %q is not inside the module", p)
	}
	return nil
}

// build runs one build of key (the only one: see Build) within the limits and caches its result.
func (b *Builder) build(ctx context.Context, key string, job Job) ([]byte, error) {
	if b.slots != nil {
		if b.opt.FailWhenBusy {
			select {
			case b.slots <- struct{}{}:
			default:
				return nil, ErrBusy
			}
		} else {
			b.slots <- struct{}{}
		}
		defer func() { <-b.slots }()
	}
	ctx, cancel := context.WithTimeout(ctx, b.opt.Timeout)
	defer cancel()
	data, err := b.run(ctx, job)
	if err != nil {
		var mem *MemoryError
		var errs diag.List
		if errors.As(err, &mem) || errors.As(err, &errs) && positioned(errs) {
			b.mu.Lock()
			b.failed.add(key, err, 0)
			b.mu.Unlock()
		}
		return nil, err
	}
	b.cache.put(key, data)
	return data, nil
}

// Stats counts what a Builder did.
type Stats struct {
	Builds int64 // go commands started
	Hits   int64 // builds answered from the cache (modules and remembered failures)
}

// Stats returns the counts so far.
func (b *Builder) Stats() Stats { return Stats{Builds: b.builds.Load(), Hits: b.hits.Load()} }

// ErrBusy is the error of a build that found Options.MaxBuilds builds running and
// Options.FailWhenBusy set.
var ErrBusy = errors.New("gowasm: too many builds at once")

// MemoryError is a build stopped by Options.MemoryLimit.
type MemoryError struct {
	Limit int64 // bytes; 0 when no limit was set (the machine ran out)
}

func (e *MemoryError) Error() string {
	if e.Limit <= 0 {
		return "the compiler ran out of memory"
	}
	return fmt.Sprintf("the compiler ran out of its %d MB", e.Limit>>20)
}

// TimeoutError is a build stopped by Options.Timeout.
type TimeoutError struct {
	Limit time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("compiling took longer than %s and was stopped", e.Limit)
}
