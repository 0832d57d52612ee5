// Package examples discovers the example pairs under wasm/ and compiles them
// to js/wasm.
//
// Each example is a folder wasm/<name>/ holding example.yaml and two
// programs, sync/main.go and concurrent/main.go:
//
//	title: {en: Sleeping tasks, zh: 睡眠任务}
//	net: false
//	speedup: false     # optional: no "N× faster" line (the concurrent version is a mistake)
//	cpu: true          # optional: CPU-bound work; the line compares it as the same computing
//	params:
//	  tasks: {default: 5, min: 1, max: 10000}
//	  delay: {default: 1s, min: 0s, max: 10s}
//	  limit: {default: 3, min: 1, max: 1000}
//
// Load reports every problem as a diag.Error at the offending YAML node, so an
// author can jump straight to it.
package examples

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"unblocked/site/diag"
)

// Param is one flag both programs of an example accept.
type Param struct {
	Name              string // "tasks", "delay", "limit"
	Kind              string // "int" or "duration"
	Default, Min, Max string // as written in example.yaml: "5", "1s"
}

// Source is one program of a pair.
type Source struct {
	Path string // repo-relative, e.g. "wasm/sleep/sync/main.go"
	Code []byte
}

// Example is one pair of programs doing the same work sequentially and
// concurrently.
type Example struct {
	Name  string            // folder name under wasm/
	Title map[string]string // by language: "en", "zh"
	// Net is example.yaml's net: the programs take -base, the URL of the lab server.
	Net bool
	// Network is true when the programs import a package that links the network (net,
	// net/http, …; see linksNetwork), with or without the lab: such programs go in the
	// examples-net bundle.
	Network          bool
	Params           []Param // order: tasks, delay, limit (those present)
	Sync, Concurrent Source
	// Speedup is false for pairs whose concurrent version is the mistake a lesson shows (a race,
	// unbounded fan-out): the page then does not call it "N× faster".
	Speedup bool
	// CPU is true for pairs that compute instead of wait (starve): both versions do the same
	// computing on one thread, so the page says so instead of "N× faster" (noise on a busy
	// machine would read as a speed-up or a slow-down).
	CPU bool
	// Extra are the example's other programs, wasm/<name>/<folder>/main.go for every folder
	// besides sync and concurrent, by folder name: a code challenge's broken start or its fixed
	// solution (docs/arch/challenges.md). They are bundled like the pair, so they run
	// precompiled.
	Extra map[string]Source
	// Python is the example's Python pair, when it has one: python/sync.py and python/async.py
	// (not concurrent.py, which would hide the standard library's concurrent package from the
	// script), run in the page through Pyodide (Run Python) and natively by the timed tests.
	Python *PythonPair
}

// Program returns the source of the example's program folder v (sync, concurrent or an
// Extra one).
func (ex *Example) Program(v string) (Source, bool) {
	switch v {
	case "sync":
		return ex.Sync, true
	case "concurrent":
		return ex.Concurrent, true
	}
	s, ok := ex.Extra[v]
	return s, ok
}

// ProgramFolders lists the example's program folders: sync, concurrent, then the Extra ones in
// name order.
func (ex *Example) ProgramFolders() []string {
	vs := slices.Clone(Variants)
	var extra []string
	for v := range ex.Extra {
		extra = append(extra, v)
	}
	slices.Sort(extra)
	return append(vs, extra...)
}

// PythonPair is the Python twin of an example: the same flags, the same task lines.
type PythonPair struct{ Sync, Concurrent Source }

// PythonFiles are the files of a Python pair in wasm/<example>/python/, by variant.
var PythonFiles = map[string]string{"sync": "sync.py", "concurrent": "async.py"}

// Variants are the program folders every example must have.
var Variants = []string{"sync", "concurrent"}

// Languages every title must be given in; lessons exist in the same set.
var Languages = []string{"en", "zh"}

// paramKinds fixes the order and the kind of each known parameter.
var paramKinds = []struct{ name, kind string }{
	{"tasks", "int"},
	{"delay", "duration"},
	{"limit", "int"},
}

// maxDelay keeps a page run short enough that a learner waits for it.
const maxDelay = 10 * time.Second

