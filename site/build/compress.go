package build

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/errgroup"
)

// compressible lists the extensions worth precompressing; images other than
// SVG are compressed already.
var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".mjs": true, ".zip": true, ".svg": true, ".xml": true, ".wasm": true, ".json": true, ".txt": true,
}

// hugeFile is the size above which a release build drops brotli from its best quality: the
// example bundles (3 and 10 MB) get quality 11 with a 16 MB window (about 30 s for the larger,
// once: results are cached by content), which is what brings the net/http bundle under 2 MB;
// the 24 MB interpreter, fetched only for a learner's first edited run, gets 6 (2 s instead of
// over a minute, for about 15 % more bytes).
const hugeFile = 16 << 20

// devBigFile is the size above which serve's fast levels get faster still.
const devBigFile = 512 << 10

// diskBudget is how many bytes of compressed files the disk cache keeps: a few release and
// dev builds of the whole site (the example bundles and the interpreter are most of it).
const diskBudget = 512 << 20

// compressor makes .br and .gz variants, remembering results by content
// hash in memory and, when dir is set, on disk, so most files of a rebuild
// are never compressed again. The memory keeps what the last build used; the disk keeps
// diskBudget bytes, the least recently used going first.
type compressor struct {
	dir    string
	dev    bool
	budget int64 // bytes on disk; diskBudget but in tests

	mem *memo[string, remembered] // hash.br|gz… (or name.br|gz…) → result

	mu       sync.Mutex
	diskUsed map[string]bool // disk entries this build read or wrote: never evicted by it
	missed   int             // results not in memory (read from disk or compressed), for tests
	made     int             // compressions run, for tests
}

func newCompressor(dir string, dev bool) *compressor {
	return &compressor{dir: dir, dev: dev, budget: diskBudget, mem: newMemo[string, remembered](), diskUsed: map[string]bool{}}
}

// level is a compression setting: brotli quality and window (log2 bytes), or a gzip level.
type level struct{ q, win int }

func (l level) String() string { return fmt.Sprintf("%dw%d", l.q, l.win) }

// levels picks the brotli and gzip settings for a file: the best for build
// output, fast ones for the dev server, which rebuilds on every save.
func (c *compressor) levels(size int) (br, gz level) {
	switch {
	case c.dev && size > devBigFile:
		return level{1, 22}, level{gzip.BestSpeed, 0}
	case c.dev:
		return level{4, 22}, level{gzip.DefaultCompression, 0}
	case size > hugeFile:
		return level{6, 22}, level{gzip.BestCompression, 0}
	case size > 4<<20:
		return level{11, 24}, level{gzip.BestCompression, 0}
	}
	return level{11, 22}, level{gzip.BestCompression, 0}
}

// all returns files plus their .br and .gz variants where those are smaller.
func (c *compressor) all(ctx context.Context, files map[string][]byte) (map[string][]byte, error) {
	out := make(map[string][]byte, 3*len(files))
	var mu sync.Mutex
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for name, data := range files {
		out[name] = data
	}
	for name, data := range files {
		if !compressible[path.Ext(name)] {
			continue
		}
		g.Go(func() error {
			for _, enc := range []string{"br", "gz"} {
				z, err := c.get(name, data, enc)
				if err != nil {
					return err
				}
				if z != nil {
					mu.Lock()
					out[name+"."+enc] = z
					mu.Unlock()
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// hashedName matches output names that carry their content hash, whose
// name alone identifies the bytes: hashing a hundred megabytes of wasm on
// every rebuild would cost more than the rest of the rebuild.
var hashedName = regexp.MustCompile(`\.[0-9a-f]{10}\.[a-z]+$`)

// remembered is one compression result: the bytes (nil when they would not be smaller) and
// the name of the disk cache file that holds them.
type remembered struct {
	z   []byte
	key string
}

func (c *compressor) get(name string, data []byte, enc string) ([]byte, error) {
	br, gz := c.levels(len(data))
	lv := map[string]level{"br": br, "gz": gz}[enc]
	nameKey := ""
	if hashedName.MatchString(name) {
		nameKey = fmt.Sprintf("%s.%s%v", name, enc, lv)
		if r, ok := c.mem.get(nameKey); ok {
			c.use(r.key)
			return r.z, nil
		}
	}
	sum := sha256.Sum256(data)
	key := fmt.Sprintf("%s.%s%v", hex.EncodeToString(sum[:]), enc, lv)
	r, ok := c.mem.get(key)
	if !ok {
		z, err := c.load(key, data, enc, lv)
		if err != nil {
			return nil, err
		}
		r = remembered{z, key}
		c.mem.put(key, r)
	}
	c.use(key)
	if nameKey != "" {
		c.mem.put(nameKey, r)
	}
	return r.z, nil
}

// use records that this build needs the disk cache file key.
func (c *compressor) use(key string) {
	c.mu.Lock()
	c.diskUsed[key] = true
	c.mu.Unlock()
}

// load returns data compressed with enc at lv: from the disk cache file key, or compressed
// now and stored there.
func (c *compressor) load(key string, data []byte, enc string, lv level) ([]byte, error) {
	c.mu.Lock()
	c.missed++
	c.mu.Unlock()
	diskPath := ""
	if c.dir != "" {
		diskPath = filepath.Join(c.dir, key)
		if b, err := os.ReadFile(diskPath); err == nil {
			if len(b) == 0 {
				return nil, nil
			}
			return b, nil
		}
	}
	c.mu.Lock()
	c.made++
	c.mu.Unlock()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	if enc == "br" {
		w = brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: lv.q, LGWin: lv.win})
	} else {
		w, _ = gzip.NewWriterLevel(&buf, lv.q)
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	var z []byte
	if buf.Len() < len(data) {
		z = buf.Bytes()
	}
	if diskPath != "" {
		// Written via a temp file and rename so a concurrent build never
		// reads half a file; an empty file records "not worth it".
		if err := os.MkdirAll(c.dir, 0o755); err == nil {
			if f, err := os.CreateTemp(c.dir, "tmp-*"); err == nil {
				_, werr := f.Write(z)
				cerr := f.Close()
				if werr == nil && cerr == nil {
					_ = os.Rename(f.Name(), diskPath)
				} else {
					os.Remove(f.Name())
				}
			}
		}
	}
	return z, nil
}

// prune forgets in memory what the last build did not use and trims the disk cache to its
// budget, least recently used first, sparing what the last build used (whose files it marks
// used now). Temporary files of a writer killed half-way are old too, and go the same way.
func (c *compressor) prune() {
	c.mem.sweep()
	c.mu.Lock()
	used := c.diskUsed
	c.diskUsed = map[string]bool{}
	c.mu.Unlock()
	if c.dir == "" {
		return
	}
	now := time.Now()
	for key := range used {
		_ = os.Chtimes(filepath.Join(c.dir, key), now, now)
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		size int64
		mod  time.Time
	}
	var fs []file
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		total += info.Size()
		if !used[e.Name()] {
			fs = append(fs, file{e.Name(), info.Size(), info.ModTime()})
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].mod.Before(fs[j].mod) })
	for _, f := range fs {
		if total <= c.budget {
			break
		}
		if os.Remove(filepath.Join(c.dir, f.name)) == nil {
			total -= f.size
		}
	}
}
