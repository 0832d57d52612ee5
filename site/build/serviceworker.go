package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"unblocked/site/assets"
	"unblocked/site/model"
)

// serviceWorker prefixes site/assets/sw.js with self.UNBLOCKED: the URLs "Save for offline"
// caches — the whole site: every page, then every other file (stylesheet, scripts, wasm_exec.js,
// vendor bundles, example modules, the interpreter), small before large — with their sizes in
// bytes (the page shows the total), and a version that changes whenever any file of the site
// does. Nothing is precached at install (a first visit stays light: docs/arch/classroom.md).
// moduleURLs maps bundle names to module URLs; files is every other output of the build.
func serviceWorker(as *assets.Output, m *model.Site, moduleURLs map[string]string, files files) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		if !hashedName.MatchString(n) { // a hashed name already stands for its bytes
			h.Write(files[n])
		}
	}
	h.Write(as.ServiceWorker)
	precache := append(m.PageURLs(), m.Base+"404.html")
	seen := map[string]bool{}
	for _, u := range precache {
		seen[u] = true
	}
	var rest []string
	for _, u := range append(append([]string{}, as.Precache...), sortedValues(moduleURLs)...) {
		if !seen[u] {
			seen[u] = true
			rest = append(rest, u)
		}
	}
	for _, n := range names { // what the lists above do not name (the interpreter, favicon.svg)
		u := m.Base + n
		if n == "sw.js" || n == "sitemap.xml" || strings.HasSuffix(n, ".html") || seen[u] {
			continue
		}
		seen[u] = true
		rest = append(rest, u)
	}
	size := func(u string) int { // a page's URL names its folder
		n := strings.TrimPrefix(u, m.Base)
		if n == "" || strings.HasSuffix(n, "/") {
			n += "index.html"
		}
		return len(files[n])
	}
	sort.SliceStable(rest, func(i, j int) bool { return size(rest[i]) < size(rest[j]) })
	precache = append(precache, rest...)
	sizes := make([]int, len(precache))
	for i, u := range precache {
		sizes[i] = size(u)
	}
	cfg, err := json.Marshal(struct {
		Version  string   `json:"version"`
		Base     string   `json:"base"`
		Precache []string `json:"precache"`
		Sizes    []int    `json:"sizes"`
	}{fmt.Sprintf("%x", h.Sum(nil))[:16], m.Base, precache, sizes})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "self.UNBLOCKED = %s;\n", cfg)
	out.Write(as.ServiceWorker)
	return out.Bytes(), nil
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