// Load reads every wasm/<name>/ folder of fsys (rooted at the repository).
// The error, if any, is a diag.List holding all problems found.
func Load(fsys fs.FS) (map[string]*Example, error) {
	entries, err := fs.ReadDir(fsys, "wasm")
	if err != nil {
		return nil, diag.List{diag.Errorf("wasm", 0, 0, "reading examples: %v", err)}
	}
	var errs diag.List
	out := make(map[string]*Example)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ex, err := loadOne(fsys, e.Name())
		errs.Add(err)
		if ex != nil {
			out[ex.Name] = ex
		}
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func loadOne(fsys fs.FS, name string) (*Example, error) {
	dir := path.Join("wasm", name)
	yamlPath := path.Join(dir, "example.yaml")
	var errs diag.List
	ex := &Example{Name: name, Title: map[string]string{}, Speedup: true}

	for _, v := range Variants {
		p := path.Join(dir, v, "main.go")
		code, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs.Add(diag.Errorf(yamlPath, 0, 0, "missing variant %s: %s not readable", v, p))
			continue
		}
		if v == "sync" {
			ex.Sync = Source{Path: p, Code: code}
		} else {
			ex.Concurrent = Source{Path: p, Code: code}
		}
		ex.Network = ex.Network || importsNetwork(fsys, path.Join(dir, v))
	}
	if entries, err := fs.ReadDir(fsys, dir); err == nil {
		for _, e := range entries {
			v := e.Name()
			if !e.IsDir() || slices.Contains(Variants, v) {
				continue
			}
			p := path.Join(dir, v, "main.go")
			code, err := fs.ReadFile(fsys, p)
			if err != nil {
				continue // not a program (testdata, notes)
			}
			if !validFolder(v) {
				errs.Add(diag.Errorf(p, 0, 0, "program folder %q: use lower-case letters and digits (it becomes the program's name in the bundle)", v))
				continue
			}
			if ex.Extra == nil {
				ex.Extra = map[string]Source{}
			}
			ex.Extra[v] = Source{Path: p, Code: code}
			ex.Network = ex.Network || importsNetwork(fsys, path.Join(dir, v))
		}
	}

	ex.Python = loadPython(fsys, dir, &errs)

	data, err := fs.ReadFile(fsys, yamlPath)
	if err != nil {
		errs.Add(diag.Errorf(yamlPath, 0, 0, "missing example.yaml"))
		return nil, errs
	}
	d := decoder{path: yamlPath, errs: &errs}
	d.example(data, ex)
	if len(errs) > 0 {
		return nil, errs
	}
	return ex, nil
}

// loadPython reads dir/python/sync.py and async.py: nil without a python folder, an error
// naming the missing file with only one of them.
func loadPython(fsys fs.FS, dir string, errs *diag.List) *PythonPair {
	if st, err := fs.Stat(fsys, path.Join(dir, "python")); err != nil || !st.IsDir() {
		return nil
	}
	pair := &PythonPair{}
	for _, v := range Variants {
		p := path.Join(dir, "python", PythonFiles[v])
		code, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs.Add(diag.Errorf(p, 0, 0, "missing: a Python pair is python/sync.py and python/async.py"))
			continue
		}
		if v == "sync" {
			pair.Sync = Source{Path: p, Code: code}
		} else {
			pair.Concurrent = Source{Path: p, Code: code}
		}
	}
	return pair
}

// decoder walks the YAML AST by hand rather than unmarshalling into a struct,
// because every error must point at the node that caused it.
type decoder struct {
	path string
	errs *diag.List
}

func (d decoder) errorf(n ast.Node, format string, args ...any) {
	line, col := 0, 0
	if n != nil {
		if tk := n.GetToken(); tk != nil && tk.Position != nil {
			line, col = tk.Position.Line, tk.Position.Column
		}
	}
	d.errs.Add(diag.Errorf(d.path, line, col, format, args...))
}

func (d decoder) example(data []byte, ex *Example) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		var yerr yaml.Error
		if errors.As(err, &yerr) && yerr.GetToken() != nil && yerr.GetToken().Position != nil {
			pos := yerr.GetToken().Position
			d.errs.Add(diag.Errorf(d.path, pos.Line, pos.Column, "%s", yerr.GetMessage()))
		} else {
			d.errs.Add(diag.Errorf(d.path, 0, 0, "%v", err))
		}
		return
	}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		d.errs.Add(diag.Errorf(d.path, 1, 1, "want one YAML document with title, net, speedup and params"))
		return
	}
	root := d.mapping(f.Docs[0].Body, "example.yaml")
	if root == nil {
		return
	}
	seen := map[string]bool{}
	for _, kv := range root {
		seen[kv.key] = true
		switch kv.key {
		case "title":
			d.title(kv.value, ex)
		case "net":
			d.boolean(kv.key, kv.value, &ex.Net)
		case "speedup":
			d.boolean(kv.key, kv.value, &ex.Speedup)
		case "cpu":
			d.boolean(kv.key, kv.value, &ex.CPU)
		case "params":
			d.params(kv.value, ex)
		default:
			d.errorf(kv.keyNode, "unknown key %q (want title, net, speedup, cpu, params)", kv.key)
		}
	}
	for _, k := range []string{"title", "params"} {
		if !seen[k] {
			d.errorf(f.Docs[0].Body, "missing %s", k)
		}
	}
}

type keyValue struct {
	key     string
	keyNode ast.Node
	value   ast.Node
}

// boolean sets *v from a YAML true or false, or reports the node.
func (d decoder) boolean(key string, n ast.Node, v *bool) {
	b, ok := n.(*ast.BoolNode)
	if !ok {
		d.errorf(n, "%s: want true or false", key)
		return
	}
	*v = b.Value
}

