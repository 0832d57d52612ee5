// Package embedded is the workbook carried inside the workbook binary: the built site (a Dev
// build with the interpreter, so edited code runs with or without a Go toolchain) and the
// module's go.mod and go.sum (for the compile endpoint). `make embed` writes them into files/,
// which is gitignored but for a placeholder, so a fresh clone builds a binary without a site.
package embedded

import (
	"embed"
	"io/fs"
)

//go:embed all:files
var files embed.FS

// Site returns the embedded site's files (path → bytes, as `workbook build` writes them), or
// ok == false when the binary was built without `make embed`.
func Site() (site map[string][]byte, ok bool, err error) {
	sub, err := fs.Sub(files, "files/site")
	if err != nil {
		return nil, false, err
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, false, nil
	}
	site = map[string][]byte{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		site[p] = b
		return err
	})
	return site, err == nil, err
}

// Module returns the go.mod and go.sum edited code is compiled against (nil without `make embed`).
func Module() (gomod, gosum []byte) {
	gomod, _ = files.ReadFile("files/module/go.mod")
	gosum, _ = files.ReadFile("files/module/go.sum")
	return gomod, gosum
}
