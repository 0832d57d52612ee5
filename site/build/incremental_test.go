package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// Editing one lesson of the real site must rebuild fast: that is what the
// author waits for after every save in `workbook serve`.
func TestIncrementalRebuild(t *testing.T) {
	repo, _ := filepath.Abs("../..")
	root := t.TempDir()
	copyTree(t, repo, root, "go.mod", "go.sum", "lessons", "wasm", "site/assets")
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = cacheDir
	}
	b := New(Options{Root: root, Dev: true, CacheDir: filepath.Join(cache, "unblocked")})
	ctx := context.Background()
	for range 2 { // the second build sees warm caches, like a running server
		if _, err := b.Build(ctx); err != nil {
			t.Fatal(err)
		}
	}
	lesson := filepath.Join(root, "lessons", "en", "01-sync-vs-concurrent.md")
	src, err := os.ReadFile(lesson)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lesson, append(src, "\nA freshly added sentence.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	s, err := b.Build(ctx)
	d := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rebuild after editing one lesson: %v (%d files)", d, len(s.Files))
	if !strings.Contains(string(s.Files["en/sync-vs-concurrent/index.html"]), "A freshly added sentence.") {
		t.Error("the edit is not in the rebuilt page")
	}
	// Generous so a loaded CI machine does not flake; the log line has the number.
	if d > time.Second {
		t.Errorf("incremental rebuild took %v", d)
	}
}
