package gowasm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestLRUBounds(t *testing.T) {
	var evicted []string
	l := newLRU[int](10, 3, func(k string) { evicted = append(evicted, k) })
	l.add("a", 1, 4)
	l.add("b", 2, 4)
	l.get("a")       // a is now more recent than b
	l.add("c", 3, 4) // 12 bytes > 10: the least recent (b) goes
	if !slices.Equal(evicted, []string{"b"}) {
		t.Fatalf("evicted %v, want [b]", evicted)
	}
	l.add("d", 4, 1)
	l.add("e", 5, 1) // 4 entries > 3: a goes
	if !slices.Equal(evicted, []string{"b", "a"}) || l.bytes != 6 {
		t.Fatalf("evicted %v (%d bytes), want [b a]", evicted, l.bytes)
	}
	if l.add("huge", 0, 11) {
		t.Fatal("an entry above the byte bound was stored")
	}
	if _, ok := l.get("c"); !ok {
		t.Fatal("c was evicted to make room for an entry that is not stored")
	}
	l.add("c", 9, 2) // replacing keeps one entry and counts its new size
	if v, _ := l.get("c"); v != 9 || l.order.Len() != 3 || l.bytes != 4 {
		t.Fatalf("replace: %d, %d entries, %d bytes", v, l.order.Len(), l.bytes)
	}
}

func module5(i int) []byte { return bytes.Repeat([]byte{byte('a' + i)}, 100) }

func TestCacheEvicts(t *testing.T) {
	for _, dir := range []string{"", t.TempDir()} {
		c := newCache(dir, 250, 0) // two modules of 100 bytes fit, three do not
		c.put("k0", module5(0))
		c.put("k1", module5(1))
		if _, ok := c.get("k0"); !ok {
			t.Fatalf("dir %q: k0 missing", dir)
		}
		c.put("k2", module5(2)) // evicts k1, the least recently used
		if _, ok := c.get("k1"); ok {
			t.Errorf("dir %q: k1 kept beyond the bound", dir)
		}
		for _, k := range []string{"k0", "k2"} {
			if b, ok := c.get(k); !ok || !bytes.Equal(b, module5(int(k[1]-'0'))) {
				t.Errorf("dir %q: %s = %q, %v", dir, k, b, ok)
			}
		}
		if dir != "" {
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			if len(files) != 2 {
				t.Errorf("%d files in the cache dir, want 2: %v", len(files), files)
			}
		}
	}
}

// A day of edits: many distinct modules, the cache stays within its bound in memory and on disk.
func TestCacheStaysBounded(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"", dir} {
		c := newCache(d, 10_000, 0)
		for i := range 1000 {
			c.put(fmt.Sprint("edit", i), module5(i%26))
		}
		if c.idx.bytes > 10_000 || c.idx.order.Len() != 100 {
			t.Errorf("dir %q: %d bytes in %d entries, want at most 10000", d, c.idx.bytes, c.idx.order.Len())
		}
		if _, ok := c.get("edit999"); !ok {
			t.Errorf("dir %q: the latest module is gone", d)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 100 {
		t.Errorf("%d files on disk, want 100", len(files))
	}
}

func TestCacheDirAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	c := newCache(dir, 1000, 0)
	for i := range 4 {
		c.put(fmt.Sprint("k", i), module5(i))
	}
	// Make k0 the most recently used, as a hit in a later run would.
	old := time.Now().Add(-time.Hour)
	for i := range 4 {
		os.Chtimes(filepath.Join(dir, fmt.Sprint("k", i, ".wasm")), old.Add(time.Duration(i)*time.Minute), old.Add(time.Duration(i)*time.Minute))
	}
	if _, ok := newCache(dir, 1000, 0).get("k0"); !ok {
		t.Fatal("k0 not found by a new cache")
	}
	// A stale temporary file of a killed process goes; a fresh one (a write under way) stays.
	stale, fresh := filepath.Join(dir, "k9.123.tmp"), filepath.Join(dir, "k8.456.tmp")
	os.WriteFile(stale, nil, 0o644)
	os.WriteFile(fresh, nil, 0o644)
	os.Chtimes(stale, time.Now().Add(-2*staleTemp), time.Now().Add(-2*staleTemp))
	// A smaller bound after a restart evicts the least recently used files: k1 and k2.
	c2 := newCache(dir, 250, 0)
	c2.get("k3")
	for k, want := range map[string]bool{"k0": true, "k1": false, "k2": false, "k3": true} {
		if got := exists(filepath.Join(dir, k+".wasm")); got != want {
			t.Errorf("%s on disk: %v, want %v", k, got, want)
		}
	}
	if exists(stale) || !exists(fresh) {
		t.Errorf("stale temp kept: %v, fresh temp removed: %v", exists(stale), !exists(fresh))
	}
	// A file another process removed is a miss, not an error.
	os.Remove(filepath.Join(dir, "k3.wasm"))
	if _, ok := c2.get("k3"); ok {
		t.Error("a removed file was a hit")
	}
	// One another process added is a hit.
	os.WriteFile(filepath.Join(dir, "kx.wasm"), module5(3), 0o644)
	if b, ok := c2.get("kx"); !ok || !bytes.Equal(b, module5(3)) {
		t.Error("a file added by another process was a miss")
	}
}
