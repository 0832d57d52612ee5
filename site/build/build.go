// Package build is the one render path of the workbook: it loads lessons
// and examples from a repository on disk, validates everything, compiles
// the examples to js/wasm and renders every page into an in-memory Site.
// `workbook build` writes that Site to a folder, `workbook serve` serves it
// from memory, `workbook check` runs the same validation and renders nothing.
//
// A Builder keeps caches between builds (parsed lessons, rendered lesson
// bodies, highlighted sources, compressed files; compiled wasm is cached
// by the examples.Compiler), so a rebuild after editing one lesson only
// parses, renders and compresses what changed.
package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"unblocked/site/content"
	"unblocked/site/diag"
	"unblocked/site/examples"
	"unblocked/site/markdown"
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
}

// DefaultSiteURL is used for the sitemap when Options.SiteURL is empty.
const DefaultSiteURL = "http://127.0.0.1:8080"

// Builder builds the site. Builds are serialised; a Builder is safe for
// concurrent use.
type Builder struct {
	opt      Options
	md       *markdown.Markdown
	loader   *content.Loader
	compiler *examples.Compiler

	mu        sync.Mutex // one build at a time; guards the caches below
	bodies    map[string]cachedBody
	wasmMemo  map[[32]byte]wasmFile
	highlight map[[32]byte][]byte
	comp      *compressor
}

type cachedBody struct {
	key  [32]byte
	html []byte
}

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
	b := &Builder{
		opt:       opt,
		bodies:    map[string]cachedBody{},
		wasmMemo:  map[[32]byte]wasmFile{},
		highlight: map[[32]byte][]byte{},
	}
	var wasmCache string
	if opt.CacheDir != "" {
		wasmCache = filepath.Join(opt.CacheDir, "wasm")
	}
	b.compiler = &examples.Compiler{Root: opt.Root, CacheDir: wasmCache}
	b.md = markdown.New(markdown.Options{Base: opt.Base, Directive: b.renderDirective})
	b.loader = &content.Loader{MD: b.md}
	var compCache string
	if opt.CacheDir != "" {
		compCache = filepath.Join(opt.CacheDir, "compress")
	}
	b.comp = newCompressor(compCache, opt.Dev)
	return b
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
	_, err := b.prepare(ctx)
	return err
}

// Build validates and renders the whole site. The error is a diag.List
// with every content problem found (sorted), or another error for failures
// that are not the author's (disk, toolchain).
func (b *Builder) Build(ctx context.Context) (*Site, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, err := b.prepare(ctx)
	if err != nil {
		return nil, err
	}
	return b.render(ctx, st)
}

// state is everything validation produced that rendering needs.
type state struct {
	fsys     fs.FS
	lessons  *content.Set
	examples map[string]*examples.Example
	modules  map[string]wasmFile // bundle name ("examples") → module holding its examples' programs
	uses     []*use              // every directive, resolved
}

// prepare loads, validates and compiles. It collects all problems.
func (b *Builder) prepare(ctx context.Context) (*state, error) {
	st := &state{fsys: os.DirFS(b.opt.Root)}
	var errs diag.List
	set, err := b.loader.Load(st.fsys)
	errs.Add(err)
	if set == nil {
		set = &content.Set{ByLang: map[string][]*content.Lesson{}}
	}
	st.lessons = set
	exs, exErr := examples.Load(st.fsys)
	errs.Add(exErr)
	st.examples = exs

	uses, derrs := b.resolveAll(set, exs, exErr == nil)
	st.uses = uses
	errs = append(errs, derrs...)
	errs = append(errs, checkStructure(set)...)
	errs = append(errs, checkLinks(set)...)

	modules, cerr := b.compileAll(ctx, exs)
	if cerr != nil {
		var l diag.List
		if !errors.As(cerr, &l) {
			return nil, cerr
		}
		errs = append(errs, l...)
	}
	st.modules = modules
	if len(errs) > 0 {
		errs.Sort()
		return nil, dedupe(errs)
	}
	return st, nil
}

// compileAll links every example into its bundle (examples.Bundles): one module per bundle, so a
// page fetches the Go runtime once for all its playgrounds. The bundles build at the same time;
// each go build is itself parallel.
func (b *Builder) compileAll(ctx context.Context, exs map[string]*examples.Example) (map[string]wasmFile, error) {
	var (
		mu   sync.Mutex
		out  = map[string]wasmFile{}
		errs diag.List
	)
	g, gctx := errgroup.WithContext(ctx)
	for name, progs := range examples.Bundles(exs) {
		g.Go(func() error {
			key, kerr := b.wasmKey(name, progs)
			mu.Lock()
			if f, ok := b.wasmMemo[key]; ok && kerr == nil {
				out[name] = f
				mu.Unlock()
				return nil
			}
			mu.Unlock()
			wasm, err := b.compiler.CompileBundle(gctx, name, progs)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				var l diag.List
				if errors.As(err, &l) {
					errs = append(errs, l...)
					return nil
				}
				return fmt.Errorf("compiling the %s bundle: %w", name, err)
			}
			f := wasmFile{data: wasm, hash: hashHex(wasm)}
			out[name] = f
			if kerr == nil {
				b.wasmMemo[key] = f
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
}

// wasmFile is a compiled module and its content hash.
type wasmFile struct {
	data []byte
	hash string
}

// wasmKey identifies the inputs of a bundle: its programs' .go files, go.mod and go.sum
// (examples import only the standard library and modules, never packages of this repository).
// It lets a rebuild skip both the compiler's own cache lookup, which reads megabytes of wasm
// from disk, and hashing the module again.
func (b *Builder) wasmKey(bundle string, progs []examples.Program) ([32]byte, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", bundle)
	paths := []string{filepath.Join(b.opt.Root, "go.mod"), filepath.Join(b.opt.Root, "go.sum")}
	for _, p := range progs {
		fmt.Fprintf(h, "%s=%s\x00", p.Name, p.Dir)
		dir := filepath.Join(b.opt.Root, filepath.FromSlash(p.Dir))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return [32]byte{}, err
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".go") {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return [32]byte{}, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k, nil
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

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:10]
}
