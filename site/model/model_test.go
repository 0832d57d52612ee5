package model

import (
	"strings"
	"testing"
	"testing/fstest"

	"unblocked/site/content"
	"unblocked/site/examples"
	"unblocked/site/markdown"
	"unblocked/site/markdown/directive"
)

func TestPageIDs(t *testing.T) {
	d := func(name string, attrs ...string) *directive.Node {
		n := &directive.Node{Name: name}
		for i := 0; i < len(attrs); i += 2 {
			n.Attrs = append(n.Attrs, directive.Attr{Key: attrs[i], Value: attrs[i+1]})
		}
		return n
	}
	got := PageIDs([]*directive.Node{
		d("playground", "example", "sleep"), d("exercise", "id", "e1", "example", "sleep"), d("playground", "example", "fetch"),
		d("playground", "example", "sleep"), d("challenge", "id", "c1"), d("video"),
	})
	if want := "pg-sleep-1 ex-e1 pg-fetch-1 pg-sleep-2 ch-c1 "; strings.Join(got, " ") != want {
		t.Errorf("PageIDs = %q, want %q", strings.Join(got, " "), want)
	}
	if u := LessonURL("/sub/", "zh", "goroutines"); u != "/sub/zh/goroutines/" {
		t.Errorf("LessonURL = %s", u)
	}
}

const (
	one = "---\ntitle: One\nsummary: S.\n---\n\n::playground{example=sleep tasks=7}\n\n:::exercise{id=pick example=sleep run=sync predict=choice}\nWhich?\n\n- [ ] a\n- [x] b\n:::\n\n::playground{example=sleep}\n"
	two = "---\ntitle: Two\nsummary: S.\n---\n\nSee [one](../one/#pg-sleep-2) and [pick](../one/#ex-pick).\n"
)

// loadFixture loads lessons one and two (as given) in both languages.
func loadFixture(t *testing.T, one, two string) *content.Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, lang := range []string{"en", "zh"} {
		fsys["lessons/"+lang+"/01-one.md"] = &fstest.MapFile{Data: []byte(one)}
		fsys["lessons/"+lang+"/02-two.md"] = &fstest.MapFile{Data: []byte(two)}
	}
	set, err := (&content.Loader{MD: markdown.New(markdown.Options{})}).Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func resolveFixture(t *testing.T, modules map[string]string) (*Site, error) {
	t.Helper()
	set := loadFixture(t, one, two)
	exs := map[string]*examples.Example{"sleep": {
		Name: "sleep", Title: map[string]string{"en": "Sleeping tasks", "zh": "睡眠任务"}, Speedup: true,
		Params:     []examples.Param{{Name: "tasks", Kind: "int", Default: "5", Min: "1", Max: "10"}},
		Sync:       examples.Source{Path: "wasm/sleep/sync/main.go", Code: []byte("package main // s")},
		Concurrent: examples.Source{Path: "wasm/sleep/concurrent/main.go", Code: []byte("package main // c")},
	}}
	m, errs := Resolve(Input{Base: "/b/", Lessons: set, Examples: exs, Modules: modules})
	return m, errs.Err()
}

func TestResolve(t *testing.T) {
	m, err := resolveFixture(t, map[string]string{"examples": "/b/wasm/examples.0123456789.wasm"})
	if err != nil {
		t.Fatal(err)
	}
	one, two := m.Lesson("en", "one"), m.Lesson("en", "two")
	if one.URL != "/b/en/one/" || one.Next != two || two.Prev != one || one.Prev != nil || two.Next != nil {
		t.Errorf("URL %s, neighbours %p %p %p %p", one.URL, one.Prev, one.Next, two.Prev, two.Next)
	}
	if len(one.Translations) != 1 || one.Translations[0] != m.Lesson("zh", "one") {
		t.Errorf("translations of en/one: %v", one.Translations)
	}
	if got := strings.Join(m.PageURLs(), " "); got != "/b/ /b/en/ /b/en/one/ /b/en/two/ /b/zh/ /b/zh/one/ /b/zh/two/" {
		t.Errorf("PageURLs = %s", got)
	}
	if len(one.Widgets) != len(one.Doc.Directives) {
		t.Fatalf("%d widgets for %d directives", len(one.Widgets), len(one.Doc.Directives))
	}
	pg, ex := one.Widgets[0], one.Widgets[1]
	if pg.PageID != "pg-sleep-1" || one.Widgets[2].PageID != "pg-sleep-2" || ex.PageID != "ex-pick" || ex.ID != "pick" {
		t.Errorf("ids %s %s %s", pg.PageID, ex.PageID, one.Widgets[2].PageID)
	}
	if pg.Title != "Sleeping tasks" || m.Lesson("zh", "one").Widgets[0].Title != "睡眠任务" || pg.Params[0].Value != "7" || one.Widgets[2].Params[0].Value != "5" {
		t.Errorf("title %q, params %+v %+v", pg.Title, pg.Params, one.Widgets[2].Params)
	}
	if pg.Programs["sync"] != "/b/wasm/examples.0123456789.wasm#sleep/sync" || pg.Programs["concurrent"] != "/b/wasm/examples.0123456789.wasm#sleep/concurrent" {
		t.Errorf("programs %v", pg.Programs)
	}
	if len(pg.Sources) != 2 || pg.Sources[0].Variant != "sync" || pg.Sources[1].Path != "wasm/sleep/concurrent/main.go" {
		t.Errorf("sources %+v", pg.Sources)
	}
	if len(ex.Choices) != 2 || ex.Choices[0].Accepted || !ex.Choices[1].Accepted {
		t.Errorf("choices %+v", ex.Choices)
	}
}

// A link to a widget uses the same id rule as the widget itself.
func TestLinksToWidgets(t *testing.T) {
	set := loadFixture(t, one, strings.Replace(two, "#pg-sleep-2", "#pg-sleep-3", 1))
	_, errs := Resolve(Input{Base: "/", Lessons: set})
	want := `lessons/en/02-two.md:6:5: dead link "../one/#pg-sleep-3": /en/one/ has no heading with id "pg-sleep-3"` + "\n" +
		`lessons/zh/02-two.md:6:5: dead link "../one/#pg-sleep-3": /zh/one/ has no heading with id "pg-sleep-3"`
	if errs.Sort(); errs.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", errs, want)
	}
}
