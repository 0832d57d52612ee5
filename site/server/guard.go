package server

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

	"unblocked/internal/hostaddr"
)

// securityHeaders go on every response. The policy header holds only what a page's own
// Content-Security-Policy <meta> (site/templates, the page's script and style sources) cannot
// say: frame-ancestors is ignored in a <meta>, and a second policy can only narrow the first, so
// the two never contradict each other. X-Frame-Options says the same for older browsers.
var securityHeaders = map[string]string{
	"Content-Security-Policy":      "frame-ancestors 'self'",
	"X-Frame-Options":              "SAMEORIGIN",
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin", // no other site may embed a laptop's files
}

// guard refuses requests for hosts the server does not answer to and adds the security headers
// to everything else.
func (s *Server) guard(next http.Handler) http.Handler {
	names := s.hostNames()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaders {
			h.Set(k, v)
		}
		if !allowedHost(r.Host, names) {
			http.Error(w, fmt.Sprintf("this workbook server does not answer to the name %q: "+
				"use its IP address or localhost, or start it with -host %s", hostaddr.Name(r.Host), hostaddr.Name(r.Host)),
				http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostNames are the names besides IP addresses and localhost that requests may use.
func (s *Server) hostNames() map[string]bool {
	names := map[string]bool{}
	if h, err := os.Hostname(); err == nil && h != "" {
		h = strings.ToLower(h)
		names[h] = true
		names[strings.TrimSuffix(h, ".local")+".local"] = true // mDNS, as a classroom finds a laptop
	}
	for _, h := range s.opt.Hosts {
		names[strings.ToLower(h)] = true
	}
	return names
}

// allowedHost reports whether a request's Host may be answered. A web page on another site
// can point its own name at 127.0.0.1 (DNS rebinding) and then talk to this server as if it
// were its own origin; such a request still names that site in Host, and is refused. An IP
// address, localhost and this machine's names cannot be rebound from outside.
func allowedHost(hostport string, names map[string]bool) bool {
	host := strings.ToLower(hostaddr.Name(hostport))
	switch {
	case host == "": // HTTP/1.0 without Host
		return true
	case net.ParseIP(host) != nil:
		return true
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	}
	return names[host]
}
