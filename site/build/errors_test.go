package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"unblocked/site/diag"
)

// edit returns a copy of files with old replaced by new in each named file.
func edit(t *testing.T, files map[string]string, names []string, old, new string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	for _, n := range names {
		if !strings.Contains(out[n], old) {
			t.Fatalf("%s does not contain %q", n, old)
		}
		out[n] = strings.Replace(out[n], old, new, 1)
	}
	return out
}

const (
	en1 = "lessons/en/01-one.md"
	zh1 = "lessons/zh/01-one.md"
	en2 = "lessons/en/02-two.md"
	zh2 = "lessons/zh/02-two.md"
)

// Each broken repository yields exactly these lines, sorted by position,
// all of them at once.
func TestCheckErrors(t *testing.T) {
	t.Parallel()
	both := []string{en1, zh1}
	for _, tc := range []struct {
		name  string
		files func(t *testing.T) map[string]string
		fail  map[string]diag.List // compile errors the fake compiler reports
		want  []string
	}{
		{"unknown playground example", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), both, "::playground{example=sleep", "::playground{example=nope")
		}, nil, []string{
			`lessons/en/01-one.md:10:14: unknown example "nope" (no wasm/nope/example.yaml)`,
			`lessons/zh/01-one.md:10:14: unknown example "nope" (no wasm/nope/example.yaml)`,
		}},
		{"bad parameter value and unknown attribute", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), []string{en1}, "tasks=2}", "tasks=1000 delay=fast color=red}")
		}, nil, []string{
			`lessons/en/01-one.md:10:28: tasks=1000: above the example's maximum 100`,
			`lessons/en/01-one.md:10:39: delay=fast: not a Go duration (like 200ms or 1s)`,
			`lessons/en/01-one.md:10:50: unknown attribute color of playground (allowed: example, tasks, delay, limit)`,
		}},
		{"attribute syntax", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), []string{en1}, "tasks=2}", `tasks="2}`)
		}, nil, []string{
			`lessons/en/01-one.md:10:34: unterminated quoted value of tasks`,
		}},
		{"unknown directive and bad enum value", func(t *testing.T) map[string]string {
			f := edit(t, fixtureFiles(), both, "::playground{example=sleep tasks=2}", "::video{src=x}")
			return edit(t, f, both, "run=concurrent", "run=parallel")
		}, nil, []string{
			`lessons/en/01-one.md:10:1: unknown directive video (want ::playground, :::exercise or :::challenge)`,
			`lessons/en/01-one.md:12:42: run=parallel: want one of sync, concurrent`,
			`lessons/zh/01-one.md:10:1: unknown directive video (want ::playground, :::exercise or :::challenge)`,
			`lessons/zh/01-one.md:12:42: run=parallel: want one of sync, concurrent`,
		}},
		{"dead internal link", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), []string{en1}, "(../two/#second-heading)", "(../three/)")
		}, nil, []string{
			`lessons/en/01-one.md:6:14: dead link "../three/": no page /en/three/`,
		}},
		{"dead anchor", func(t *testing.T) map[string]string {
			f := edit(t, fixtureFiles(), []string{en1}, "(#run-it)", "(#walk-it)")
			return edit(t, f, []string{en1}, "(../two/#second-heading)", "(../two/#third-heading)")
		}, nil, []string{
			`lessons/en/01-one.md:6:14: dead link "../two/#third-heading": /en/two/ has no heading with id "third-heading"`,
			`lessons/en/01-one.md:6:55: dead link "#walk-it": /en/one/ has no heading with id "walk-it"`,
		}},
		{"duplicate exercise id", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), []string{en2, zh2}, "id=two-choice", "id=one-elapsed")
		}, nil, []string{
			`lessons/en/02-two.md:8:1: duplicate exercise id "one-elapsed" (also used at lessons/en/01-one.md:12)`,
			`lessons/zh/02-two.md:8:1: duplicate exercise id "one-elapsed" (also used at lessons/zh/01-one.md:12)`,
		}},
		{"structure differs between languages", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), []string{zh1}, "::playground{example=sleep tasks=2}\n", "")
		}, nil, []string{
			`lessons/zh/01-one.md:11:1: exercise example=sleep id=one-elapsed differs from lessons/en/01-one.md:10, which has playground example=sleep at this place`,
		}},
		{"choice without answers", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), []string{en2, zh2}, "- [x] task 1 start", "- [ ] task 1 start")
		}, nil, []string{
			`lessons/en/02-two.md:8:1: predict=choice: no answer is checked (- [x])`,
			`lessons/zh/02-two.md:8:1: predict=choice: no answer is checked (- [x])`,
		}},
		{"lesson problems pass through", func(t *testing.T) map[string]string {
			f := fixtureFiles()
			delete(f, zh2)
			f[en1] = strings.Replace(f[en1], "Intro", "In\xfftro", 1)
			return f
		}, nil, []string{
			`lessons/en/01-one.md:6:3: invalid UTF-8`,
			`lessons/en/02-two.md: lesson missing in zh: lessons/zh/02-two.md does not exist`,
			`lessons/zh/01-one.md:6:8: dead link "../two/": no page /zh/two/`,
		}},
		{"headings differ between languages", func(t *testing.T) map[string]string {
			f := fixtureFiles()
			f[zh2] = strings.Replace(f[zh2], "\n## ", "\n### ", 1)
			return f
		}, nil, []string{
			`lessons/zh/02-two.md:6:1: level-3 heading "Second heading" where lessons/en/02-two.md:6 has level 2 ("Second heading")`,
		}},
		{"a lesson that does not load is not also a dead link", func(t *testing.T) map[string]string {
			f := fixtureFiles()
			f[en2] = "---\ntitle: [oops\n---\nBody.\n"
			return f
		}, nil, []string{
			`lessons/en/02-two.md:2:8: front matter: sequence end token ']' not found`,
		}},
		{"example does not compile, beside a content problem", func(t *testing.T) map[string]string {
			return edit(t, fixtureFiles(), []string{en1}, "(../two/#second-heading)", "(../three/)")
		}, map[string]diag.List{"wasm/sleep/sync": {diag.Errorf("wasm/sleep/sync/main.go", 13, 14, "undefined: undefinedThing")}}, []string{
			`lessons/en/01-one.md:6:14: dead link "../three/": no page /en/three/`,
			`wasm/sleep/sync/main.go:13:14: undefined: undefinedThing`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := writeRepo(t, tc.files(t))
			b, fc := newTestBuilder(t, root, Options{Dev: true})
			fc.fail = tc.fail
			err := b.Check(context.Background())
			if err == nil {
				t.Fatal("Check found nothing")
			}
			if got, want := err.Error(), strings.Join(tc.want, "\n"); got != want {
				t.Errorf("Check:\n%s\nwant:\n%s", got, want)
			}
			if _, berr := b.Build(context.Background()); berr == nil || berr.Error() != err.Error() {
				t.Errorf("Build must report what Check reports, got:\n%v", berr)
			}
		})
	}
}

