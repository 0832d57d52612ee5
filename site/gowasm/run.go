package gowasm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// limitEnv, set in the environment of a process, makes it the memory wrapper of
// memlimit_linux.go.
const limitEnv = "UNBLOCKED_GOWASM_RLIMIT_DATA"

// maxOutput bounds what is kept of the go command's output: a crash dump can run to megabytes.
const maxOutput = 1 << 20

// outOfMemory matches how the Go runtime of the go command, the compiler or the linker dies when
// an allocation fails.
var outOfMemory = regexp.MustCompile(`(?m)^fatal error: (runtime: )?out of memory|cannot allocate memory`)

// run starts the go command for job and waits for it, or for ctx (the build's timeout).
func (b *Builder) run(ctx context.Context, job Job) ([]byte, error) {
	goPath, err := exec.LookPath(b.opt.GoCmd)
	if err != nil {
		return nil, fmt.Errorf("gowasm: %w", err)
	}
	tmp, err := os.MkdirTemp("", "gowasm-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "main.wasm")
	args := append([]string{"build"}, flags...)
	args = append(args, "-o", out)
	// The compiler names an overlaid file by the file that holds its content: those are
	// renamed back to the path the file has in the build.
	var rename []string
	std := map[string][]byte{}
	if tc, err := FindToolchain(b.opt.GoCmd); err == nil {
		if patch := stdioPatch(tc); patch != "" {
			std[patch] = stdioFile
		}
		if path, content := traceTimers(tc); path != "" {
			std[path] = content
		}
	}
	if len(job.Files) > 0 || len(std) > 0 {
		overlay, err := writeOverlay(b.opt.Root, tmp, job.Files, std, &rename)
		if err != nil {
			return nil, err
		}
		args = append(args, "-overlay="+overlay)
	}
	args = append(args, "./"+job.Package)

	cmd := exec.CommandContext(ctx, goPath, args...)
	cmd.Dir = b.opt.Root
	cmd.Env = b.env
	var output capped
	cmd.Stdout = &output
	cmd.Stderr = &output
	setProcessGroup(cmd)
	// The go command starts compile and link as children: end all of them, not only go.
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 2 * time.Second
	limit, err := limitMemory(cmd, b.opt.MemoryLimit)
	if err != nil {
		return nil, err
	}
	b.builds.Add(1)
	runErr := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, &TimeoutError{Limit: b.opt.Timeout}
	}
	text := strings.NewReplacer(rename...).Replace(output.String())
	if runErr != nil {
		if outOfMemory.MatchString(text) {
			return nil, &MemoryError{Limit: limit}
		}
		if errs := parseDiagnostics(text, b.opt.Root); len(errs) > 0 {
			return nil, errs
		}
		return nil, fmt.Errorf("go build ./%s: %v", job.Package, runErr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("\x00asm")) {
		return nil, fmt.Errorf("go build ./%s produced no WebAssembly module (%v)", job.Package, err)
	}
	return data, nil
}

// writeOverlay writes files into dir and an overlay file mapping their paths in the build to
// them, and adds (temporary path, build path) pairs to rename. std replaces files outside the
// module (absolute paths, the toolchain's: see stdio.go); they are never named in diagnostics.
func writeOverlay(root, dir string, files, std map[string][]byte, rename *[]string) (string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	replace := map[string]string{}
	for i, name := range names {
		// Each file in a folder of its own under its own base name, so even a message that
		// only gives the base name is right.
		sub := filepath.Join(dir, strconv.Itoa(i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			return "", err
		}
		f := filepath.Join(sub, filepath.Base(filepath.FromSlash(name)))
		if err := os.WriteFile(f, files[name], 0o644); err != nil {
			return "", err
		}
		replace[filepath.Join(root, filepath.FromSlash(name))] = f
		*rename = append(*rename, f, name)
		// go prints a path relative to its working directory (root) when that is shorter:
		// "../gowasm-…/0/main.go" when the temporary folder is root's sibling (a checkout in /tmp).
		if rel, err := filepath.Rel(root, f); err == nil {
			*rename = append(*rename, rel, name)
		}
	}
	for abs, content := range std {
		f := filepath.Join(dir, "std", filepath.Base(abs))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(f, content, 0o644); err != nil {
			return "", err
		}
		replace[abs] = f
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	overlay := filepath.Join(dir, "overlay.json")
	return overlay, os.WriteFile(overlay, data, 0o644)
}

// capped keeps the first maxOutput bytes written to it.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := maxOutput - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
