// Package language is the one list of the workbook's languages. Lessons live in
// lessons/<code>/, pages under /<code>/<slug>/, and every page declares its language with
// the code's BCP 47 tag: the Chinese lessons are written in Simplified Chinese, which
// screen readers and font selection learn from lang="zh-Hans", not from "zh".
package language

// Language is one language of the workbook.
type Language struct {
	Code  string // "zh": the lessons folder, the URL segment, site-config.lang
	Tag   string // "zh-Hans": the lang and hreflang attributes of pages
	Label string // "中文": its name in itself, for the language switch
}

// all is in display order; the first language is the reference the others are checked
// against (same lessons, same outline, same widgets).
var all = []Language{
	{Code: "en", Tag: "en", Label: "English"},
	{Code: "zh", Tag: "zh-Hans", Label: "中文"},
}

// Codes returns the language codes in display order: the list every stage iterates.
func Codes() []string {
	codes := make([]string, len(all))
	for i, l := range all {
		codes[i] = l.Code
	}
	return codes
}

// Tag returns the BCP 47 tag pages declare for code; an unknown code is its own tag.
func Tag(code string) string { return lookup(code).Tag }

// Label returns code's name in itself ("中文"); an unknown code is its own label.
func Label(code string) string { return lookup(code).Label }

func lookup(code string) Language {
	for _, l := range all {
		if l.Code == code {
			return l
		}
	}
	return Language{Code: code, Tag: code, Label: code}
}