// mapping returns the pairs of a mapping node in source order, reporting
// duplicate keys (the parser accepts them silently).
func (d decoder) mapping(n ast.Node, what string) []keyValue {
	var pairs []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		pairs = m.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{m}
	default:
		d.errorf(n, "%s: want a mapping", what)
		return nil
	}
	seen := map[string]bool{}
	var out []keyValue
	for _, p := range pairs {
		k := p.Key.String()
		if s, ok := p.Key.(*ast.StringNode); ok {
			k = s.Value
		}
		if seen[k] {
			d.errorf(p.Key, "duplicate key %q", k)
			continue
		}
		seen[k] = true
		out = append(out, keyValue{key: k, keyNode: p.Key, value: p.Value})
	}
	return out
}

func (d decoder) title(n ast.Node, ex *Example) {
	pairs := d.mapping(n, "title")
	if pairs == nil {
		return
	}
	for _, kv := range pairs {
		if !slices.Contains(Languages, kv.key) {
			d.errorf(kv.keyNode, "title: unknown language %q (want %v)", kv.key, Languages)
			continue
		}
		s := scalar(kv.value)
		if s == "" {
			d.errorf(kv.value, "title.%s: want a non-empty string", kv.key)
			continue
		}
		ex.Title[kv.key] = s
	}
	for _, l := range Languages {
		if _, found := d.findKey(pairs, l); !found {
			d.errorf(n, "title: missing %s", l)
		}
	}
}

func (d decoder) params(n ast.Node, ex *Example) {
	pairs := d.mapping(n, "params")
	if pairs == nil {
		return
	}
	byName := map[string]keyValue{}
	for _, kv := range pairs {
		known := false
		for _, pk := range paramKinds {
			known = known || pk.name == kv.key
		}
		if !known {
			d.errorf(kv.keyNode, "params: unknown parameter %q (want tasks, delay, limit)", kv.key)
			continue
		}
		byName[kv.key] = kv
	}
	for _, pk := range paramKinds {
		kv, ok := byName[pk.name]
		if !ok {
			continue
		}
		if p, ok := d.param(kv, pk.kind); ok {
			ex.Params = append(ex.Params, p)
		}
	}
}

func (d decoder) param(kv keyValue, kind string) (Param, bool) {
	p := Param{Name: kv.key, Kind: kind}
	pairs := d.mapping(kv.value, "params."+kv.key)
	if pairs == nil {
		return p, false
	}
	vals := map[string]int64{}
	nodes := map[string]ast.Node{}
	ok := true
	for _, f := range pairs {
		var dst *string
		switch f.key {
		case "default":
			dst = &p.Default
		case "min":
			dst = &p.Min
		case "max":
			dst = &p.Max
		default:
			d.errorf(f.keyNode, "params.%s: unknown key %q (want default, min, max)", kv.key, f.key)
			ok = false
			continue
		}
		s := scalar(f.value)
		v, err := parseValue(kind, s)
		if err != nil {
			d.errorf(f.value, "params.%s.%s: %v", kv.key, f.key, err)
			ok = false
			continue
		}
		*dst = s
		vals[f.key] = v
		nodes[f.key] = f.value
	}
	for _, k := range []string{"default", "min", "max"} {
		if _, found := d.findKey(pairs, k); !found {
			d.errorf(kv.value, "params.%s: missing %s", kv.key, k)
			ok = false
		}
	}
	if !ok {
		return p, false
	}
	switch {
	case vals["min"] > vals["max"]:
		d.errorf(nodes["min"], "params.%s: min %s is greater than max %s", kv.key, p.Min, p.Max)
		ok = false
	case vals["default"] < vals["min"] || vals["default"] > vals["max"]:
		d.errorf(nodes["default"], "params.%s: default %s is outside [%s, %s]", kv.key, p.Default, p.Min, p.Max)
		ok = false
	}
	if kind == "duration" && vals["max"] > int64(maxDelay) {
		d.errorf(nodes["max"], "params.%s: max %s exceeds %s", kv.key, p.Max, maxDelay)
		ok = false
	}
	if kind == "int" && vals["min"] < 1 {
		d.errorf(nodes["min"], "params.%s: min must be at least 1", kv.key)
		ok = false
	}
	return p, ok
}

func (d decoder) findKey(pairs []keyValue, k string) (keyValue, bool) {
	for _, kv := range pairs {
		if kv.key == k {
			return kv, true
		}
	}
	return keyValue{}, false
}

// parseValue returns ints as themselves and durations in nanoseconds so both
// kinds compare the same way.
func parseValue(kind, s string) (int64, error) {
	if kind == "duration" {
		v, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("want a Go duration like 200ms or 1s, got %q", s)
		}
		if v < 0 {
			return 0, fmt.Errorf("negative duration %q", s)
		}
		return int64(v), nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("want an integer, got %q", s)
	}
	return v, nil
}

// scalar returns the text of a scalar node as written; "" for anything else.
func scalar(n ast.Node) string {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.GetToken().Value
	case nil:
		return ""
	}
	if _, ok := n.(ast.ScalarNode); ok && n.Type() != ast.NullType {
		return n.GetToken().Value
	}
	return ""
}

// validFolder reports whether an extra program folder's name is plain: it is part of the program's
// name in a bundle and of page attributes.
func validFolder(v string) bool {
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return v != ""
}