// A failed build must not touch the output of the last good one, and a
// failed write must leave the old folder byte for byte.
func TestWriteDirAtomic(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	good := &Site{Files: map[string][]byte{"index.html": []byte("old"), "en/a/index.html": []byte("old a")}}
	if err := good.WriteDir(out); err != nil {
		t.Fatal(err)
	}
	snapshot := func() map[string]string {
		m := map[string]string{}
		err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			m[p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := snapshot()

	// A build that fails never reaches WriteDir; the folder stays.
	root := writeRepo(t, edit(t, fixtureFiles(), []string{en1}, "(../two/#second-heading)", "(../three/)"))
	b, _ := newTestBuilder(t, root, Options{Dev: true})
	if _, err := b.Build(context.Background()); err == nil {
		t.Fatal("broken repo built")
	}
	// A write that fails half-way (the second file cannot be written).
	bad := &Site{Files: map[string][]byte{"a.html": []byte("new"), "b/../../escape": []byte("x")}}
	if err := bad.WriteDir(out); err == nil {
		t.Fatal("WriteDir accepted a path outside the folder")
	}
	bad = &Site{Files: map[string][]byte{"a.html": []byte("new"), "a.html/b": []byte("x")}}
	if err := bad.WriteDir(out); err == nil {
		t.Fatal("WriteDir of an impossible tree succeeded")
	}
	after := snapshot()
	if len(after) != len(before) {
		t.Fatalf("files changed: %v → %v", before, after)
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed: %q → %q", k, v, after[k])
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary folders left behind: %v", entries)
	}
	// A good write replaces everything, stale files included.
	if err := (&Site{Files: map[string][]byte{"index.html": []byte("new")}}).WriteDir(out); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(); len(got) != 1 || got[filepath.Join(out, "index.html")] != "new" {
		t.Errorf("after a good write: %v", got)
	}
}

// A build killed while writing leaves its temporary sibling folder (and, between the two
// renames, the previous site moved aside); the next write removes them and nothing else.
func TestWriteDirRemovesWhatAKilledWriteLeft(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	if err := (&Site{Files: map[string][]byte{"index.html": []byte("old")}}).WriteDir(out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{".public.new-123", ".public.new-456.old", ".public.new-789/en/a"} {
		if err := os.MkdirAll(filepath.Join(parent, filepath.FromSlash(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(parent, filepath.FromSlash(name), "index.html"), []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// not ours: another folder's leftovers and a file that merely looks alike
	for _, name := range []string{".other.new-1", ".public.new-file"} {
		if err := os.WriteFile(filepath.Join(parent, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := (&Site{Files: map[string][]byte{"index.html": []byte("new")}}).WriteDir(out); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != ".other.new-1 .public.new-file public" {
		t.Errorf("after the write the parent holds %s", got)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "new" {
		t.Errorf("index.html = %q", b)
	}
}
