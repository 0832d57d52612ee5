package assets

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// site returns a minimal asset folder with the given modules (js/<name>.js → source).
func site(mods map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"css/00-a.css": {Data: []byte("body { color: black; }\n")},
		"sw.js":        {Data: []byte("// sw\n")},
		"head.js":      {Data: []byte("// comment\ndocument.documentElement.dataset.x=1\n")},
		"favicon.svg":  {Data: []byte("<svg/>")},
	}
	for name, src := range mods {
		fsys["js/"+name+".js"] = &fstest.MapFile{Data: []byte(src)}
	}
	return fsys
}

func build(t *testing.T, fsys fstest.MapFS) (*Output, error) {
	t.Helper()
	return Build(fsys, Options{Base: "/sub/", WasmExec: []byte("// wasm_exec\n")})
}

func mustBuild(t *testing.T, fsys fstest.MapFS) *Output {
	t.Helper()
	out, err := build(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func file(t *testing.T, out *Output, url string) string {
	t.Helper()
	data, ok := out.Files[strings.TrimPrefix(url, "/sub/")]
	if !ok {
		t.Fatalf("no file for %s", url)
	}
	return string(data)
}

var hashedModule = regexp.MustCompile(`^/sub/assets/([a-z-]+)\.[0-9a-f]{10}\.js$`)

func TestModulesImportHashedNames(t *testing.T) {
	fsys := site(map[string]string{
		"main":   "import { a } from \"./a.js\";\nimport * as b from './b.js';\nimport \"./c.js\";\nconst later = () => import(\"./lazy.js\");\n",
		"a":      "// why a is 1\nexport { b } from \"./b.js\";\nfunction longLocalName(x) { return x + 1; }\nexport const a = longLocalName(0);\n",
		"b":      "import t from \"./strings.js\";\nexport const b = t;\n",
		"c":      "document.title = \"import './nothing.js' in a string is not an import\";\n",
		"lazy":   "export const lazy = 1;\n",
		"worker": "import { b } from \"./b.js\";\n",
	})
	out := mustBuild(t, fsys)
	for _, name := range []string{"main", "a", "b", "c", "lazy", "worker", "strings"} {
		m := hashedModule.FindStringSubmatch(out.Modules[name])
		if m == nil || m[1] != name {
			t.Errorf("module %s at %q", name, out.Modules[name])
		}
	}
	main := file(t, out, out.Entry)
	for _, dep := range []string{"a", "b", "c", "lazy"} {
		if !strings.Contains(main, "./"+strings.TrimPrefix(out.Modules[dep], "/sub/assets/")) {
			t.Errorf("main.js does not import the hashed %s:\n%s", dep, main)
		}
	}
	if strings.Contains(main, `"./a.js"`) || strings.Contains(main, `'./b.js'`) {
		t.Errorf("unrewritten specifier left:\n%s", main)
	}
	// minified: comments and local names gone, the exports and re-exports kept
	if a := file(t, out, out.Modules["a"]); strings.Contains(a, "why a") || strings.Contains(a, "longLocalName") ||
		!regexp.MustCompile(`export\{[^}]*\ba\b`).MatchString(a) || !strings.Contains(a, `from"./b.`) {
		t.Errorf("a.js not minified, or its exports lost:\n%s", a)
	}
	// the generated UI strings: strings.js loads one language's table (each hashed and rewritten)
	strs := file(t, out, out.Modules["strings"])
	if !strings.Contains(file(t, out, out.Modules["b"]), "./strings.") || !strings.Contains(strs, `zh:()=>import("./strings-zh.`) {
		t.Errorf("strings.js is not the generated module:\n%s", strs)
	}
	if zh := file(t, out, out.Strings["zh"]); !regexp.MustCompile(`as default\}`).MatchString(zh) || !strings.Contains(zh, "运行同步版") {
		t.Errorf("strings-zh.js: %.100s", zh)
	}
	if p := out.PagePreload("zh"); p[len(p)-1] != out.Strings["zh"] || len(p) != len(out.Preload)+1 {
		t.Errorf("a zh page preloads %v", p)
	}
	if out.Worker != out.Modules["worker"] {
		t.Errorf("worker %q", out.Worker)
	}
	// preload: what main imports statically, dependencies first; not the lazy module
	got := strings.Join(out.Preload, " ")
	want := strings.Join([]string{out.Modules["strings"], out.Modules["b"], out.Modules["a"], out.Modules["c"]}, " ")
	if got != want {
		t.Errorf("preload\n got %s\nwant %s", got, want)
	}
	for _, u := range append([]string{out.CSS, out.WasmExec}, out.Preload...) {
		found := false
		for _, p := range out.Precache {
			found = found || p == u
		}
		if !found {
			t.Errorf("%s not precached", u)
		}
	}
}

// A change in a module renames it and every module that imports it, directly or not, and
// nothing else: a page never mixes an old module with a new one.
func TestModuleHashCoversImports(t *testing.T) {
	mods := map[string]string{
		"main":   "import { a } from \"./a.js\";\nimport { c } from \"./c.js\";\n",
		"a":      "import { b } from \"./b.js\";\nexport const a = b;\n",
		"b":      "export const b = 1;\n",
		"c":      "export const c = 1;\n",
		"worker": "export {};\n",
	}
	before := mustBuild(t, site(mods))
	mods["b"] = "export const b = 2;\n"
	after := mustBuild(t, site(mods))
	for name, changed := range map[string]bool{"b": true, "a": true, "main": true, "c": false, "worker": false} {
		if (before.Modules[name] != after.Modules[name]) != changed {
			t.Errorf("%s: %s → %s (changed should be %v)", name, before.Modules[name], after.Modules[name], changed)
		}
	}
	again := mustBuild(t, site(mods))
	if again.Entry != after.Entry {
		t.Error("the same input gave other names")
	}
}

func TestModuleErrorsNameFileAndLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		mods map[string]string
		want string
	}{
		{"missing", map[string]string{"main": "// one\nimport { x } from \"./nope.js\";\n", "worker": ""},
			`site/assets/js/main.js:2: imports ./nope.js, which is not a module of site/assets/js`},
		{"bare", map[string]string{"main": "import x from \"lodash\";\n", "worker": ""},
			`site/assets/js/main.js:1: imports "lodash": page modules import each other as "./name.js"`},
		{"up", map[string]string{"main": "import x from \"../x.js\";\n", "worker": ""},
			`site/assets/js/main.js:1: imports "../x.js"`},
		{"multi-line", map[string]string{"main": "import {\n  a,\n} from \"./a.js\";\n", "a": "export const a = 1;\n", "worker": ""},
			`site/assets/js/main.js:1: write each import on one line`},
		{"cycle", map[string]string{"main": "import \"./a.js\";\n", "a": "import \"./b.js\";\n", "b": "import \"./a.js\";\n", "worker": ""},
			`import cycle a.js → b.js → a.js`},
		{"no entry", map[string]string{"worker": ""}, `site/assets/js/main.js: missing: the pipeline starts from main.js`},
		{"dead", map[string]string{"main": "", "worker": "", "old": "export const x = 1;\n"},
			`site/assets/js/old.js: not imported by main.js or worker.js: dead code`},
		{"syntax", map[string]string{"main": "const a = 1;\nif (a {\n}\n", "worker": ""},
			`site/assets/js/main.js:2:7: Expected ")" but found "{"`},
		{"strings.js", map[string]string{"main": "", "worker": "", "strings": ""},
			`site/assets/js/strings.js: the pipeline generates strings.js from site/assets/i18n`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(t, site(tc.mods))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestStylesheetAndHead(t *testing.T) {
	fsys := site(map[string]string{"main": "", "worker": ""})
	fsys["css/10-b.css"] = &fstest.MapFile{Data: []byte("/* why */\np {\n  margin: 0;\n}\n")}
	out, err := Build(fsys, Options{Base: "/", Highlight: ".chroma { color: red }\n", WasmExec: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	css := string(out.Files[strings.TrimPrefix(out.CSS, "/")])
	// in name order, then the highlighting; minified
	if css != "body{color:#000}\np{margin:0}\n.chroma{color:red}\n" {
		t.Errorf("stylesheet:\n%s", css)
	}
	if out.HeadScript != "document.documentElement.dataset.x=1" {
		t.Errorf("head script %q", out.HeadScript)
	}
	// the script's hash, as a browser computes it: base64 of SHA-256 of the script's text
	if !strings.Contains(out.CSP, "script-src 'self' 'wasm-unsafe-eval' 'sha256-idxrO8zPtN/vM+th5O8gNMMAVMwjwVUgoGO15qAJn7Y='") {
		t.Errorf("CSP %q", out.CSP)
	}
	if string(out.Files["favicon.svg"]) != "<svg/>" || string(out.ServiceWorker) != "// sw\n" {
		t.Error("favicon or service worker source missing")
	}
}

// The real folder builds: every import resolves, nothing is dead, the roots are there; and the
// embedded copy (what a binary outside the repository uses) gives the same files.
func TestBuildSiteAssets(t *testing.T) {
	out, err := Build(os.DirFS("."), Options{Base: "/", WasmExec: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := Build(FS, Options{Base: "/", WasmExec: []byte("x")})
	if err != nil {
		t.Fatalf("the embedded files: %v", err)
	}
	if len(embedded.Files) != len(out.Files) || embedded.Entry != out.Entry || embedded.CSS != out.CSS {
		t.Errorf("the embedded copy builds %d files (entry %s), the folder %d (entry %s): check embed.go's patterns",
			len(embedded.Files), embedded.Entry, len(out.Files), out.Entry)
	}
	for _, name := range []string{"main", "worker", "runner", "protocol", "playground", "wasmexec", "lab", "strings"} {
		if out.Modules[name] == "" {
			t.Errorf("no module %s", name)
		}
	}
	if out.Vendor["codemirror.min.js"] == "" {
		t.Error("no editor bundle")
	}
	// the editor bundle and the worker's modules are not part of a page's first load
	for _, u := range out.Preload {
		for _, lazy := range []string{"/codemirror", "/worker.", "/wasmexec.", "/lab."} {
			if strings.Contains(u, lazy) {
				t.Errorf("%s is preloaded", u)
			}
		}
	}
}

// Pyodide (Run Python) ships only when asked, under one folder named by a hash over its files,
// by their own names, and outside the precache: a page fetches it on the first press only.
func TestPyodideFolder(t *testing.T) {
	fsys := site(map[string]string{"main": "", "worker": ""})
	fsys["pyodide/pyodide.mjs"] = &fstest.MapFile{Data: []byte("export const loadPyodide = 1;\n")}
	fsys["pyodide/pyodide.asm.wasm"] = &fstest.MapFile{Data: []byte("\x00asm")}
	out := mustBuild(t, fsys)
	if out.Pyodide != "" {
		t.Errorf("Pyodide shipped without a page asking for it: %q", out.Pyodide)
	}
	withPy := func(wasm string) *Output {
		fsys["pyodide/pyodide.asm.wasm"] = &fstest.MapFile{Data: []byte(wasm)}
		out, err := Build(fsys, Options{Base: "/sub/", WasmExec: []byte("// wasm_exec\n"), Pyodide: true})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out = withPy("\x00asm")
	if !regexp.MustCompile(`^/sub/assets/pyodide\.[0-9a-f]{10}/$`).MatchString(out.Pyodide) {
		t.Fatalf("Pyodide folder %q", out.Pyodide)
	}
	dir := strings.TrimPrefix(out.Pyodide, "/sub/")
	if string(out.Files[dir+"pyodide.asm.wasm"]) != "\x00asm" || out.Files[dir+"pyodide.mjs"] == nil {
		t.Errorf("files by their own names under %s: %v", dir, out.Files[dir+"pyodide.mjs"])
	}
	for _, u := range out.Precache {
		if strings.Contains(u, "pyodide") {
			t.Errorf("%s precached", u)
		}
	}
	if again := withPy("\x00asm2"); again.Pyodide == out.Pyodide {
		t.Error("a changed file kept the folder's name")
	}
	delete(fsys, "pyodide/pyodide.mjs")
	delete(fsys, "pyodide/pyodide.asm.wasm")
	if _, err := Build(fsys, Options{Base: "/", WasmExec: []byte("//\n"), Pyodide: true}); err == nil || !strings.Contains(err.Error(), "make pyodide") {
		t.Errorf("no Pyodide files: error %v, want one saying make pyodide", err)
	}
}

// A page preloads the entry's static graph, then each feature module it imports at load with
// that module's static imports (once, dependencies first), and not the modules only a feature
// imports after a press.
func TestPagePreloadFeatures(t *testing.T) {
	out := mustBuild(t, site(map[string]string{
		"main":   "import { a } from \"./a.js\";\nconst f = () => import(\"./feat.js\");\n",
		"a":      "import t from \"./strings.js\";\nexport const a = t;\n",
		"feat":   "import { a } from \"./a.js\";\nimport { d } from \"./dep.js\";\nconst later = () => import(\"./press.js\");\n",
		"dep":    "export const d = 1;\n",
		"press":  "export const p = 1;\n",
		"worker": "export {};\n",
	}))
	m := out.Modules
	if got, want := strings.Join(out.PagePreload("en"), " "), strings.Join([]string{m["strings"], m["a"], out.Strings["en"]}, " "); got != want {
		t.Errorf("no features: preload\n got %s\nwant %s", got, want)
	}
	got := strings.Join(out.PagePreload("en", "feat"), " ")
	want := strings.Join([]string{m["strings"], m["a"], m["dep"], m["feat"], out.Strings["en"]}, " ")
	if got != want {
		t.Errorf("feature feat: preload\n got %s\nwant %s", got, want)
	}
	if strings.Contains(got, m["press"]) {
		t.Errorf("preloads press.js, which feat.js imports only after a press: %s", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("PagePreload of an unknown feature did not panic")
		}
	}()
	out.PagePreload("en", "nothing")
}
