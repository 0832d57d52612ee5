// Package build is the one render path of the workbook: `workbook build` writes the Site it
// makes to a folder, `workbook serve` serves it from memory, `workbook check` runs the same
// validation and renders nothing.
//
// A build is a pipeline of named stages (Builder.Build reads as its table of contents):
// load the lessons and the examples, compile the examples into their modules, resolve
// everything into the immutable model (package model), then make the assets, render the
// pages from the model, add the sitemap and the service worker, and compress. Every content
// problem of the first stages is reported at once, as a diag.List of path:line:col lines.
//
// A Builder keeps caches between builds, so a rebuild after editing one lesson parses,
// renders and compresses only what changed; each cache keeps what the last successful build
// used and forgets the rest (the compression cache on disk keeps a byte budget), so a serve
// left running through a day of editing does not grow.
package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"unblocked/site/content"
	"unblocked/site/diag"
	"unblocked/site/examples"
	"unblocked/site/gowasm"
	"unblocked/site/markdown"
	"unblocked/site/model"
)

// Options configure a Builder.
type Options struct {
	Root     string // repo root on disk (lessons/, wasm/ under it)
	Base     string // URL base path, "/" or "/sub/"; "" means "/"
	Dev      bool   // serve mode: live-reload script, compile endpoint, fast compression, no interpreter
	CacheDir string // compiled wasm and compressed files survive between runs here; "" keeps them in memory only
	// Interp builds the interpreter in Dev too: for serve on a network address, whose compile
	// endpoint answers only loopback clients.
	Interp bool
	// SiteURL is the origin the sitemap's absolute URLs start with (sitemaps
	// require absolute URLs). Default "http://127.0.0.1:8080".
	SiteURL string
	// Compiler builds the js/wasm modules; nil means gowasm over Root, caching
	// in CacheDir/wasm.
	Compiler Compiler
	// Progress, when set, gets one line per step of Build as it starts ("build: compressing
	// 412 files…"): a cold build takes minutes, and an author should see it is working.
	Progress io.Writer
}

// DefaultSiteURL is used for the sitemap when Options.SiteURL is empty.
const DefaultSiteURL = "http://127.0.0.1:8080"

// Builder builds the site. Builds are serialised; a Builder is safe for
// concurrent use.
type Builder struct {
	opt      Options
	md       *markdown.Markdown
	loader   *content.Loader
	compiler Compiler

	mu        sync.Mutex                // one build at a time; guards the caches below
	modules   *memo[[32]byte, module]   // bundle inputs → compiled module
	bodies    *memo[string, cachedBody] // lesson path → rendered body
	highlight *memo[[32]byte, []byte]   // file and code → highlighted source
	comp      *compressor               // content and setting → .br/.gz, in memory and on disk
	stats     stats
}

// stats counts the work builds did, so tests can tell a cache hit from a miss.
type stats struct{ bodies, highlights int }

// Site is a built site: output path (no leading slash) → bytes, including
// the precompressed .br and .gz variants.
type Site struct {
	Files map[string][]byte
}

// New returns a Builder.
func New(opt Options) *Builder {
	opt.Base = NormBase(opt.Base)
	if opt.SiteURL == "" {
		opt.SiteURL = DefaultSiteURL
	}
	opt.SiteURL = strings.TrimRight(opt.SiteURL, "/")
	cacheDir := func(name string) string {
		if opt.CacheDir == "" {
			return ""
		}
		return filepath.Join(opt.CacheDir, name)
	}
	b := &Builder{
		opt:       opt,
		compiler:  opt.Compiler,
		modules:   newMemo[[32]byte, module](),
		bodies:    newMemo[string, cachedBody](),
		highlight: newMemo[[32]byte, []byte](),
		comp:      newCompressor(cacheDir("compress"), opt.Dev),
	}
	if b.compiler == nil {
		b.compiler = gowasmCompiler{gowasm.New(gowasm.Options{Root: opt.Root, CacheDir: cacheDir("wasm")})}
	}
	b.md = markdown.New(markdown.Options{Base: opt.Base})
	b.loader = &content.Loader{MD: b.md}
	return b
}

// progress returns step(what): a line to Options.Progress for each step as it starts, with
// the time since the build began; step("") ends the report.
func (b *Builder) progress() func(what string) {
	w := b.opt.Progress
	t0 := time.Now()
	return func(what string) {
		if w == nil {
			return
		}
		now := time.Now()
		if what == "" {
			fmt.Fprintf(w, "build: done in %v\n", now.Sub(t0).Round(time.Millisecond))
			return
		}
		fmt.Fprintf(w, "build: %s… (at %v)\n", what, now.Sub(t0).Round(time.Millisecond))
	}
}

// NormBase returns base with exactly one leading and one trailing slash.
func NormBase(base string) string {
	base = strings.Trim(base, "/")
	if base == "" {
		return "/"
	}
	return "/" + base + "/"
}

