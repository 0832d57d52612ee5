package assets

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"unblocked/site/assets/i18n"
	"unblocked/site/diag"
)

// The roots of the module graph: the page's entry and the program worker. Every other module is
// imported, directly or not, by one of them.
const (
	entryModule  = "main"
	workerModule = "worker"
	// pyWorkerModule is Run Python's worker (Pyodide), a root when js/ has it; pages find it by
	// name in site-config.modules.
	pyWorkerModule = "pyworker"
	// stringsName is generated (package i18n), not a file of js/: it imports the table of the
	// page's language, strings-<lang>.js, also generated.
	stringsName = "strings"
)

// module is one ES module of js/ (or the generated strings module).
type module struct {
	name    string // "runner"
	file    string // "site/assets/js/runner.js", for errors
	src     []byte
	imports []specifier
	hashed  string // "runner.0123456789.js", once known
}

// specifier is one import of another module: the text between the quotes at src[start:end].
type specifier struct {
	start, end int
	target     string // module name
	line       int
	dynamic    bool // import("./x.js"): not preloaded
}

var (
	// a static import or re-export on one line: import … from "x"; import "x"; export … from "x"
	staticImport = regexp.MustCompile(`(?m)^[ \t]*(?:import|export)[ \t]*(?:[\w$*{},\t ]+?[ \t]*from[ \t]*)?(["'])([^"'\n]*)["']`)
	// an import statement that goes on past its line (the pipeline reads imports line by line)
	openImport    = regexp.MustCompile(`(?m)^[ \t]*import[ \t]*(?:[\w$*,\t ]*)\{[^}\n]*$`)
	dynamicImport = regexp.MustCompile(`\bimport\(\s*(["'])([^"'\n]*)["']\s*\)`)
	localModule   = regexp.MustCompile(`^\./([A-Za-z0-9_-]+)\.js$`)
)

// modules hashes the ES modules of js/ and the generated strings module, minified: each module's
// imports are rewritten to the hashed names of the modules they import (so a module's hash covers what
// it imports, and a change anywhere renames every module that depends on it), which is why the
// graph may have no cycle.
func (p *pipeline) modules() error {
	files, err := fs.Glob(p.fsys, "js/*.js")
	if err != nil {
		return err
	}
	var errs diag.List
	mods := map[string]*module{}
	for _, f := range files {
		src, err := p.read(f)
		if err != nil {
			return err
		}
		m := &module{name: strings.TrimSuffix(path.Base(f), ".js"), file: p.opt.Dir + "/" + f, src: src}
		if m.name == stringsName || strings.HasPrefix(m.name, stringsName+"-") {
			errs.Add(diag.Errorf(m.file, 0, 0, "the pipeline generates strings.js from site/assets/i18n: rename this module"))
			continue
		}
		mods[m.name] = m
	}
	for name, src := range stringsModules() {
		mods[name] = &module{name: name, file: name + ".js (generated from site/assets/i18n)", src: src}
	}
	for _, root := range []string{entryModule, workerModule} {
		if mods[root] == nil {
			errs.Add(diag.Errorf(p.opt.Dir+"/js/"+root+".js", 0, 0, "missing: the pipeline starts from %s.js", root))
		}
	}
	for _, m := range mods {
		errs.Add(m.parse(mods))
	}
	if err := errs.Err(); err != nil {
		errs.Sort()
		return errs
	}
	order, err := topoSort(mods)
	if err != nil {
		return err
	}
	reached := map[string]bool{}
	roots := []string{entryModule, workerModule}
	if mods[pyWorkerModule] != nil {
		roots = append(roots, pyWorkerModule)
	}
	for _, root := range roots {
		reach(mods, root, reached)
	}
	for _, name := range order {
		if !reached[name] && !generated(name) {
			errs.Add(diag.Errorf(mods[name].file, 0, 0, "not imported by main.js or worker.js: dead code"))
		}
	}
	if err := errs.Err(); err != nil {
		errs.Sort()
		return errs
	}

	for _, name := range order { // dependencies first: their hashed names are known
		if !reached[name] {
			continue // the strings, when nothing imports them
		}
		m := mods[name]
		var b bytes.Buffer
		at := 0
		for _, s := range m.imports {
			b.Write(m.src[at:s.start])
			b.WriteString("./" + mods[s.target].hashed)
			at = s.end
		}
		b.Write(m.src[at:])
		code, err := minify(m.file, b.Bytes(), api.LoaderJS) // the rewrite keeps every line where it was
		if err != nil {
			errs.Add(err)
			continue
		}
		url := p.hashed(name, ".js", code)
		m.hashed = path.Base(url)
		p.out.Modules[name] = url
	}
	if err := errs.Err(); err != nil {
		errs.Sort()
		return errs
	}
	for _, lang := range i18n.Langs {
		p.out.Strings[lang] = p.out.Modules[stringsName+"-"+lang]
	}
	p.out.Entry = p.out.Modules[entryModule]
	p.out.Worker = p.out.Modules[workerModule]
	for _, name := range staticClosure(mods, entryModule) {
		if name != entryModule {
			p.out.Preload = append(p.out.Preload, p.out.Modules[name])
		}
	}
	for name := range p.out.Modules {
		for _, n := range staticClosure(mods, name) {
			p.out.Static[name] = append(p.out.Static[name], p.out.Modules[n])
		}
	}
	return nil
}

