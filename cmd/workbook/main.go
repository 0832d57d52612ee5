// Command workbook builds, serves and checks the Unblocked workbook.
//
//	workbook build [-o public] [-base /] [-root .] [-site-url URL]
//	workbook check [-root .]
//	workbook serve [-addr 127.0.0.1:8080] [-base /] [-root .]
//
// Content errors are printed one per line as path:line:col: message and
// make the command exit with status 1; usage errors exit with status 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"unblocked/site/build"
	"unblocked/site/diag"
)

const usage = `usage: workbook <command> [flags]

commands:
  build   render the site into a folder (-o public)
  check   validate lessons, examples and links without writing anything
  serve   serve the site with live reload

Run "workbook <command> -h" for the flags of a command.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "build":
		return runBuild(args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "serve":
		return runServe(args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "workbook: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "public", "output folder (replaced atomically)")
	base := fs.String("base", "/", "URL base path the site is served under, e.g. /workbook/")
	root := fs.String("root", ".", "repository root (lessons/, wasm/, site/)")
	siteURL := fs.String("site-url", build.DefaultSiteURL, "origin for the sitemap's absolute URLs")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b, err := newBuilder(*root, *base, *siteURL)
	if err != nil {
		fmt.Fprintf(stderr, "workbook build: %v\n", err)
		return 1
	}
	site, err := b.Build(ctx)
	if err != nil {
		return report(stderr, "build", err)
	}
	if err := site.WriteDir(*out); err != nil {
		fmt.Fprintf(stderr, "workbook build: writing %s: %v\n", *out, err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d files to %s\n", len(site.Files), *out)
	return 0
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "repository root (lessons/, wasm/, site/)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b, err := newBuilder(*root, "/", "")
	if err != nil {
		fmt.Fprintf(stderr, "workbook check: %v\n", err)
		return 1
	}
	if err := b.Check(ctx); err != nil {
		return report(stderr, "check", err)
	}
	fmt.Fprintln(stdout, "ok")
	return 0
}

// parse returns -1 to go on, or the exit code: flag errors are usage
// errors, and positional arguments are not accepted.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "workbook %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return 2
	}
	return -1
}

func newBuilder(root, base, siteURL string) (*build.Builder, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(filepath.Join(abs, "lessons")); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s does not look like the repository root (no lessons/ folder); use -root", root)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	return build.New(build.Options{Root: abs, Base: base, CacheDir: filepath.Join(cache, "unblocked"), SiteURL: siteURL}), nil
}

// report prints content errors one per line and returns exit status 1.
func report(stderr io.Writer, cmd string, err error) int {
	var l diag.List
	if errors.As(err, &l) {
		for _, e := range l {
			fmt.Fprintln(stderr, e.Error())
		}
		fmt.Fprintf(stderr, "workbook %s: %d problem(s)\n", cmd, len(l))
		return 1
	}
	fmt.Fprintf(stderr, "workbook %s: %v\n", cmd, err)
	return 1
}

// normBase gives a -base flag exactly one leading and trailing slash.
func normBase(base string) string { return build.NormBase(base) }
