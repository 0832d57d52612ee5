package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// WriteDir writes the site to dir atomically: everything goes to a fresh
// sibling folder first, which then replaces dir with two renames. If any
// write fails, dir is left exactly as it was. The sibling folders of a write
// that was killed half-way (.<dir>.new-*) are removed first.
func (s *Site) WriteDir(dir string) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	prefix := "." + filepath.Base(dir) + ".new-"
	if err := removeStale(parent, prefix); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return err
	}
	// MkdirTemp makes 0700; a web server must be able to read the output.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	names := make([]string, 0, len(s.Files))
	for n := range s.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if n == "" || strings.HasPrefix(n, "/") || strings.Contains(n, "..") {
			os.RemoveAll(tmp)
			return fmt.Errorf("refusing to write %q outside the output folder", n)
		}
		p := filepath.Join(tmp, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			os.RemoveAll(tmp)
			return err
		}
		if err := os.WriteFile(p, s.Files[n], 0o644); err != nil {
			os.RemoveAll(tmp)
			return err
		}
	}
	var old string
	if _, err := os.Lstat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			os.RemoveAll(tmp)
			return err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir) // put the previous site back
		}
		os.RemoveAll(tmp)
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// removeStale removes what a killed WriteDir left in parent: its temporary folder, or the
// previous site it had moved aside (prefix*.old). One build writes a folder at a time.
func removeStale(parent, prefix string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.IsDir() {
			if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil {
				return fmt.Errorf("removing the unfinished output of an earlier build: %w", err)
			}
		}
	}
	return nil
}
