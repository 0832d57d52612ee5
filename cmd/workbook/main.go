// Command workbook builds, serves and checks the Unblocked workbook.
//
//	workbook build [-o public] [-base /] [-root .] [-site-url URL] [-cache DIR] [-embed]
//	workbook check [-root .] [-cache DIR]
//	workbook serve [-addr 127.0.0.1:8080] [-lan] [-base /] [-root .] [-open-compile] [-host NAME,…] [-cache DIR]
//
// Outside a checkout (no lessons/ folder), serve serves the site built into the binary by
// `make embed`, if it has one: the whole workbook from one file.
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
	"unblocked/site/server"
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
		return runServe(args[1:], stderr)
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
	siteURL := fs.String("site-url", build.DefaultSiteURL, "origin the site is served from, e.g. https://example.org (the sitemap's, robots.txt's and hreflang links' absolute URLs)")
	embed := fs.Bool("embed", false, "build the site the workbook binary carries (make embed): serve's pages, with the interpreter")
	cache := cacheFlag(fs)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	ctx, stop := interrupted()
	defer stop()
	b, err := newBuilder(*root, *base, *siteURL, *cache, stdout, *embed) // progress on stdout, problems on stderr
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
	cache := cacheFlag(fs)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	ctx, stop := interrupted()
	defer stop()
	b, err := newBuilder(*root, "/", "", *cache, nil, false)
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

// newBuilder makes the builder of root; progress (nil for none) gets a line per build step;
// embed makes the build the binary carries: served pages (Dev) with the interpreter, for
// machines without a Go toolchain.
func newBuilder(root, base, siteURL, cache string, progress io.Writer, embed bool) (*build.Builder, error) {
	if err := checkRoot(root); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if cache == "" {
		if cache, err = server.UserCacheDir(); err != nil {
			return nil, err
		}
	}
	return build.New(build.Options{Root: abs, Base: base, CacheDir: cache, SiteURL: siteURL, Progress: progress, Dev: embed, Interp: embed}), nil
}

// checkRoot catches the commonest mistake, running the command elsewhere, with a hint.
func checkRoot(root string) error {
	if st, err := os.Stat(filepath.Join(root, "lessons")); err != nil || !st.IsDir() {
		return fmt.Errorf("%s does not look like the repository root (no lessons/ folder); use -root", root)
	}
	return nil
}

// cacheFlag is -cache: where compiled examples and compressed files are kept between runs.
func cacheFlag(fs *flag.FlagSet) *string {
	return fs.String("cache", "", "cache folder for compiled examples (default: the user cache folder's unblocked/)")
}

// interrupted returns a context that ends at the first Ctrl-C (SIGINT) or SIGTERM; a second one
// kills the process at once, should a shutdown hang.
func interrupted() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
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