// Check runs every validation of Build, compiling the examples, and
// renders nothing. The error is a diag.List with every problem.
func (b *Builder) Check(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, _, err := b.prepare(ctx)
	return err
}

// Build validates and renders the whole site. The error is a diag.List
// with every content problem found (sorted), or another error for failures
// that are not the author's (disk, toolchain).
func (b *Builder) Build(ctx context.Context) (*Site, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	// Load, validate, compile the examples and resolve: the model, or every problem at once.
	step := b.progress()
	step("loading the lessons and the examples, compiling the examples to js/wasm (minutes when nothing is cached)")
	m, mods, err := b.prepare(ctx)
	if err != nil {
		return nil, err
	}
	out := files{}
	// Assets: the stylesheet, page scripts, worker, vendor bundles, wasm_exec.js, favicon.
	step("page scripts, stylesheet and vendored runtimes")
	as, err := b.assets(hasPython(m))
	if err != nil {
		return nil, err
	}
	out.add(as.Files)
	// The example modules, named by their content hash.
	out.add(mods.files())
	// The interpreter that runs edited code where no compile endpoint answers.
	step("the interpreter for edited code")
	interp, interpURL, err := b.interpreter(ctx)
	if err != nil {
		return nil, err
	}
	out.add(interp)
	// The trace parser of the scheduler view, fetched after a learner's first run.
	step("the scheduler view's trace parser")
	parser, schedURL, err := b.schedParser(ctx)
	if err != nil {
		return nil, err
	}
	out.add(parser)
	// Pages: the index, the 404 page and every lesson, rendered from the model.
	step("rendering the pages")
	ln := b.links(as, interpURL)
	ln.Sched = schedURL
	pages, err := b.renderPages(ctx, m, ln)
	if err != nil {
		return nil, err
	}
	out.add(pages)
	// The sitemap, in absolute URLs.
	out["sitemap.xml"] = sitemap(m, b.opt.SiteURL)
	// robots.txt: everything may be crawled; it names the sitemap (crawlers read it only at the
	// origin's root, so a site under a base path copies it there).
	out["robots.txt"] = robots(b.opt.SiteURL + b.opt.Base)
	// The service worker: what to precache, and a version that changes with any file.
	out["sw.js"], err = serviceWorker(as, m, mods.urls(b.opt.Base), out)
	if err != nil {
		return nil, err
	}
	// Compression: a .br and a .gz beside every file they make smaller.
	step(fmt.Sprintf("compressing %d files (brotli and gzip)", len(out)))
	compressed, err := b.comp.all(ctx, out)
	if err != nil {
		return nil, err
	}
	// Every cache forgets what this build did not use.
	b.prune()
	step("")
	return &Site{Files: compressed}, nil
}

// prepare runs the stages Build and Check share: load the lessons and the examples, compile
// the examples, resolve the model. It collects every problem before failing.
func (b *Builder) prepare(ctx context.Context) (*model.Site, modules, error) {
	var errs diag.List
	fsys := os.DirFS(b.opt.Root)

	// Lessons: front matter, Markdown and directives, parsed once per content.
	lessons, err := b.loader.Load(fsys)
	errs.Add(err)
	if lessons == nil {
		lessons = &content.Set{ByLang: map[string][]*content.Lesson{}}
	}
	// Examples: wasm/<name>/example.yaml and their two programs.
	exs, exErr := examples.Load(fsys)
	errs.Add(exErr)
	// Modules: every example program, linked into its bundle.
	mods, err := b.compileModules(ctx, exs)
	var cerrs diag.List
	if errors.As(err, &cerrs) {
		errs = append(errs, cerrs...)
	} else if err != nil {
		return nil, nil, err
	}
	// Resolve: directives against the examples, links against the pages; prev/next, ids, URLs.
	in := model.Input{Base: b.opt.Base, Lessons: lessons, Modules: mods.urls(b.opt.Base)}
	if exErr == nil {
		in.Examples = exs
	}
	m, rerrs := model.Resolve(in)
	errs = append(errs, rerrs...)

	if len(errs) > 0 {
		errs.Sort()
		return nil, nil, dedupe(errs)
	}
	return m, mods, nil
}

// prune makes every cache forget what the build that just succeeded did not use.
func (b *Builder) prune() {
	b.modules.sweep()
	b.bodies.sweep()
	b.highlight.sweep()
	b.comp.prune()
}

// files is a build's output: path (no leading slash) → bytes.
type files map[string][]byte

func (f files) add(more map[string][]byte) {
	for name, data := range more {
		f[name] = data
	}
}

// dedupe drops repeated identical lines (e.g. a YAML problem found by two checks).
func dedupe(l diag.List) diag.List {
	out := l[:0]
	seen := map[string]bool{}
	for _, e := range l {
		if s := e.Error(); !seen[s] {
			seen[s] = true
			out = append(out, e)
		}
	}
	return out
}

// hashHex is the content hash in output names: name.<hash>.ext.
func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:10]
}
