package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"unblocked/site/markdown"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func load(fsys fstest.MapFS) (*Set, error) {
	return (&Loader{MD: markdown.New(markdown.Options{})}).Load(fsys)
}

const good = "---\ntitle: One\nsummary: The first.\n---\n\n# One\n\nText.\n"

func TestLoadGood(t *testing.T) {
	fsys := fstest.MapFS{
		"lessons/en/01-one.md":  file(good),
		"lessons/en/00-zero.md": file("---\ntitle: Zero\nsummary: Z.\nsection: \"同步 vs 异步\"\n---\nHi\n"),
		"lessons/zh/01-one.md":  file(good),
		"lessons/zh/00-zero.md": file("---\ntitle: 零\nsummary: 零。\n---\n你好\n"),
	}
	set, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	en := set.ByLang["en"]
	if len(en) != 2 || en[0].Slug != "zero" || en[1].Slug != "one" || en[0].Section != "同步 vs 异步" {
		t.Fatalf("en lessons out of order or wrong: %+v %+v", en[0], en[1])
	}
	if set.Lesson("zh", "zero").Title != "零" {
		t.Fatal("zh title")
	}
}

// Every bad input yields exactly these lines, so authors get stable,
// clickable positions.
func TestLoadErrors(t *testing.T) {
	zhOne := file(good)
	for _, tc := range []struct {
		name string
		file string // lessons/en/<file>; lessons/zh/01-one.md is always present
		src  string
		want string
	}{
		{"malformed front matter", "01-one.md", "---\ntitle: One\nsummary: [oops\n---\n\nBody\n",
			"lessons/en/01-one.md:3:10: front matter: sequence end token ']' not found"},
		{"unknown front matter key", "01-one.md", "---\ntitle: One\nsummary: S\ntitel: x\n---\nBody\n",
			"lessons/en/01-one.md:4:1: front matter: unknown field \"titel\""},
		{"missing title", "01-one.md", "---\nsummary: S\n---\nBody\n",
			"lessons/en/01-one.md:1:1: front matter: missing title"},
		{"empty summary", "01-one.md", "---\ntitle: T\nsummary: \"\"\n---\nBody\n",
			"lessons/en/01-one.md:3:1: front matter: summary is empty"},
		{"no front matter", "01-one.md", "# One\n",
			"lessons/en/01-one.md:1:1: missing front matter: the file must start with a --- line, then title: and summary:, then ---"},
		{"unclosed front matter", "01-one.md", "---\ntitle: T\nsummary: S\n",
			"lessons/en/01-one.md:1:1: front matter is not closed by a --- line"},
		{"invalid UTF-8", "01-one.md", "---\ntitle: T\nsummary: S\n---\n\nab\xffc\n",
			"lessons/en/01-one.md:6:3: invalid UTF-8"},
		{"NUL byte", "01-one.md", "---\ntitle: T\nsummary: S\n---\n\nOne\n\ntwo\x00three\n",
			"lessons/en/01-one.md:8:4: NUL byte (U+0000): a lesson is text; delete it"},
		{"NUL byte after a byte-order mark", "01-one.md", "\xef\xbb\xbf---\ntitle: T\nsummary: S\n---\n\x00\n",
			"lessons/en/01-one.md:5:1: NUL byte (U+0000): a lesson is text; delete it"},
		{"byte-order mark, then a problem on the first line", "01-one.md", "\xef\xbb\xbf# One\n",
			"lessons/en/01-one.md:1:1: missing front matter: the file must start with a --- line, then title: and summary:, then ---"},
		{"byte-order mark, then a YAML problem", "01-one.md", "\xef\xbb\xbf---\ntitle: One\nsummary: [oops\n---\n\nBody\n",
			"lessons/en/01-one.md:3:10: front matter: sequence end token ']' not found"},
		{"empty lesson", "01-one.md", "---\ntitle: T\nsummary: S\n---\n\n  \n",
			"lessons/en/01-one.md:5: empty lesson: no Markdown after the front matter"},
		{"bad file name", "1-one.md", good,
			"lessons/en/1-one.md: bad file name: want NN-slug.md (two digits, then lower-case words joined by -)\n" +
				"lessons/zh/01-one.md: lesson missing in en: lessons/en/01-one.md does not exist"},
		{"missing in one language", "02-two.md", good,
			"lessons/en/02-two.md: lesson missing in zh: lessons/zh/02-two.md does not exist\n" +
				"lessons/zh/01-one.md: lesson missing in en: lessons/en/01-one.md does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"lessons/en/" + tc.file: file(tc.src), "lessons/zh/01-one.md": zhOne}
			_, err := load(fsys)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestDuplicateSlugAndMissing(t *testing.T) {
	fsys := fstest.MapFS{
		"lessons/en/01-one.md": file(good),
		"lessons/en/02-one.md": file(good),
		"lessons/en/03-two.md": file(good),
		"lessons/zh/01-one.md": file(good),
	}
	_, err := load(fsys)
	want := strings.Join([]string{
		`lessons/en/02-one.md: duplicate slug "one" (also lessons/en/01-one.md)`,
		"lessons/en/03-two.md: lesson missing in zh: lessons/zh/03-two.md does not exist",
	}, "\n")
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
}

// A cached parse must be reused only for identical content.
func TestLoaderCache(t *testing.T) {
	fsys := fstest.MapFS{"lessons/en/01-one.md": file(good), "lessons/zh/01-one.md": file(good)}
	ld := &Loader{MD: markdown.New(markdown.Options{})}
	a, err := ld.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ld.Load(fsys)
	if a.ByLang["en"][0].Doc != b.ByLang["en"][0].Doc {
		t.Error("unchanged lesson parsed again")
	}
	fsys["lessons/en/01-one.md"] = file(strings.Replace(good, "Text.", "Changed.", 1))
	c, _ := ld.Load(fsys)
	if c.ByLang["en"][0].Doc == a.ByLang["en"][0].Doc {
		t.Error("changed lesson served from cache")
	}
}

// Windows editors may start a file with a byte-order mark: the lesson loads as if it were
// not there, and positions count from the first character an editor shows.
func TestByteOrderMarkAccepted(t *testing.T) {
	bom := "\xef\xbb\xbf"
	fsys := fstest.MapFS{
		"lessons/en/01-one.md": file(bom + good),
		"lessons/zh/01-one.md": file(good),
	}
	set, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	l := set.Lesson("en", "one")
	if l.Title != "One" || len(l.Doc.Headings) != 1 || l.Doc.Headings[0].Line != 6 {
		t.Errorf("lesson with a BOM: title %q, headings %+v", l.Title, l.Doc.Headings)
	}
}

// A translation has the English lesson's outline and widgets; the first difference is
// reported at its place.
func TestTranslationsMatch(t *testing.T) {
	en := "---\ntitle: One\nsummary: S.\n---\n\n## A\n\n::playground{example=sleep}\n\n### B\n\n:::exercise{id=x example=sleep}\nQ\n:::\n"
	for _, tc := range []struct{ name, zh, want string }{
		{"same", en, ""},
		{"heading level", strings.Replace(en, "### B", "## B", 1),
			`lessons/zh/01-one.md:10:1: level-2 heading "B" where lessons/en/01-one.md:10 has level 3 ("B")`},
		{"heading missing", strings.Replace(en, "### B\n", "", 1),
			`lessons/zh/01-one.md: missing a level-3 heading: lessons/en/01-one.md:10 has "B" (it has 2 headings, this file 1)`},
		{"extra heading", en + "\n## C\n",
			`lessons/zh/01-one.md:16:1: level-2 heading "C" has no counterpart in lessons/en/01-one.md (it has 2 headings, this file 3)`},
		{"other example", strings.Replace(en, "::playground{example=sleep}", "::playground{example=fetch}", 1),
			"lessons/zh/01-one.md:8:1: playground example=fetch differs from lessons/en/01-one.md:8, which has playground example=sleep at this place"},
		{"directive missing", strings.Replace(en, ":::exercise{id=x example=sleep}\nQ\n:::\n", "", 1),
			"lessons/zh/01-one.md: missing exercise example=sleep id=x: lessons/en/01-one.md:12 has it (it has 2 directives, this file 1)"},
		{"extra directive", en + "\n::playground{example=sleep}\n",
			"lessons/zh/01-one.md:16:1: playground example=sleep has no counterpart in lessons/en/01-one.md (it has 2 directives, this file 3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(fstest.MapFS{"lessons/en/01-one.md": file(en), "lessons/zh/01-one.md": file(tc.zh)})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// A file that does not load is remembered as broken (its links are not dead links on top),
// and the cache forgets files that are gone.
func TestBrokenAndForgotten(t *testing.T) {
	fsys := fstest.MapFS{
		"lessons/en/01-one.md": file(good), "lessons/zh/01-one.md": file(good),
		"lessons/en/02-two.md": file("no front matter\n"), "lessons/zh/02-two.md": file(good),
	}
	ld := &Loader{MD: markdown.New(markdown.Options{})}
	set, err := ld.Load(fsys)
	if err == nil || !set.Broken[Ref{"en", "two"}] || set.Broken[Ref{"zh", "two"}] || len(set.ByLang["en"]) != 1 {
		t.Fatalf("broken: %v, en lessons %d, err %v", set.Broken, len(set.ByLang["en"]), err)
	}
	delete(fsys, "lessons/en/02-two.md")
	delete(fsys, "lessons/zh/02-two.md")
	if _, err := ld.Load(fsys); err != nil {
		t.Fatal(err)
	}
	if len(ld.cache) != 2 {
		t.Errorf("the cache holds %d files after two were deleted, want 2", len(ld.cache))
	}
}
