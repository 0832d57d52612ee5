package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTree copies the named folders and files of the repository into dst.
func copyTree(t *testing.T, src, dst string, names ...string) {
	t.Helper()
	for _, name := range names {
		err := filepath.WalkDir(filepath.Join(src, name), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Editing one lesson of the real site must rebuild only what depends on it: that is what the
// author waits for after every save in `workbook serve`. The work is counted, not timed: one
// body rendered, no source highlighted again, no bundle compiled, and only the edited page
// and the service worker (whose version changes) compressed again.
func TestIncrementalRebuild(t *testing.T) {
	t.Parallel()
	repo, _ := filepath.Abs("../..")
	root := t.TempDir()
	copyTree(t, repo, root, "go.mod", "go.sum", "lessons", "wasm", "site/assets")
	b, fc := newTestBuilder(t, root, Options{Dev: true})
	ctx := context.Background()
	for range 2 { // the second build sees warm caches, like a running server
		if _, err := b.Build(ctx); err != nil {
			t.Fatal(err)
		}
	}
	bodies, highlights, missed, bundles := b.stats.bodies, b.stats.highlights, b.comp.missed, fc.bundles
	lesson := filepath.Join(root, "lessons", "en", "01-sync-vs-concurrent.md")
	src, err := os.ReadFile(lesson)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lesson, append(src, "\nA freshly added sentence.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(s.Files["en/sync-vs-concurrent/index.html"]), "A freshly added sentence.") {
		t.Error("the edit is not in the rebuilt page")
	}
	if n := b.stats.bodies - bodies; n != 1 {
		t.Errorf("%d lesson bodies rendered after editing one, want 1", n)
	}
	if n := b.stats.highlights - highlights; n != 0 {
		t.Errorf("%d sources highlighted again, want 0", n)
	}
	// (the disk cache is shared with other tests, so count what memory did not have)
	if n := b.comp.missed - missed; n != 4 {
		t.Errorf("%d files compressed or read from disk after editing one lesson, want 4 (its page and sw.js, .br and .gz)", n)
	}
	if fc.bundles != bundles {
		t.Errorf("%d bundles compiled again; the examples did not change", fc.bundles-bundles)
	}
}
