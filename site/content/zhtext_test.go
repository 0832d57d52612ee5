package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"unblocked/site/markdown"
)

func typography(t *testing.T, path, src string) []string {
	t.Helper()
	doc := markdown.New(markdown.Options{}).Parse([]byte(src))
	var got []string
	for _, e := range CheckTypography(path, doc) {
		got = append(got, e.Error())
	}
	return got
}

func TestChineseTypography(t *testing.T) {
	const fm = "---\ntitle: 标题\nsummary: 一句话。\n---\n\n"
	const p = "lessons/zh/01-x.md"
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"full-width punctuation passes", "好的，走吧：今天（周一）去；行吗？行！\n", nil},
		{"ASCII comma", "好的,走吧。\n", []string{p + `:6:7: ASCII "," in Chinese prose (use "，")`}},
		{"every kind", "甲:乙;丙(丁)戊?己!\n", []string{
			p + `:6:4: ASCII ":" in Chinese prose (use "：")`,
			p + `:6:8: ASCII ";" in Chinese prose (use "；")`,
			p + `:6:12: ASCII "(" in Chinese prose (use "（")`,
			p + `:6:16: ASCII ")" in Chinese prose (use "）")`,
			p + `:6:20: ASCII "?" in Chinese prose (use "？")`,
			p + `:6:24: ASCII "!" in Chinese prose (use "！")`,
		}},
		{"sentence end and ellipsis", "完了. 还有...\n", []string{
			p + `:6:7: ASCII "." after Chinese (use "。")`,
			p + `:6:15: ASCII "..." in Chinese prose (use "……")`,
		}},
		{"code, numbers, URLs and directives keep theirs",
			"用 `f(a, b)` 和 `x: y`，共 10,000 个，10:30 开始，版本 3.11，见 https://go.dev/doc/?q=1，或 r.Context() 的说明。\n\n" +
				"```go\nfmt.Println(\"a, b\") // 注释,照旧\n```\n\n::playground{example=sleep tasks=5}\n\n" +
				"<div title=\"a, b\">x</div>\n\n[一个 goroutine](../goroutines/)。\n", nil},
		{"Latin-only blocks keep theirs", "- Which line comes first?\n\n| `net/http` (`http.Client`) | Go, natively |\n|---|---|\n", nil},
		{"spacing with Latin and code", "用Go写3个 goroutine，在`x`里，`y`中。\n", []string{
			p + `:6:4: no space between Chinese and Latin text in "用G"`,
			p + `:6:6: no space between Chinese and Latin text in "o写"`,
			p + `:6:9: no space between Chinese and Latin text in "写3"`,
			p + `:6:10: no space between Chinese and Latin text in "3个"`,
			p + `:6:26: no space between Chinese and code in "在` + "`…`" + `"`,
			p + `:6:32: no space between code and Chinese in "` + "`…`" + `里"`,
			p + `:6:41: no space between code and Chinese in "` + "`…`" + `中"`,
		}},
		{"space around full-width punctuation", "好的 ，走吧（ 现在）。\n", []string{
			p + `:6:7: space before "，" in Chinese prose`,
			p + `:6:20: space after "（" in Chinese prose`,
		}},
		{"headings, lists, tables and emphasis are prose", "## 标题:副题\n\n- 一,二\n\n| 甲 | 乙 |\n|---|---|\n| 丙,丁 | **戊,己** |\n", []string{
			p + `:6:10: ASCII ":" in Chinese prose (use "：")`,
			p + `:8:6: ASCII "," in Chinese prose (use "，")`,
			p + `:12:6: ASCII "," in Chinese prose (use "，")`,
			p + `:12:18: ASCII "," in Chinese prose (use "，")`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := typography(t, p, fm+tc.body)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestChineseTypographyFrontMatter(t *testing.T) {
	src := "---\ntitle: 一个线程,上万个等待\nsummary: \"为什么(以及怎样)\"\nsection: \"同步 vs 异步:一个简单对比\"\n---\n\n正文。\n"
	got := typography(t, "lessons/zh/01-x.md", src)
	want := []string{
		`lessons/zh/01-x.md:2:20: ASCII "," in Chinese prose (use "，")`,
		`lessons/zh/01-x.md:3:20: ASCII "(" in Chinese prose (use "（")`,
		`lessons/zh/01-x.md:3:33: ASCII ")" in Chinese prose (use "）")`,
	} // section quotes the article's own heading: not checked
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTypographyOnlyChinese(t *testing.T) {
	if got := typography(t, "lessons/en/01-x.md", "---\ntitle: T\nsummary: S\n---\n\n好的,走吧. Fine, ok:\n"); got != nil {
		t.Errorf("English lesson: %q", got)
	}
}

// The loader reports typography like any other content error.
func TestLoadReportsChineseTypography(t *testing.T) {
	fsys := fstest.MapFS{
		"lessons/en/01-one.md": file(good),
		"lessons/zh/01-one.md": file("---\ntitle: 一\nsummary: 一。\n---\n\n你好,世界。\n"),
	}
	_, err := (&Loader{MD: markdown.New(markdown.Options{})}).Load(fsys)
	if err == nil || err.Error() != `lessons/zh/01-one.md:6:7: ASCII "," in Chinese prose (use "，")` {
		t.Fatalf("Load: %v", err)
	}
}

// The workbook's own lessons follow the rules.
func TestRepoLessonsTypography(t *testing.T) {
	files, err := filepath.Glob("../../lessons/zh/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Chinese lessons: %v", err)
	}
	md := markdown.New(markdown.Options{})
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range CheckTypography("lessons/zh/"+filepath.Base(f), md.Parse(src)) {
			t.Error(e)
		}
	}
}
