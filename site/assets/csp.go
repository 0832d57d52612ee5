package assets

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// head reads head.js (its comment lines left out) as the inline script of every page's <head>,
// and writes the pages' Content-Security-Policy, which allows that one inline script by its hash.
func (p *pipeline) head() error {
	src, err := p.read("head.js")
	if err != nil {
		return err
	}
	var code []string
	for _, l := range strings.Split(string(src), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "//") {
			code = append(code, t)
		}
	}
	p.out.HeadScript = strings.Join(code, "\n")
	p.out.CSP = Policy(p.out.HeadScript)
	return nil
}

// Policy is the Content-Security-Policy of a page whose one inline script is inline: scripts,
// styles, workers and requests from the site's own origin only ('wasm-unsafe-eval' lets the page
// compile WebAssembly); no plugins, no <base> or form target elsewhere. Inline styles are not
// allowed either: scripts set styles through the CSSOM (element.style), which CSP leaves alone.
// (frame-ancestors has no effect in a <meta>: serve sends it as a header.)
func Policy(inline string) string {
	sum := sha256.Sum256([]byte(inline))
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' 'wasm-unsafe-eval' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'",
		"style-src 'self'",
		"worker-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
	}, "; ")
}
