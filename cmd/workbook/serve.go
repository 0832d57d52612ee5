package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"unblocked/cmd/workbook/embedded"
	"unblocked/site/build"
	"unblocked/site/server"
)

// runServe builds the site, serves it from memory, and rebuilds and reloads open pages
// whenever a lesson, an example or an asset is saved, until Ctrl-C.
func runServe(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", server.DefaultAddr, "listen address (loopback by default; 0.0.0.0:8080 opens it to the network)")
	root := fs.String("root", ".", "repository root (lessons/, wasm/, site/)")
	base := fs.String("base", "/", "URL base path, e.g. /workbook/")
	openCompile := fs.Bool("open-compile", false, "let non-loopback clients use the compile endpoint for edited code")
	hosts := fs.String("host", "", "comma-separated host names to answer to besides localhost, IP addresses and this machine's name")
	lan := fs.Bool("lan", false, "listen on every network interface at -addr's port, for a class: prints the join URL (phones open it)")
	cache := cacheFlag(fs)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if *lan {
		_, port, err := net.SplitHostPort(*addr)
		if err != nil {
			fmt.Fprintf(stderr, "workbook serve: -addr %q: %v\n", *addr, err)
			return 2
		}
		*addr = net.JoinHostPort("0.0.0.0", port)
	}
	opt := server.Options{
		Root: *root, Base: *base, Addr: *addr, OpenCompile: *openCompile, Hosts: splitList(*hosts),
		CacheDir: *cache, Watch: true, Log: stderr,
	}
	if err := checkRoot(*root); err != nil {
		// not a checkout: the workbook this binary carries, if it carries one
		carried, ok, eerr := embeddedOptions(&opt, *base)
		if eerr != nil {
			fmt.Fprintf(stderr, "workbook serve: the embedded site: %v\n", eerr)
			return 1
		}
		if !ok {
			fmt.Fprintf(stderr, "workbook serve: %v (and this binary carries no site: build it with make workbook)\n", err)
			return 1
		}
		fmt.Fprintln(stderr, carried)
	}
	srv, err := server.New(opt)
	if err != nil {
		fmt.Fprintf(stderr, "workbook serve: %v\n", err)
		return 1
	}
	ctx, stop := interrupted()
	defer stop()
	if err := srv.Run(ctx, nil); err != nil {
		fmt.Fprintf(stderr, "workbook serve: %v\n", err)
		return 1
	}
	return 0
}

// embeddedOptions points opt at the site built into the binary (no watching, no rebuilds) and
// returns the line to tell the teacher. Its base is the one it was built for ("/").
func embeddedOptions(opt *server.Options, base string) (string, bool, error) {
	site, ok, err := embedded.Site()
	if err != nil || !ok {
		return "", false, err
	}
	if build.NormBase(base) != "/" {
		return "", false, fmt.Errorf("the carried site is built for the base path /, not %s", base)
	}
	if opt.CacheDir == "" {
		if opt.CacheDir, err = server.UserCacheDir(); err != nil {
			return "", false, err
		}
	}
	// the compile endpoint builds edited code against the workbook's module
	mod := filepath.Join(opt.CacheDir, "module")
	gomod, gosum := embedded.Module()
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return "", false, err
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), gomod, 0o644); err != nil {
		return "", false, err
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), gosum, 0o644); err != nil {
		return "", false, err
	}
	opt.Root, opt.Watch = mod, false
	opt.Build = func(context.Context) (map[string][]byte, error) { return site, nil }
	engine := "no Go toolchain here: edited code runs in the browser's interpreter"
	if _, err := exec.LookPath("go"); err == nil {
		engine = "edited code is compiled with this machine's Go toolchain"
	}
	return fmt.Sprintf("serving the workbook this binary carries (no lessons/ folder here, so no author mode); %s", engine), true, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
