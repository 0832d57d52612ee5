package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestFormatFillsNamedPlaceholders(t *testing.T) {
	if got := Format("en", "range", "min", "1", "max", "10"); got != "from 1 to 10" {
		t.Errorf("en range: %q", got)
	}
	if got := Format("zh", "notCompared", "v", "并发", "done", "0", "of", "3"); got != "不作比较：并发版只完成了 3 个任务中的 0 个。" {
		t.Errorf("zh notCompared (placeholders in another order): %q", got)
	}
	if got := Format("en", "range", "min", "1"); got != "from 1 to {max}" {
		t.Errorf("a missing value stays visible: %q", got)
	}
	if got := T("fr", "runSync"); got != "Run sync" {
		t.Errorf("unknown language falls back to English: %q", got)
	}
	if got := T("en", "no such key"); got != "" {
		t.Errorf("unknown key: %q", got)
	}
}

// Chinese UI strings use full-width punctuation (，：；（）！？), as the lessons do; ASCII
// punctuation is allowed only inside {placeholders}.
func TestChinesePunctuationIsFullWidth(t *testing.T) {
	for _, k := range Keys() {
		zh := placeholder.ReplaceAllString(table[k].zh, "")
		if i := strings.IndexAny(zh, ",:;()!?"); i >= 0 {
			t.Errorf("%s: zh %q has the ASCII %q; use full-width punctuation (，：；（）！？)", k, table[k].zh, zh[i])
		}
	}
}

func TestEveryTextInBothLanguages(t *testing.T) {
	names := func(s string) []string {
		var out []string
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return out
	}
	for _, k := range Keys() {
		x := table[k]
		if x.en == "" || x.zh == "" && strings.TrimSpace(x.en) != "" { // a separator may be nothing in Chinese
			t.Errorf("%s: en %q, zh %q: both languages are needed", k, x.en, x.zh)
		}
		if a, b := names(x.en), names(x.zh); !slices.Equal(a, b) {
			t.Errorf("%s: placeholders differ: en %v, zh %v", k, a, b)
		}
	}
}

// Every key the templates and the page scripts use is in the table, and every key of the table
// is used (a string nobody reads is a string nobody keeps up to date): named in a template's T
// or Tf, or as a string literal in a script (which may pick a key: t(ok ? "correct" : "incorrect")).
func TestKeysUsedAndDefined(t *testing.T) {
	uses := map[string][]string{}  // key → files
	mentioned := map[string]bool{} // string literals of the scripts
	scan := func(glob string, re *regexp.Regexp) {
		files, err := filepath.Glob(glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("no files match %s (%v)", glob, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllSubmatch(b, -1) {
				uses[string(m[1])] = append(uses[string(m[1])], filepath.Base(f))
			}
			if strings.HasSuffix(f, ".js") {
				for _, m := range regexp.MustCompile(`"(\w+)"`).FindAllSubmatch(b, -1) {
					mentioned[string(m[1])] = true
				}
			}
		}
	}
	scan("../../templates/*.templ", regexp.MustCompile(`\bTf?\([^,()]+,\s*"(\w+)"`))
	scan("../js/*.js", regexp.MustCompile(`\bt\(\s*"(\w+)"`))
	for k, files := range uses {
		if _, ok := table[k]; !ok {
			t.Errorf("%v use the key %q, which the table lacks", files, k)
		}
	}
	// keys the templates pick by a variable: T(lang, s.Variant), T(lang, p.Name)
	dynamic := []string{"sync", "concurrent", "tasks", "delay", "limit"}
	for _, k := range Keys() {
		if _, ok := uses[k]; !ok && !mentioned[k] && !slices.Contains(dynamic, k) {
			t.Errorf("the key %q is not used by any template or script", k)
		}
	}
}

func TestModuleIsStableJSON(t *testing.T) {
	a, b := Module("zh"), Module("zh")
	if string(a) != string(b) {
		t.Fatal("Module is not deterministic")
	}
	for _, want := range []string{"export default {", `"runSync":"运行同步版"`, "};\n"} {
		if !strings.Contains(string(a), want) {
			t.Errorf("zh module lacks %q", want)
		}
	}
	if en := string(Module("en")); !strings.Contains(en, `"runSync":"Run sync"`) || strings.Contains(en, "运行同步版") {
		t.Errorf("en module: %.200s", en)
	}
}
