package examples

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// importsNetwork reports whether a Go file of the program in dir imports a package that links
// the network. A file that does not parse counts for nothing here; the build reports it.
func importsNetwork(fsys fs.FS, dir string) bool {
	entries, _ := fs.ReadDir(fsys, dir)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil && linksNetwork(p) {
				return true
			}
		}
	}
	return false
}

// linksNetwork reports whether the standard library package p links package net (with
// net/http's client and server, the bulk of the examples-net bundle's size): net and every
// net/… package but net/url and net/netip, and the few others that depend on net. Examples import
// only the standard library and golang.org/x/sync, none of whose packages does.
func linksNetwork(p string) bool {
	switch p {
	case "net/url", "net/netip":
		return false
	case "net", "crypto/tls", "crypto/x509", "expvar", "log/syslog", "mime/multipart":
		return true
	}
	return strings.HasPrefix(p, "net/")
}
