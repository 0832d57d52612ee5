package gowasm

import (
	"container/list"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// lru is an index of entries, least recently used evicted first, bounded by their total size
// and by their number (0: no bound). Not safe for concurrent use.
type lru[V any] struct {
	maxBytes   int64
	maxEntries int
	onEvict    func(key string) // called for entries evicted to make room, not for remove

	order *list.List // of *lruEntry[V], most recent first
	items map[string]*list.Element
	bytes int64
}

type lruEntry[V any] struct {
	key  string
	v    V
	size int64
}

func newLRU[V any](maxBytes int64, maxEntries int, onEvict func(string)) *lru[V] {
	return &lru[V]{maxBytes: maxBytes, maxEntries: maxEntries, onEvict: onEvict, order: list.New(), items: map[string]*list.Element{}}
}

func (l *lru[V]) get(key string) (V, bool) {
	el, ok := l.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	l.order.MoveToFront(el)
	return el.Value.(*lruEntry[V]).v, true
}

// add stores v as the most recent entry and evicts the least recent ones beyond the bounds. An
// entry larger than maxBytes on its own is not stored (false).
func (l *lru[V]) add(key string, v V, size int64) bool {
	if l.maxBytes > 0 && size > l.maxBytes {
		return false
	}
	l.remove(key)
	l.items[key] = l.order.PushFront(&lruEntry[V]{key, v, size})
	l.bytes += size
	for l.maxBytes > 0 && l.bytes > l.maxBytes || l.maxEntries > 0 && l.order.Len() > l.maxEntries {
		e := l.order.Back().Value.(*lruEntry[V])
		l.remove(e.key)
		if l.onEvict != nil {
			l.onEvict(e.key)
		}
	}
	return true
}

func (l *lru[V]) remove(key string) {
	if el, ok := l.items[key]; ok {
		l.bytes -= el.Value.(*lruEntry[V]).size
		l.order.Remove(el)
		delete(l.items, key)
	}
}

// cache keeps built modules by key, in memory or as dir/<key>.wasm, within its bounds. On disk
// the order of use is the files' modification times (a hit touches its file), so it survives
// restarts and is shared, loosely, by processes using the same dir: a file another process
// evicted is a miss, one it added is a hit.
type cache struct {
	dir string // "" = in memory

	mu     sync.Mutex
	idx    *lru[[]byte] // on disk the values are nil: only sizes are kept
	loaded bool
}

func newCache(dir string, maxBytes int64, maxEntries int) *cache {
	c := &cache{dir: dir}
	var evict func(string)
	if dir != "" {
		evict = func(key string) { os.Remove(c.file(key)) }
	}
	c.idx = newLRU[[]byte](maxBytes, maxEntries, evict)
	return c
}

func (c *cache) file(key string) string { return filepath.Join(c.dir, key+".wasm") }

func (c *cache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	if c.dir == "" {
		defer c.mu.Unlock()
		return c.idx.get(key)
	}
	c.load()
	_, known := c.idx.get(key)
	c.mu.Unlock()
	data, err := os.ReadFile(c.file(key))
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.idx.remove(key)
		return nil, false
	}
	if !known && !c.idx.add(key, nil, int64(len(data))) {
		return data, true
	}
	now := time.Now()
	os.Chtimes(c.file(key), now, now)
	return data, true
}

// put stores data under key. A module that cannot be written to disk is simply not cached.
func (c *cache) put(key string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" {
		c.idx.add(key, data, int64(len(data)))
		return
	}
	c.load()
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(c.dir, key+".*.tmp")
	if err != nil {
		return
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	// Rename is atomic: a concurrent reader sees the whole file or none.
	if err == nil {
		err = os.Rename(f.Name(), c.file(key))
	}
	if err != nil {
		os.Remove(f.Name())
		return
	}
	if !c.idx.add(key, nil, int64(len(data))) {
		os.Remove(c.file(key))
	}
}

// staleTemp is how old a *.tmp file of the cache dir must be to be a leftover of a killed
// process rather than a write under way.
const staleTemp = time.Hour

// load indexes the modules already in dir, oldest first, evicting beyond the bounds (they may
// have shrunk since the files were written), and removes stale temporary files.
func (c *cache) load() {
	if c.loaded {
		return
	}
	c.loaded = true
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type file struct {
		key  string
		size int64
		mod  time.Time
	}
	var files []file
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".wasm"):
			files = append(files, file{strings.TrimSuffix(name, ".wasm"), info.Size(), info.ModTime()})
		case strings.HasSuffix(name, ".tmp") && time.Since(info.ModTime()) > staleTemp:
			os.Remove(filepath.Join(c.dir, name))
		}
	}
	slices.SortFunc(files, func(a, b file) int { return a.mod.Compare(b.mod) })
	for _, f := range files {
		if !c.idx.add(f.key, nil, f.size) {
			os.Remove(c.file(f.key))
		}
	}
}
