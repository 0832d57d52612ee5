package build

import (
	"bytes"
	"fmt"
	"html/template"

	"unblocked/site/model"
)

// sitemap lists every page with its absolute URL (sitemaps require them): siteURL is the
// origin, the paths carry the base.
func sitemap(m *model.Site, siteURL string) []byte {
	var buf bytes.Buffer
	buf.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for _, p := range m.PageURLs() {
		fmt.Fprintf(&buf, "  <url><loc>%s</loc></url>\n", template.HTMLEscapeString(siteURL+p))
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// robots is robots.txt for a site at root (an absolute URL ending in "/"): allow all, and where
// the sitemap is.
func robots(root string) []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + root + "sitemap.xml\n")
}
