// Package serve serves the site that the one render path (site/build) produced, from memory,
// as `workbook serve` shows it to an author: it rebuilds on demand (Rebuild, Watch), tells open
// pages to reload over server-sent events, and when a rebuild fails keeps the last good site
// and shows the errors (path:line:col) as an overlay on every open page.
//
// A Site is three handlers — its files (ServeHTTP), the event stream (Events) and the reload
// script (ReloadJS) — which site/server mounts beside the lab and the compile endpoint.
package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BuildFunc renders the whole site into memory: path → bytes, with precompressed .br and .gz
// siblings where they are smaller. Serve and build share it, so what an author previews is byte
// for byte what `workbook build` writes.
type BuildFunc func(ctx context.Context) (map[string][]byte, error)

// Options configures a Site.
type Options struct {
	Base  string // URL base path, "/" or "/sub/"
	Build BuildFunc
	Log   io.Writer
}

// maxStreams bounds the open event streams (one per open page; more are answered 503): enough
// for a classroom's phones and tabs, and a bound on what one client can hold open.
const maxStreams = 512

// Site holds the last good build and the state of the last build.
type Site struct {
	opt      Options
	instance string // changes when the process restarts, so pages reload after a restart

	mu      sync.RWMutex
	files   map[string][]byte
	gen     int
	errText []string // non-nil when the last build failed
	err     error    // the last build's error

	buildMu sync.Mutex // one build at a time

	maxStreams int // tests lower it

	pages pageCache // stamped, compressed pages of this generation

	subMu sync.Mutex
	subs  map[chan event]struct{}
	done  chan struct{}
	once  sync.Once
}

// New returns a Site that has not built anything yet: every page is the "not built" error page
// until Rebuild succeeds.
func New(opt Options) *Site {
	if opt.Base == "" {
		opt.Base = "/"
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	return &Site{
		opt:        opt,
		maxStreams: maxStreams,
		instance:   strconv.FormatInt(time.Now().UnixNano(), 36),
		subs:       map[chan event]struct{}{},
		done:       make(chan struct{}),
	}
}

// Rebuild runs the build and, when it succeeds, swaps in the new site and tells pages to
// reload. When it fails the old site stays and pages get the errors instead. It returns the
// build error.
func (s *Site) Rebuild(ctx context.Context) error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	start := time.Now()
	files, err := s.opt.Build(ctx)
	if err != nil {
		lines := splitErrors(err)
		s.mu.Lock()
		s.errText, s.err = lines, err
		s.mu.Unlock()
		fmt.Fprintf(s.opt.Log, "build failed (%d problems):\n%s\n", len(lines), strings.Join(lines, "\n"))
		s.broadcast(event{"build-error", errorsJSON(lines)})
		return err
	}
	s.mu.Lock()
	s.files = files
	s.gen++
	gen := s.gen
	s.errText, s.err = nil, nil
	s.mu.Unlock()
	fmt.Fprintf(s.opt.Log, "built %d files in %v\n", len(files), time.Since(start).Round(time.Millisecond))
	s.broadcast(event{"reload", strconv.Itoa(gen)})
	return nil
}

// BuildError returns the last build's error, nil after a good one.
func (s *Site) BuildError() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.err
}

// Close ends every event stream, so that http.Server.Shutdown does not wait for pages that will
// never hang up by themselves. The files are still served.
func (s *Site) Close() { s.once.Do(func() { close(s.done) }) }

func splitErrors(err error) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func errorsJSON(lines []string) string {
	b, _ := json.Marshal(map[string][]string{"errors": lines})
	return string(b)
}

// snapshot is the state one request is answered from.
type snapshot struct {
	files   map[string][]byte
	gen     int
	errText []string
}

func (s *Site) snapshot() snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return snapshot{s.files, s.gen, s.errText}
}

// stamp is the build a page came from: the process and the generation.
func (s *Site) stamp(gen int) string { return fmt.Sprintf("%s.%d", s.instance, gen) }
