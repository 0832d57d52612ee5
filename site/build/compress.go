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
	"sync"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/errgroup"
)

// compressible lists the extensions worth precompressing; images other than
// SVG are compressed already.
var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".svg": true, ".xml": true, ".wasm": true, ".json": true, ".txt": true,
}

// hugeFile is the size above which a release build drops brotli from its best quality: the
// example bundles (3 and 10 MB) get quality 11 with a 16 MB window (about 30 s for the larger,
// once: results are cached by content), which is what brings the net/http bundle under 2 MB;
// the 24 MB interpreter, fetched only for a learner's first edited run, gets 6 (2 s instead of
// over a minute, for about 15 % more bytes).
const hugeFile = 16 << 20

// devBigFile is the size above which serve's fast levels get faster still.
const devBigFile = 512 << 10

// compressor makes .br and .gz variants, remembering results by content
// hash in memory and, when dir is set, on disk, so most files of a rebuild
// are never compressed again.
type compressor struct {
	dir string
	dev bool

	mu  sync.Mutex
	mem map[string][]byte // hash.br|gz → bytes, or nil when not smaller
}

func newCompressor(dir string, dev bool) *compressor {
	return &compressor{dir: dir, dev: dev, mem: map[string][]byte{}}
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

func (c *compressor) get(name string, data []byte, enc string) ([]byte, error) {
	br, gz := c.levels(len(data))
	lv := map[string]level{"br": br, "gz": gz}[enc]
	nameKey := ""
	if hashedName.MatchString(name) {
		nameKey = fmt.Sprintf("%s.%s%v", name, enc, lv)
		c.mu.Lock()
		z, ok := c.mem[nameKey]
		c.mu.Unlock()
		if ok {
			return z, nil
		}
	}
	sum := sha256.Sum256(data)
	key := fmt.Sprintf("%s.%s%v", hex.EncodeToString(sum[:]), enc, lv)
	c.mu.Lock()
	z, ok := c.mem[key]
	c.mu.Unlock()
	if ok {
		return z, nil
	}
	defer func() {
		if nameKey != "" {
			c.remember(nameKey, z)
		}
	}()
	diskPath := ""
	if c.dir != "" {
		diskPath = filepath.Join(c.dir, key)
		if b, err := os.ReadFile(diskPath); err == nil {
			z = b
			if len(z) == 0 {
				z = nil
			}
			c.remember(key, z)
			return z, nil
		}
	}
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	if enc == "br" {
		w = brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: br.q, LGWin: br.win})
	} else {
		w, _ = gzip.NewWriterLevel(&buf, gz.q)
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if buf.Len() < len(data) {
		z = buf.Bytes()
	}
	c.remember(key, z)
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

func (c *compressor) remember(key string, z []byte) {
	c.mu.Lock()
	c.mem[key] = z
	c.mu.Unlock()
}
