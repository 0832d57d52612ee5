package e2e

import (
	"context"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"unblocked/site/gowasm"
)

// Test programs in testdata/progs, compiled to js/wasm once per package run.
var progs = []string{"sleepsync", "sleepconc", "panic", "deadlock", "spin", "net", "labprobe", "ticks"}

// compileProgs builds every test program into dir/<name>.wasm through gowasm, as the site's own
// modules are built, with their cache in the e2e cache folder (content-addressed: safe to share).
func compileProgs(ctx context.Context, repo, dir string) error {
	b := gowasm.New(gowasm.Options{Root: repo, CacheDir: filepath.Join(cacheDir(), "progs")})
	var g errgroup.Group
	g.SetLimit(2) // the go command uses every core for each build already
	for _, p := range progs {
		g.Go(func() error {
			wasm, err := b.Package(ctx, "e2e/testdata/progs/"+p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, p+".wasm"), wasm, 0o644)
		})
	}
	return g.Wait()
}
