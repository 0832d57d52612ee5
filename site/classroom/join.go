package classroom

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"unblocked/internal/hostaddr"
	"unblocked/site/templates"
)

//go:embed join.css
var joinCSS []byte

func serveCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(joinCSS)
}

// joinCSP is the join page's policy: its stylesheet, its inline SVG, nothing else. It replaces
// the server's header (site/server/guard.go), so it repeats frame-ancestors.
const joinCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// join serves the join page: the address phones should open, large and as a QR code. A
// request that came over the network shows the address it used; one from this machine shows
// the LAN addresses (127.0.0.1 means nothing to a phone).
func (r *Room) join(w http.ResponseWriter, req *http.Request) {
	urls, local := r.urlsFor(req)
	svg, err := QRSVG(urls[0])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", joinCSP)
	templates.Join(templates.JoinView{
		Base: r.opt.Base, URLs: urls, QR: svg, LocalOnly: local, Followers: r.Followers(),
	}).Render(req.Context(), w)
}

// urlsFor is the site's addresses for other devices, the one req came by first when it came over
// the network; local is true when the server listens on loopback only (urls is then req's own).
func (r *Room) urlsFor(req *http.Request) (urls []string, local bool) {
	urls = r.opt.URLs()
	if hostaddr.Name(req.Host) != "" && !hostaddr.Loopback(req.Host) {
		urls = append([]string{"http://" + req.Host + r.opt.Base}, without(urls, "http://"+req.Host+r.opt.Base)...)
	}
	if len(urls) == 0 {
		return []string{"http://" + req.Host + r.opt.Base}, true
	}
	return urls, false
}

// joinCard answers the presenter page's join card: {"url", "qr" (SVG), "local"}.
func (r *Room) joinCard(w http.ResponseWriter, req *http.Request) {
	urls, local := r.urlsFor(req)
	svg, err := QRSVG(urls[0])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]any{"url": urls[0], "join": urls[0] + "join/", "qr": svg, "local": local, "followers": r.Followers()})
}

func without(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// QRSVG draws text as a QR code (medium error correction, the standard 4-module quiet zone) in
// one SVG path, dark on white whatever the theme: phones' cameras read that best.
func QRSVG(text string) (string, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("QR code for %q: %w", text, err)
	}
	bm := q.Bitmap() // with the quiet zone
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="QR code: %s">`, n, n, htmlEscape(text))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// LANURLs are the addresses other devices reach a server listening on addr at: for an
// unspecified host (0.0.0.0, ::, "") every up, non-loopback IPv4 address of this machine
// (link-local ones last), for a specific address that address, none for loopback.
func LANURLs(addr, base string) []string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	ip := net.ParseIP(host)
	if host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	if ip != nil && !ip.IsUnspecified() {
		return []string{"http://" + net.JoinHostPort(host, port) + base}
	}
	if ip == nil && host != "" { // a name
		return []string{"http://" + net.JoinHostPort(host, port) + base}
	}
	var ips []net.IP
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
				ips = append(ips, n.IP.To4())
			}
		}
	}
	sort.SliceStable(ips, func(i, j int) bool { return !ips[i].IsLinkLocalUnicast() && ips[j].IsLinkLocalUnicast() })
	var out []string
	for _, ip := range ips {
		out = append(out, "http://"+net.JoinHostPort(ip.String(), port)+base)
	}
	return out
}
