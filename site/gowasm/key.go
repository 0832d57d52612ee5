package gowasm

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"hash"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// keyVersion changes whenever what a key covers does, which invalidates every cached module.
const keyVersion = "gowasm v2"

// key hashes every input of job without running the go command: the toolchain, the target,
// the flags, the environment the go command reads, go.mod and go.sum, the job's files, and
// every file (tests aside: a package may embed data) of the package and of the packages of
// Root's module it imports, transitively. Other modules are pinned by go.sum.
func (b *Builder) key(job Job) (string, error) {
	tc, err := FindToolchain(b.opt.GoCmd)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%q\x00%q\x00%q\x00%s\x00", keyVersion, tc.GOROOT, tc.Version, target, flags, b.opt.Env, job.Package)
	if patch := stdioPatch(tc); patch != "" {
		hashFile(h, "stdio:"+patch, stdioFile)
	}
	if path, content := traceTimers(tc); path != "" {
		hashFile(h, "runtime:"+path, content)
	}
	for _, k := range keyEnv {
		fmt.Fprintf(h, "%s=%s\x00", k, lookupEnv(b.env, k))
	}
	modPath := ""
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(b.opt.Root, name))
		if err != nil && !(name == "go.sum" && errors.Is(err, os.ErrNotExist)) {
			return "", err
		}
		if name == "go.mod" {
			modPath = modfile.ModulePath(data)
		}
		hashFile(h, name, data)
	}
	names := make([]string, 0, len(job.Files))
	for name := range job.Files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		hashFile(h, "overlay:"+name, job.Files[name])
	}
	seen := map[string]bool{}
	queue := []string{job.Package}
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		if seen[dir] {
			continue
		}
		seen[dir] = true
		imports, err := b.hashPackage(h, dir, job.Files)
		if err != nil {
			return "", err
		}
		for _, imp := range imports {
			if rest, ok := strings.CutPrefix(imp, modPath+"/"); ok && modPath != "" {
				queue = append(queue, rest)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h hash.Hash, name string, data []byte) {
	fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
	h.Write(data)
}

// hashPackage writes the files of dir on disk that files does not replace into h and returns
// the imports of its Go files, the replacing ones included. A folder that exists only in files
// is fine; embedded subfolders are not followed.
func (b *Builder) hashPackage(h hash.Hash, dir string, files map[string][]byte) ([]string, error) {
	srcs := map[string][]byte{}
	for name, data := range files {
		if path.Dir(name) == dir {
			srcs[path.Base(name)] = data
		}
	}
	entries, err := os.ReadDir(filepath.Join(b.opt.Root, filepath.FromSlash(dir)))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if _, replaced := srcs[name]; replaced || !e.Type().IsRegular() || strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(b.opt.Root, filepath.FromSlash(dir), name))
		if err != nil {
			return nil, err
		}
		hashFile(h, dir+"/"+name, data)
		srcs[name] = data
	}
	var imports []string
	fset := token.NewFileSet()
	for name, data := range srcs {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		// A file that does not parse is still hashed; go build reports it.
		f, err := parser.ParseFile(fset, name, data, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil {
				imports = append(imports, p)
			}
		}
	}
	slices.Sort(imports) // the walk, and so the key, must not depend on map order
	return imports, nil
}

// lookupEnv is the value of k in env, the last one winning as in os/exec.
func lookupEnv(env []string, k string) string {
	v := ""
	for _, kv := range env {
		if rest, ok := strings.CutPrefix(kv, k+"="); ok {
			v = rest
		}
	}
	return v
}
