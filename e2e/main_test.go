// Package e2e drives the built workbook in a real headless Chromium (chromedp): pages render
// cleanly, programs run in Web Workers with real timing, the timeline, Stop, errors, URL
// parameters, the service-worker lab, offline use and exercises.
//
// Run: go test ./e2e/ (needs /usr/bin/chromium or $CHROMIUM; fails, never skips, without it).
package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"unblocked/internal/chromium"
	"unblocked/site/build"
)

var (
	repoRoot string
	siteDir  string // built with base "/"
	subRoot  string // served root holding sub/ built with base "/sub/"
	server   *staticServer
	subSrv   *staticServer
	chrome   *chromium.Browser
)

// setupTimeout bounds TestMain's setup (test programs and two site builds): a cold build on a
// fresh 2-core machine (every example and the interpreter compiled, brotli at quality 11) takes
// several minutes.
const setupTimeout = 12 * time.Minute

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e setup:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	var err error
	repoRoot, err = filepath.Abs("..")
	if err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "unblocked-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	// A cold build compiles every example and the interpreter and brotli-compresses them
	// (several minutes on a fresh 2-core CI machine); the cache makes later runs take seconds.
	// The whole test binary also runs under go test's -timeout (default 10m): a cold run needs
	// e.g. -timeout 25m.
	flag.Parse()
	if f := flag.Lookup("test.timeout"); f != nil {
		if d, err := time.ParseDuration(f.Value.String()); err == nil && d > 0 && d < setupTimeout+5*time.Minute {
			fmt.Fprintf(os.Stderr, "e2e: note: -timeout %v; a cold build (empty %s) may need -timeout 25m\n", d, cacheDir())
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	t0 := time.Now()
	step := func(what string, fn func() error) error {
		fmt.Fprintf(os.Stderr, "e2e: %s…\n", what)
		t1 := time.Now()
		done := make(chan struct{})
		go func() { // progress while a cold step takes minutes
			tick := time.NewTicker(30 * time.Second)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					fmt.Fprintf(os.Stderr, "e2e: %s: still working after %v (setup limit %v)\n", what, time.Since(t1).Round(time.Second), setupTimeout)
				}
			}
		}()
		err := fn()
		close(done)
		if err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("%w (setup exceeded %v)", err, setupTimeout)
			}
			return err
		}
		fmt.Fprintf(os.Stderr, "e2e: %s: done in %v\n", what, time.Since(t1).Round(time.Millisecond))
		return nil
	}
	progDir := filepath.Join(tmp, "progs")
	os.MkdirAll(progDir, 0o755)
	if err := step("compiling test programs", func() error { return compileProgs(ctx, repoRoot, progDir) }); err != nil {
		return 0, err
	}
	siteDir = filepath.Join(tmp, "site")
	if err := step("building the site (base /, cache "+cacheDir()+")", func() error { return buildSite(ctx, progDir, siteDir, "/") }); err != nil {
		return 0, err
	}
	subRoot = filepath.Join(tmp, "subroot")
	if err := step("building the site (base /sub/)", func() error { return buildSite(ctx, progDir, filepath.Join(subRoot, "sub"), "/sub/") }); err != nil {
		return 0, err
	}
	fmt.Fprintf(os.Stderr, "e2e: site built in %v\n", time.Since(t0).Round(time.Millisecond))

	if server, err = startStatic(siteDir); err != nil {
		return 0, err
	}
	defer server.Close()
	if subSrv, err = startStatic(subRoot); err != nil {
		return 0, err
	}
	defer subSrv.Close()
	if chrome, err = chromium.Launch(); err != nil {
		return 0, err
	}
	defer chrome.Close()
	return m.Run(), nil
}

// cacheDir keeps compiled wasm and compressed files between runs ($UNBLOCKED_E2E_CACHE, or the
// user cache folder).
func cacheDir() string {
	if d := os.Getenv("UNBLOCKED_E2E_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "unblocked-e2e")
}

// buildSite writes the site for base into out, plus the test programs under out/e2e/.
func buildSite(ctx context.Context, progDir, out, base string) error {
	site, err := build.New(build.Options{Root: repoRoot, Base: base, CacheDir: cacheDir()}).Build(ctx)
	if err != nil {
		return fmt.Errorf("build (base %s): %w", base, err)
	}
	if err := site.WriteDir(out); err != nil {
		return err
	}
	return copyProgs(progDir, filepath.Join(out, "e2e"))
}

func copyProgs(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, p := range progs {
		b, err := os.ReadFile(filepath.Join(from, p+".wasm"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, p+".wasm"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
