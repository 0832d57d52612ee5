package examples

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"unblocked/site/gowasm"
)

// lessonExamples are the names lessons refer to; renaming one breaks them.
var lessonExamples = []string{
	"cancel", "channels", "counter", "crawler", "dbpool", "fanout", "firstreply", "forgetwait",
	"gather", "leak", "pipeline", "race", "ratelimit", "rewrite", "server", "shutdown", "sleep",
	"starve", "thousands", "ticker", "timeout",
}

func TestLoadRepo(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	exs, err := Load(os.DirFS(root))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var names []string
	for n := range exs {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, lessonExamples) {
		t.Fatalf("examples %v, want %v", names, lessonExamples)
	}
	net := map[string]bool{"gather": true, "crawler": true, "timeout": true, "rewrite": true, "fanout": true, "cancel": true}
	// server and shutdown run an http.Server in memory: no lab, but the net/http bundle
	network := map[string]bool{"server": true, "shutdown": true}
	for _, ex := range exs {
		if ex.Net != net[ex.Name] {
			t.Errorf("%s: net = %v, want %v", ex.Name, ex.Net, net[ex.Name])
		}
		if want := net[ex.Name] || network[ex.Name]; (BundleOf(ex) == "examples-net") != want {
			t.Errorf("%s: in bundle %s, want the net/http one: %v", ex.Name, BundleOf(ex), want)
		}
		if ex.Title["en"] == "" || ex.Title["zh"] == "" {
			t.Errorf("%s: titles %v", ex.Name, ex.Title)
		}
		if len(ex.Params) < 2 || ex.Params[0].Name != "tasks" || ex.Params[1].Name != "delay" || ex.Params[1].Kind != "duration" {
			t.Errorf("%s: params %+v, want tasks, delay first", ex.Name, ex.Params)
		}
		if ex.Sync.Path != "wasm/"+ex.Name+"/sync/main.go" || !strings.Contains(string(ex.Concurrent.Code), "package main") {
			t.Errorf("%s: sources %q %q", ex.Name, ex.Sync.Path, ex.Concurrent.Path)
		}
	}
	for _, name := range []string{"sleep", "thousands"} {
		if got := exs[name].Params[0].Max; got != "10000" {
			t.Errorf("%s: tasks max %s, want 10000", name, got)
		}
	}
}

func TestLoadParsesFields(t *testing.T) {
	fsys := fstest.MapFS{
		"wasm/x/example.yaml":       {Data: []byte("title: {en: X, zh: 叉}\nnet: true\nparams:\n  limit: {default: 2, min: 1, max: 9}\n  tasks: {default: 5, min: 1, max: 10}\n  delay: {default: 200ms, min: 0s, max: 10s}\n")},
		"wasm/x/sync/main.go":       {Data: []byte("package main\n")},
		"wasm/x/concurrent/main.go": {Data: []byte("package main\nfunc main() {}\n")},
	}
	exs, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ex := exs["x"]
	want := []Param{
		{"tasks", "int", "5", "1", "10"},
		{"delay", "duration", "200ms", "0s", "10s"},
		{"limit", "int", "2", "1", "9"},
	}
	if !slices.Equal(ex.Params, want) {
		t.Errorf("params %+v, want %+v (fixed order)", ex.Params, want)
	}
	if !ex.Net || ex.Title["zh"] != "叉" || string(ex.Concurrent.Code) != "package main\nfunc main() {}\n" {
		t.Errorf("got %+v", ex)
	}
}

