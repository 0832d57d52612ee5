package serve

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// debounce is how long the watcher waits after the last event of a burst (an editor's
// write-rename-chmod) before it rebuilds, so one save means one build.
const debounce = 25 * time.Millisecond

// Watch rebuilds whenever something under root's dirs changes, until ctx ends. ready, when
// non-nil, is called once every folder is watched: a change made after it is seen. A folder
// made later is watched from its first event on, before the rebuild that event causes.
// Changes to the engine's own Go code cannot be applied to a running process; those are
// reported instead.
func (s *Site) Watch(ctx context.Context, root string, dirs []string, ready func()) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	for _, d := range dirs {
		if err := addTree(w, filepath.Join(root, d)); err != nil {
			return fmt.Errorf("watching %s: %w", d, err)
		}
	}
	if ready != nil {
		ready()
	}
	var (
		timer   *time.Timer
		fire    <-chan time.Time
		changed = map[string]bool{}
	)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-w.Errors:
			fmt.Fprintf(s.opt.Log, "watch: %v\n", err)
		case ev := <-w.Events:
			if ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					addTree(w, ev.Name) // new lesson folder or example
				}
			}
			changed[ev.Name] = true
			if timer == nil {
				timer = time.NewTimer(debounce)
				fire = timer.C
			} else {
				timer.Reset(debounce)
			}
		case <-fire:
			timer, fire = nil, nil
			var engine []string
			for name := range changed {
				if rel, err := filepath.Rel(root, name); err == nil && engineCode(rel) {
					engine = append(engine, rel)
				}
			}
			clear(changed)
			if len(engine) > 0 {
				fmt.Fprintf(s.opt.Log, "engine code changed (%s): restart `make serve` to apply it\n", strings.Join(engine, ", "))
			}
			s.Rebuild(ctx)
		}
	}
}

func addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") && p != dir {
				return filepath.SkipDir
			}
			return w.Add(p)
		}
		return nil
	})
}

// ignored filters editor droppings so that they do not trigger builds.
func ignored(name string) bool {
	base := filepath.Base(name)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") ||
		strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") ||
		base == "4913" || strings.Contains(name, string(filepath.Separator)+"node_modules"+string(filepath.Separator))
}

// engineCode reports whether a changed file is Go code of the engine itself
// (as opposed to an example under wasm/, which the build recompiles).
func engineCode(rel string) bool {
	rel = filepath.ToSlash(rel)
	return strings.HasPrefix(rel, "site/") && (strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, ".templ"))
}
