package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// len is the number of entries held.
func (m *memo[K, V]) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.used) + len(m.old)
}

func TestMemoKeepsLastBuildsWorkingSet(t *testing.T) {
	m := newMemo[string, int]()
	m.put("a", 1)
	m.put("b", 2)
	m.sweep() // build 1 used a and b
	if v, ok := m.get("a"); !ok || v != 1 {
		t.Fatalf("a = %v, %v after one sweep", v, ok)
	}
	m.put("c", 3)
	m.sweep() // build 2 used a and c
	if _, ok := m.get("b"); ok {
		t.Error("b survived a build that did not use it")
	}
	if m.len() != 2 {
		t.Errorf("%d entries, want 2 (a, c)", m.len())
	}
}

// A serve left running through a day of editing must not grow: after every build each
// cache holds what that build used, and the compression cache on disk stays within its
// budget, the oldest entries going first.
func TestCachesStayBounded(t *testing.T) {
	t.Parallel()
	files := fixtureFiles()
	root := writeRepo(t, files)
	b, _ := newTestBuilder(t, root, Options{Dev: true, CacheDir: t.TempDir()})
	compDir := b.comp.dir
	build := func() {
		t.Helper()
		if _, err := b.Build(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	build()
	type sizes struct{ modules, bodies, highlight, compressed int }
	size := func() sizes {
		return sizes{b.modules.len(), b.bodies.len(), b.highlight.len(), b.comp.mem.len()}
	}
	first, firstDisk := size(), diskFiles(t, compDir)
	var firstBytes int64
	for _, n := range firstDisk {
		firstBytes += n
	}
	b.comp.budget = firstBytes + firstBytes/4

	for i := range 12 {
		// an edit of a lesson and of an example: new bodies, new sources, a new module, new
		// URLs on every page, so every page and the service worker are compressed again
		for name, add := range map[string]string{en1: fmt.Sprintf("\nEdit %d.\n", i), "wasm/sleep/sync/main.go": fmt.Sprintf("\n// edit %d\n", i)} {
			files[name] += add
			if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(files[name]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		build()
		// The first build also remembers hashed files by content; later ones find them by name.
		if i == 0 {
			first = size()
		}
		if got := size(); got != first {
			t.Fatalf("after edit %d the caches hold %+v, after the first edit %+v", i+1, got, first)
		}
	}
	if n := len(firstDisk); first.compressed > 4*n || first.bodies != 4 || first.highlight != 2 || first.modules != 1 {
		t.Errorf("working set %+v: want 4 bodies, 2 sources, 1 module, at most 4 entries per compressed file (%d files)", first, n)
	}
	disk := diskFiles(t, compDir)
	var total int64
	for _, n := range disk {
		total += n
	}
	if total > b.comp.budget {
		t.Errorf("compression cache on disk: %d bytes, budget %d", total, b.comp.budget)
	}
	evicted := 0
	for name := range firstDisk {
		if _, ok := disk[name]; !ok {
			evicted++
		}
	}
	if evicted == 0 {
		t.Error("nothing of the first build was evicted: the test did not reach the budget")
	}
	// What the last build used stayed: a server started afresh on the same cache compresses
	// nothing again.
	again, _ := newTestBuilder(t, root, Options{Dev: true, CacheDir: filepath.Dir(compDir)})
	if _, err := again.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again.comp.made != 0 {
		t.Errorf("a new builder on the pruned cache compressed %d files again, want 0", again.comp.made)
	}
}

// diskFiles maps the files in dir to their sizes.
func diskFiles(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = info.Size()
	}
	return out
}
