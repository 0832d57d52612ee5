package build

import (
	"fmt"
	"io/fs"
	"os"
	"path"

	"unblocked/site/assets"
	"unblocked/site/markdown"
	"unblocked/site/model"
)

// assets is the asset step: the asset pipeline (package assets) over the repository's
// site/assets (or the embedded copy), with the highlighting rules and the compiler's
// wasm_exec.js: the stylesheet, the page's ES modules and the program worker, the vendored
// bundles, the inline head script with the pages' CSP, and sw.js's source.
func (b *Builder) assets(python bool) (*assets.Output, error) {
	highlight, err := markdown.ChromaCSS(markdown.LightStyle, markdown.DarkStyle)
	if err != nil {
		return nil, err
	}
	wasmExec, err := b.compiler.WasmExecJS()
	if err != nil {
		return nil, fmt.Errorf("wasm_exec.js: %w", err)
	}
	return assets.Build(assetFS(b.opt.Root), assets.Options{Base: b.opt.Base, Highlight: highlight, WasmExec: wasmExec, Pyodide: python})
}

// hasPython reports whether a page has a playground with a Python pair: only then does the site
// ship Pyodide (Run Python's runtime, 13 MB before compression).
func hasPython(m *model.Site) bool {
	for _, ls := range m.Lessons {
		for _, l := range ls {
			for _, w := range l.Widgets {
				if len(w.PySources) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// assetFS is site/assets on disk when the repository has it (so edits show
// up in `serve` without recompiling), else the embedded copy.
func assetFS(root string) fs.FS {
	dir := path.Join(root, "site", "assets")
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return os.DirFS(dir)
	}
	return assets.FS
}