func TestLoadErrors(t *testing.T) {
	good := "title: {en: X, zh: 叉}\nparams:\n  tasks: {default: 5, min: 1, max: 10}\n"
	for _, tc := range []struct {
		name, yaml string
		noConc     bool
		want       []string
	}{
		{"unknown key", good + "colour: red\n", false,
			[]string{"wasm/x/example.yaml:4:1: unknown key \"colour\""}},
		{"bad default", "title: {en: X, zh: 叉}\nparams:\n  delay: {default: soon, min: 0s, max: 10s}\n", false,
			[]string{"wasm/x/example.yaml:3:20: params.delay.default: want a Go duration"}},
		{"min above max", "title: {en: X, zh: 叉}\nparams:\n  tasks: {default: 5, min: 9, max: 3}\n", false,
			[]string{"wasm/x/example.yaml:3:28: params.tasks: min 9 is greater than max 3"}},
		{"default outside", "title: {en: X, zh: 叉}\nparams:\n  tasks: {default: 50, min: 1, max: 10}\n", false,
			[]string{"wasm/x/example.yaml:3:20: params.tasks: default 50 is outside [1, 10]"}},
		{"delay too long", "title: {en: X, zh: 叉}\nparams:\n  delay: {default: 1s, min: 0s, max: 1m}\n", false,
			[]string{"wasm/x/example.yaml:3:38: params.delay: max 1m exceeds 10s"}},
		{"missing zh and variant", "title: {en: X}\nparams:\n  tasks: {default: 5, min: 1, max: 10}\n", true,
			[]string{"wasm/x/example.yaml: missing variant concurrent", "wasm/x/example.yaml:1:8: title: missing zh"}},
		{"unknown param and field", "title: {en: X, zh: 叉}\nparams:\n  speed: {default: 1, min: 1, max: 2}\n  tasks: {default: 5, min: 1, max: 10, step: 1}\n", false,
			[]string{"wasm/x/example.yaml:3:3: params: unknown parameter \"speed\"", "wasm/x/example.yaml:4:40: params.tasks: unknown key \"step\""}},
		{"syntax", "title: {en: X, zh: 叉\nparams: [\n", false,
			[]string{"wasm/x/example.yaml:"}},
		{"net not bool", good + "net: yes please\n", false,
			[]string{"wasm/x/example.yaml:4:6: net: want true or false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"wasm/x/example.yaml": {Data: []byte(tc.yaml)},
				"wasm/x/sync/main.go": {Data: []byte("package main\n")},
			}
			if !tc.noConc {
				fsys["wasm/x/concurrent/main.go"] = &fstest.MapFile{Data: []byte("package main\n")}
			}
			exs, err := Load(fsys)
			if err == nil {
				t.Fatalf("no error; loaded %+v", exs["x"])
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(tc.want) {
				t.Fatalf("errors:\n%s\nwant %d of them: %q", err, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("error %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}

func TestBundleOfNetworkPrograms(t *testing.T) {
	yaml := func(net bool) []byte {
		return []byte(fmt.Sprintf("title: {en: X, zh: 叉}\nnet: %v\nparams:\n  tasks: {default: 5, min: 1, max: 10}\n", net))
	}
	plain := []byte("package main\n\nimport (\n\t\"fmt\"\n\t\"net/url\"\n)\n\nfunc main() { fmt.Println(url.PathEscape(\"a b\")) }\n")
	server := []byte("package main\n\nimport \"net/http\"\n\nfunc main() { _ = http.Server{} }\n")
	fsys := fstest.MapFS{
		// an in-process http.Server in one variant (in a second file), no lab URLs: net: false
		"wasm/server/example.yaml":          {Data: yaml(false)},
		"wasm/server/sync/main.go":          {Data: plain},
		"wasm/server/concurrent/main.go":    {Data: plain},
		"wasm/server/concurrent/handler.go": {Data: server},
		// net: true without importing net itself (say, through a helper) still means the lab
		"wasm/lab/example.yaml":         {Data: yaml(true)},
		"wasm/lab/sync/main.go":         {Data: plain},
		"wasm/lab/concurrent/main.go":   {Data: plain},
		"wasm/plain/example.yaml":       {Data: yaml(false)},
		"wasm/plain/sync/main.go":       {Data: plain},
		"wasm/plain/concurrent/main.go": {Data: plain},
		// a test file's imports are not the program's
		"wasm/plain/sync/main_test.go": {Data: server},
	}
	exs, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"server": "examples-net", "lab": "examples-net", "plain": "examples"} {
		if got := BundleOf(exs[name]); got != want {
			t.Errorf("%s: bundle %s, want %s", name, got, want)
		}
	}
	if exs["server"].Net || !exs["server"].Network {
		t.Errorf("server: net %v (the -base flag), network %v", exs["server"].Net, exs["server"].Network)
	}
	b := Bundles(exs)
	if len(b["examples-net"]) != 4 || len(b["examples"]) != 2 {
		t.Errorf("bundles %v", b)
	}
}

// TestLinksNetwork checks the rule against the standard library of the toolchain: every package
// for js/wasm that depends on net, and no other.
func TestLinksNetwork(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", "std")
	cmd.Env = gowasm.Env()
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if strings.Contains(f[0], "internal") || strings.HasPrefix(f[0], "vendor/") {
			continue
		}
		want := f[0] == "net" || slices.Contains(f[1:], "net")
		if got := linksNetwork(f[0]); got != want {
			t.Errorf("%s: %v, want %v", f[0], got, want)
		}
		if want {
			n++
		}
	}
	if n < 10 || !linksNetwork("net/http") || linksNetwork("golang.org/x/sync/errgroup") {
		t.Errorf("%d network packages in std", n)
	}
}

// A python/ folder is the example's Python pair: sync.py and async.py, both or an error naming
// the missing one; without the folder there is none. The repository's pairs are the ones the
// lessons show.
func TestLoadPython(t *testing.T) {
	base := fstest.MapFS{
		"wasm/x/example.yaml":       {Data: []byte("title: {en: X, zh: 叉}\nparams:\n  tasks: {default: 5, min: 1, max: 10}\n")},
		"wasm/x/sync/main.go":       {Data: []byte("package main\n")},
		"wasm/x/concurrent/main.go": {Data: []byte("package main\n")},
	}
	exs, err := Load(base)
	if err != nil || exs["x"].Python != nil {
		t.Fatalf("no python folder: %v, pair %+v", err, exs["x"].Python)
	}
	base["wasm/x/python/sync.py"] = &fstest.MapFile{Data: []byte("import time\n")}
	if _, err := Load(base); err == nil || !strings.HasPrefix(err.Error(), "wasm/x/python/async.py: missing") {
		t.Errorf("half a pair: error %v, want one naming wasm/x/python/async.py", err)
	}
	base["wasm/x/python/async.py"] = &fstest.MapFile{Data: []byte("import asyncio\n")}
	exs, err = Load(base)
	if err != nil {
		t.Fatal(err)
	}
	if p := exs["x"].Python; p == nil || p.Sync.Path != "wasm/x/python/sync.py" || string(p.Concurrent.Code) != "import asyncio\n" {
		t.Errorf("pair %+v", p)
	}

	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	repo, err := Load(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	var with []string
	for name, ex := range repo {
		if ex.Python != nil {
			with = append(with, name)
		}
	}
	slices.Sort(with)
	if want := []string{"gather", "sleep", "starve", "thousands"}; !slices.Equal(with, want) {
		t.Errorf("Python pairs %v, want %v", with, want)
	}
}
