// Package templates holds the page and widget components (templ). The
// builder fills the view types below; nothing here reads files or knows
// about goldmark, so the markup can be tested with plain values.
package templates

import "html/template"

// Page is what every page's layout needs.
type Page struct {
	Lang        string // "en" or "zh"; the index is "en" with zh parts marked lang=zh
	Title       string // full <title>
	Description string
	Base        string // "/" or "/sub/"
	CSS         string // URL of the stylesheet
	AppJS       string // URL of the concatenated scripts
	ReloadJS    string // Dev only: the live-reload script URL
	Config      any    // the site-config object
	UIStrings   map[string]string
	Lesson      string      // current lesson slug ("" elsewhere)
	Nav         []NavItem   // lessons of Lang, shown on lesson pages
	Alternates  []Alternate // the same page in other languages
}

// NavItem is one lesson in the navigation.
type NavItem struct {
	Slug, Title, Href string
	Current           bool
}

// Alternate is the same page in another language.
type Alternate struct {
	Lang, Label, Href string
}

// LessonList is one language's lessons on the index page.
type LessonList struct {
	Lang, Heading, Intro string
	Lessons              []IndexEntry
}

// IndexEntry is one lesson on the index page.
type IndexEntry struct {
	Slug, Title, Summary, Href string
}

// TOCEntry is an h2 with its h3s.
type TOCEntry struct {
	ID, Text string
	Children []TOCEntry
}

// Lesson is a lesson page.
type Lesson struct {
	Title, Section string
	TOC            []TOCEntry
	Body           template.HTML
	Prev, Next     *NavItem
}

// Param is one generated control of a playground.
type Param struct {
	Name     string // tasks, delay, limit
	Kind     string // int, duration
	Value    string // as written: "5", "1s"
	Min, Max string
}

// Source is one highlighted program.
type Source struct {
	Variant string        // sync, concurrent
	Path    string        // wasm/sleep/sync/main.go
	HTML    template.HTML // <pre class=chroma><code>…
}

// Playground is a ::playground widget.
type Playground struct {
	ID                   string // unique in the page
	Lang                 string
	Example, Title       string
	Net                  bool
	NoSpeedup            bool // the example's concurrent version is a mistake: no "N× faster"
	WasmSync, WasmConcur string
	ParamsJSON           string
	Params               []Param
	Sources              []Source
}

// Choice is one answer of a predict=choice exercise.
type Choice struct {
	HTML     template.HTML
	Accepted bool
}

// Exercise is a :::exercise widget.
type Exercise struct {
	ID, Lang, Example, Run, Predict string
	Net                             bool
	Wasm, ParamsJSON                string
	Question, Explanation           template.HTML
	Choices                         []Choice
}

// Challenge is a :::challenge widget.
type Challenge struct {
	ID, Lang, Example, Check string
	Net                      bool
	WasmSync, WasmConcur     string
	ParamsJSON               string
	Question, Hint           template.HTML
	Start, Solution          Source
}

// strs are the UI strings of the markup, by language. Accessible names of
// the playground buttons are part of the contract with the scripts and the
// end-to-end tests: change them in docs/architecture.md first.
var strs = map[string]map[string]string{
	"en": {
		"skip": "Skip to content", "site": "Unblocked", "lessons": "Lessons", "language": "Language",
		"theme": "Dark theme", "reset": "Reset progress", "toc": "On this page", "pager": "Previous and next lesson",
		"prev": "Previous", "next": "Next", "runSync": "Run sync", "runConcurrent": "Run concurrent",
		"runBoth": "Run both", "stop": "Stop", "sources": "Sources", "sync": "Sync", "concurrent": "Concurrent",
		"tasks": "Tasks", "delay": "Delay", "limit": "Limit", "output": "Output", "notRun": "Not run yet",
		"timeline": "Task timeline", "task": "Task", "variant": "Version", "start": "Start (ms)", "end": "End (ms)",
		"controls": "Parameters", "prediction": "Your prediction (ms)", "answer": "Your answer",
		"check": "Run and check", "explanation": "Explanation", "checkCode": "Check my code", "hint": "Hint",
		"solution": "Solution", "yourCode": "Your code", "range": "from %s to %s",
		"notFound": "Page not found", "notFoundText": "There is no page at this address.", "home": "All lessons",
		"choose": "Choose a language", "footer": "Unblocked: concurrent IO in Go, one experiment at a time.",
		"playground": "Playground", "exercise": "Exercise", "challenge": "Challenge",
	},
	"zh": {
		"skip": "跳到正文", "site": "Unblocked", "lessons": "课程", "language": "语言",
		"theme": "深色主题", "reset": "重置进度", "toc": "本页内容", "pager": "上一课和下一课",
		"prev": "上一课", "next": "下一课", "runSync": "运行同步版", "runConcurrent": "运行并发版",
		"runBoth": "同时运行", "stop": "停止", "sources": "源码", "sync": "同步版", "concurrent": "并发版",
		"tasks": "任务数", "delay": "延迟", "limit": "并发上限", "output": "输出", "notRun": "尚未运行",
		"timeline": "任务时间线", "task": "任务", "variant": "版本", "start": "开始(毫秒)", "end": "结束(毫秒)",
		"controls": "参数", "prediction": "你的预测(毫秒)", "answer": "你的答案",
		"check": "运行并检查", "explanation": "解释", "checkCode": "检查我的代码", "hint": "提示",
		"solution": "参考答案", "yourCode": "你的代码", "range": "%s 到 %s",
		"notFound": "页面不存在", "notFoundText": "这个地址没有页面。", "home": "全部课程",
		"choose": "选择语言", "footer": "Unblocked:Go 并发 IO,一次一个实验。",
		"playground": "演示", "exercise": "练习", "challenge": "挑战",
	},
}

// T returns the UI string key in lang, falling back to English.
func T(lang, key string) string {
	if s, ok := strs[lang][key]; ok {
		return s
	}
	return strs["en"][key]
}

// UIStrings is the ui-strings object of a page in lang.
func UIStrings(lang string) map[string]string {
	m := map[string]string{}
	for k, v := range strs["en"] {
		m[k] = v
	}
	for k, v := range strs[lang] {
		m[k] = v
	}
	return m
}

// LangLabel is a language's name in that language.
func LangLabel(lang string) string {
	switch lang {
	case "zh":
		return "中文"
	}
	return "English"
}

const themeScript = `try{document.documentElement.dataset.theme=localStorage.getItem("unblocked.theme")||(matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light")}catch(e){}`
