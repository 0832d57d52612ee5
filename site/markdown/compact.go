package markdown

import (
	"regexp"
	"strings"
	"sync"
)

// Chroma writes a span per token and two per line (<span class="line"><span class="cl">…),
// whitespace in <span class="w">, and spans for classes that neither theme styles. On a lesson
// with five playgrounds that was 300 KB of the page's 355 KB. compact keeps the spans the
// stylesheet uses: .line (line numbers and the hanging indent, site/assets/css) and the token
// classes LightStyle or DarkStyle colours. The text is untouched, so a block's textContent is
// still its code (the editor recovers sources from it).
var (
	chromaPre = regexp.MustCompile(`(?s)<pre class="chroma"[^>]*>.*?</pre>`)
	tokenSpan = regexp.MustCompile(`<span class="([a-z0-9]+)">([^<]*)</span>`)
	lineSpan  = regexp.MustCompile(`<span class="line"><span class="cl">((?:[^<]|<span class="[a-z0-9]+">[^<]*</span>)*)</span></span>`)
)

// layoutClasses are chroma's classes for line numbers, highlighted lines and the line wrapper:
// not tokens. The site draws line numbers itself, so their rules are left out of ChromaCSS too.
var layoutClasses = map[string]bool{"line": true, "cl": true, "ln": true, "lnt": true, "hl": true, "lntd": true, "lntable": true, "lnlinks": true}

// compact rewrites every chroma block in html as above; it is idempotent.
func compact(html []byte) []byte {
	keep := styledClasses()
	return chromaPre.ReplaceAllFunc(html, func(pre []byte) []byte {
		pre = tokenSpan.ReplaceAllFunc(pre, func(s []byte) []byte {
			m := tokenSpan.FindSubmatch(s)
			if c := string(m[1]); c == "line" || keep[c] {
				return s
			}
			return m[2]
		})
		return lineSpan.ReplaceAll(pre, []byte(`<span class="line">$1</span>`))
	})
}

// styledClasses are the token classes with a rule in LightStyle or DarkStyle, whitespace
// excepted (its colour paints nothing).
var styledClasses = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, name := range []string{LightStyle, DarkStyle} {
		rules, err := styleRules(name)
		if err != nil {
			panic(err) // the two styles are constants of this package
		}
		for _, r := range rules {
			if c, ok := strings.CutPrefix(r.selector, ".chroma ."); ok && r.decls != "" && c != "w" && !layoutClasses[c] {
				out[c] = true
			}
		}
	}
	return out
})