// stringsModules are the generated modules of the UI strings: strings.js, which the page's i18n
// module imports, and one table per language that it loads.
func stringsModules() map[string][]byte {
	var b bytes.Buffer
	b.WriteString("// Generated by the asset pipeline: the UI strings of each language (site/assets/i18n), loaded on demand.\nexport const tables = {\n")
	out := map[string][]byte{}
	for _, lang := range i18n.Langs {
		fmt.Fprintf(&b, "  %q: () => import(\"./%s-%s.js\"),\n", lang, stringsName, lang)
		out[stringsName+"-"+lang] = i18n.Module(lang)
	}
	b.WriteString("};\n")
	out[stringsName] = b.Bytes()
	return out
}

func generated(name string) bool {
	return name == stringsName || strings.HasPrefix(name, stringsName+"-")
}

// parse finds m's imports of other modules; each must name one as "./name.js".
func (m *module) parse(mods map[string]*module) error {
	var errs diag.List
	line := func(off int) int { return bytes.Count(m.src[:off], []byte("\n")) + 1 }
	for _, loc := range openImport.FindAllIndex(m.src, -1) {
		errs.Add(diag.Errorf(m.file, line(loc[0]), 0, "write each import on one line (the asset pipeline reads them line by line)"))
	}
	add := func(loc []int, dynamic bool) {
		spec := string(m.src[loc[4]:loc[5]])
		mm := localModule.FindStringSubmatch(spec)
		switch {
		case mm == nil:
			errs.Add(diag.Errorf(m.file, line(loc[0]), 0, "imports %q: page modules import each other as \"./name.js\"", spec))
		case mods[mm[1]] == nil:
			errs.Add(diag.Errorf(m.file, line(loc[0]), 0, "imports %s, which is not a module of site/assets/js", spec))
		default:
			m.imports = append(m.imports, specifier{start: loc[4], end: loc[5], target: mm[1], line: line(loc[0]), dynamic: dynamic})
		}
	}
	for _, loc := range staticImport.FindAllSubmatchIndex(m.src, -1) {
		add(loc, false)
	}
	for _, loc := range dynamicImport.FindAllSubmatchIndex(m.src, -1) {
		add(loc, true)
	}
	sort.Slice(m.imports, func(i, j int) bool { return m.imports[i].start < m.imports[j].start })
	return errs.Err()
}

// topoSort orders the modules so that each comes after every module it imports; a cycle is an
// error naming it.
func topoSort(mods map[string]*module) ([]string, error) {
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	sort.Strings(names)
	const (
		unseen = iota
		visiting
		done
	)
	state := map[string]int{}
	var order, stack []string
	var visit func(n string) error
	visit = func(n string) error {
		switch state[n] {
		case done:
			return nil
		case visiting:
			i := slices.Index(stack, n)
			cycle := append(slices.Clone(stack[i:]), n)
			for k := range cycle {
				cycle[k] += ".js"
			}
			m := mods[stack[len(stack)-1]]
			return diag.List{diag.Errorf(m.file, 0, 0, "import cycle %s: content-hashed modules cannot import each other in a circle", strings.Join(cycle, " → "))}
		}
		state[n] = visiting
		stack = append(stack, n)
		for _, s := range mods[n].imports {
			if err := visit(s.target); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
		order = append(order, n)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// reach marks every module name imports, directly or not, statically or not.
func reach(mods map[string]*module, name string, seen map[string]bool) {
	if seen[name] {
		return
	}
	seen[name] = true
	for _, s := range mods[name].imports {
		reach(mods, s.target, seen)
	}
}

// staticClosure lists root and the modules it imports statically, dependencies first.
func staticClosure(mods map[string]*module, root string) []string {
	var out []string
	seen := map[string]bool{}
	var visit func(n string)
	visit = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, s := range mods[n].imports {
			if !s.dynamic {
				visit(s.target)
			}
		}
		out = append(out, n)
	}
	visit(root)
	return out
}
