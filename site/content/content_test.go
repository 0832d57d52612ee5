package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"unblocked/site/markdown"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

const good = "---\ntitle: One\nsummary: The first.\n---\n\n# One\n\nText.\n"

func TestLoadGood(t *testing.T) {
	fsys := fstest.MapFS{
		"lessons/en/01-one.md":  file(good),
		"lessons/en/00-zero.md": file("---\ntitle: Zero\nsummary: Z.\nsection: \"同步 vs 异步\"\n---\nHi\n"),
		"lessons/zh/01-one.md":  file(good),
		"lessons/zh/00-zero.md": file("---\ntitle: 零\nsummary: 零。\n---\n你好\n"),
	}
	set, err := Load(fsys, markdown.New(markdown.Options{}))
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
			_, err := Load(fsys, markdown.New(markdown.Options{}))
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
	_, err := Load(fsys, markdown.New(markdown.Options{}))
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
