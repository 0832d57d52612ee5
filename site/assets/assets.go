// Package assets is the asset pipeline of the site: from the files in this folder (FS, or the
// folder on disk) it makes the stylesheet, the page's ES modules and the program worker with
// content-hashed names, the vendored bundles, wasm_exec.js, the inline head script with the
// Content-Security-Policy that allows it, and the service worker's source (docs/arch/modules.md).
//
//	css/*.css      → assets/site.<hash>.css (in name order, then the highlighting rules)
//	js/*.js        → assets/<name>.<hash>.js, ES modules importing each other as "./name.js"
//	                 (rewritten to the hashed names); main.js is the page's entry, worker.js
//	                 the program worker; strings.js and strings-<lang>.js are generated
//	                 from package i18n
//	vendor/*       → assets/<stem>.<hash><ext>
//	pyodide/*      → assets/pyodide.<hash>/<name> (one hash over all: Pyodide finds its files
//	                 by name next to pyodide.mjs); not precached, fetched on the first Run Python
//	head.js        → Output.HeadScript, inlined before the stylesheet
//	sw.js          → Output.ServiceWorker (the build puts its precache list in front)
//	favicon.svg    → favicon.svg
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Options are what the pipeline takes from its caller.
type Options struct {
	Base      string // URL base path, "/" or "/sub/"
	Highlight string // CSS rules of the syntax highlighting (site/markdown), after the stylesheets
	WasmExec  []byte // wasm_exec.js of the Go that compiled the programs
	Dir       string // where fsys is, for error messages (default "site/assets")
	Pyodide   bool   // ship pyodide/* (a page has Run Python)
}

// Output is the pipeline's files and the URLs pages need.
type Output struct {
	Files map[string][]byte // path under the site root → content, e.g. "assets/site.0123456789.css"

	CSS     string   // the stylesheet
	Entry   string   // the page's entry module (<script type=module>)
	Preload []string // modules the entry imports statically, dependencies first (<link rel=modulepreload>)
	// Static lists, for every module by name, its URL after the URLs of the modules it imports
	// statically, directly or not (dependencies first): what a page that imports it at load
	// preloads (PagePreload).
	Static   map[string][]string
	Modules  map[string]string // every module by name ("runner") → URL: site-config.modules
	Strings  map[string]string // the UI strings module of each language (preload the page's)
	Worker   string            // the program worker module: site-config.worker
	WasmExec string            // site-config.wasmExec
	Vendor   map[string]string // vendor file name → URL: site-config.vendor
	Pyodide  string            // the folder of the vendored Pyodide, ending in "/": site-config.pyodide ("" when absent)

	HeadScript string // the inline <head> script (theme before the stylesheet)
	CSP        string // the pages' Content-Security-Policy (a <meta http-equiv>)

	ServiceWorker []byte   // sw.js as written; the build prefixes `self.UNBLOCKED = {…};`
	Precache      []string // every hashed URL above, sorted, for the service worker
}

// Build runs the pipeline over fsys (this folder). Problems in the modules come back as a
// diag.List naming file and line.
func Build(fsys fs.FS, opt Options) (*Output, error) {
	if opt.Dir == "" {
		opt.Dir = "site/assets"
	}
	out := &Output{Files: map[string][]byte{}, Modules: map[string]string{}, Static: map[string][]string{}, Vendor: map[string]string{}, Strings: map[string]string{}}
	p := &pipeline{fsys: fsys, opt: opt, out: out}
	for _, step := range []func() error{
		p.stylesheet,    // css/*.css + highlighting
		p.modules,       // js/*.js + strings.js: hashed, imports rewritten
		p.vendor,        // vendor/*
		p.pyodide,       // pyodide/* (Run Python), outside the precache
		p.wasmExec,      // Go's wasm_exec.js
		p.head,          // the inline head script and the CSP allowing it
		p.serviceWorker, // sw.js, favicon.svg
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	sort.Strings(out.Precache)
	return out, nil
}

type pipeline struct {
	fsys fs.FS
	opt  Options
	out  *Output
}

// hashed stores data under assets/<stem>.<hash><ext> and returns its URL; every hashed file is
// precached.
func (p *pipeline) hashed(stem, ext string, data []byte) string {
	name := "assets/" + stem + "." + Hash(data) + ext
	p.out.Files[name] = data
	url := p.opt.Base + name
	p.out.Precache = append(p.out.Precache, url)
	return url
}

// Hash is the content hash in asset names: 10 hex digits of SHA-256.
func Hash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])[:10]
}

func (p *pipeline) read(name string) ([]byte, error) {
	data, err := fs.ReadFile(p.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", p.opt.Dir, name, err)
	}
	return data, nil
}

func (p *pipeline) vendor() error {
	files, err := fs.Glob(p.fsys, "vendor/*")
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := p.read(f)
		if err != nil {
			return err
		}
		name := path.Base(f)
		ext := path.Ext(name)
		p.out.Vendor[name] = p.hashed(strings.TrimSuffix(name, ext), ext, data)
	}
	return nil
}

// pyodide puts the vendored Pyodide (site/pyodide, `make pyodide`) under one folder named by a
// hash over every file's name and content. Its files are not precached: a page fetches them
// only when a learner first presses Run Python (the service worker keeps them after that).
func (p *pipeline) pyodide() error {
	if !p.opt.Pyodide {
		return nil
	}
	files, err := fs.Glob(p.fsys, "pyodide/*")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s/pyodide: empty; a page has Run Python: run make pyodide", p.opt.Dir)
	}
	sort.Strings(files)
	h := sha256.New()
	data := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := p.read(f)
		if err != nil {
			return err
		}
		name := path.Base(f)
		data[name] = b
		fmt.Fprintf(h, "%s %d\x00", name, len(b))
		h.Write(b)
	}
	dir := "assets/pyodide." + hex.EncodeToString(h.Sum(nil))[:10] + "/"
	for name, b := range data {
		p.out.Files[dir+name] = b
	}
	p.out.Pyodide = p.opt.Base + dir
	return nil
}

func (p *pipeline) wasmExec() error {
	if len(p.opt.WasmExec) == 0 {
		return fmt.Errorf("assets: no wasm_exec.js given")
	}
	p.out.WasmExec = p.hashed("wasm_exec", ".js", p.opt.WasmExec)
	return nil
}

func (p *pipeline) serviceWorker() error {
	sw, err := p.read("sw.js")
	if err != nil {
		return err
	}
	p.out.ServiceWorker = sw
	icon, err := p.read("favicon.svg")
	if err != nil {
		return err
	}
	p.out.Files["favicon.svg"] = icon
	return nil
}

// PagePreload lists the modules a page in lang loads without a click: the entry's static
// imports, each of features (modules main.js imports at load because the page has their
// sections, e.g. "challenge") with its static imports, and the UI strings of lang; each once,
// dependencies first. A feature that is not a module is an error of the caller: it panics.
func (o *Output) PagePreload(lang string, features ...string) []string {
	out := append([]string(nil), o.Preload...)
	seen := map[string]bool{o.Entry: true}
	for _, u := range out {
		seen[u] = true
	}
	for _, f := range features {
		list, ok := o.Static[f]
		if !ok {
			panic("assets: no page module " + f)
		}
		for _, u := range list {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	if s := o.Strings[lang]; s != "" && !seen[s] {
		out = append(out, s)
	}
	return out
}
