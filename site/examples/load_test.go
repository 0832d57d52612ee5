package examples

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// lessonExamples are the names lessons refer to; renaming one breaks them.
var lessonExamples = []string{
	"cancel", "channels", "crawler", "fanout", "forgetwait", "gather", "leak", "race",
	"rewrite", "sleep", "starve", "thousands", "ticker", "timeout",
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
	for _, ex := range exs {
		if ex.Net != net[ex.Name] {
			t.Errorf("%s: net = %v, want %v", ex.Name, ex.Net, net[ex.Name])
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
