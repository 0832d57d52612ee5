// Package hostaddr reads the host out of the addresses a server sees (a Host header, a listen
// address, a request's RemoteAddr) and says whether it stays on this machine. `workbook serve`
// decides with it what only the teacher's laptop may do (compile, present) and which names it
// answers to; one reading of an address for all of them, so no check is looser than another.
package hostaddr

import (
	"net"
	"strings"
)

// Name is the host of hostport ("host:port", "[::1]:8080", or a host alone), without the port
// and the brackets of an IPv6 address.
func Name(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return strings.Trim(h, "[]")
	}
	return strings.Trim(hostport, "[]")
}

// Loopback reports whether hostport names this machine: localhost, a name under .localhost
// (resolvers must keep those on loopback, RFC 6761), or a loopback address; any case, a
// trailing dot allowed. "" (no host, or ":8080", every interface) is not loopback.
func Loopback(hostport string) bool {
	host := strings.ToLower(strings.TrimSuffix(Name(hostport), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoopbackPeer reports whether remoteAddr (a request's RemoteAddr, an IP and a port) is a
// loopback address: the request came from this machine. Unlike Loopback it takes no names,
// which a client could choose.
func LoopbackPeer(remoteAddr string) bool {
	ip := net.ParseIP(Name(remoteAddr))
	return ip != nil && ip.IsLoopback()
}
