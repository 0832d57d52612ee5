package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"unblocked/site/build"
)

// benchBuild times a clean build (empty cache: every example compiled, every
// file compressed), then incremental rebuilds of the kind `serve` does after
// an author edits one lesson or one example.
func benchBuild(r *results, root string, reps int) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "unblocked-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	repo := filepath.Join(tmp, "repo")
	if err := copyTree(root, repo); err != nil {
		return err
	}

	cache := filepath.Join(tmp, "cache")
	start := time.Now()
	if _, err := build.New(build.Options{Root: repo, Base: "/", CacheDir: cache}).Build(ctx); err != nil {
		return err
	}
	r.add("clean full build (lessons + examples, release compression)", ms(time.Since(start)), "", true,
		"every example compiled to js/wasm from an empty cache, brotli 11 + gzip 9 of every file; the Go build cache was warm, as on an author's machine after the first `make serve`")

	// Incremental rebuilds use serve's builder (Dev) with its caches warm.
	b := build.New(build.Options{Root: repo, Base: "/", Dev: true, CacheDir: filepath.Join(tmp, "devcache")})
	if _, err := b.Build(ctx); err != nil {
		return err
	}
	lesson := filepath.Join(repo, "lessons", "en", firstLesson(filepath.Join(repo, "lessons", "en")))
	var lessonTimes, exampleTimes []time.Duration
	for i := 0; i < reps; i++ {
		if err := appendFile(lesson, fmt.Sprintf("\nAn edit, number %d.\n", i)); err != nil {
			return err
		}
		start := time.Now()
		if _, err := b.Build(ctx); err != nil {
			return err
		}
		lessonTimes = append(lessonTimes, time.Since(start))
	}
	d := median(lessonTimes)
	r.add("incremental rebuild after editing one lesson", ms(d), "≤ 150 ms", d <= 150*time.Millisecond,
		fmt.Sprintf("median of %d edits of %s in serve's builder", reps, filepath.Base(lesson)))

	example := filepath.Join(repo, "wasm", "sleep", "concurrent", "main.go")
	for i := 0; i < 2; i++ {
		if err := appendFile(example, fmt.Sprintf("\n// edit %d\n", i)); err != nil {
			return err
		}
		start := time.Now()
		if _, err := b.Build(ctx); err != nil {
			return err
		}
		exampleTimes = append(exampleTimes, time.Since(start))
	}
	d = median(exampleTimes)
	r.add("incremental rebuild after editing one example", ms(d), "", true,
		"one js/wasm compile of the edited program (the other examples come from the content-hash cache)")
	return nil
}

func firstLesson(dir string) string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.HasPrefix(n, "01-") {
			return n
		}
	}
	return names[0]
}

var (
	assetRef = regexp.MustCompile(`(?:href|src)="/((?:assets)/[^"]+\.(?:css|js))"`)
	wasmRef  = regexp.MustCompile(`data-wasm(?:-sync|-concurrent)?="/(wasm/[^"#]+\.wasm)(?:#[^"]*)?"`)
)

// benchBytes adds up what a browser that accepts brotli downloads for each
// lesson page: the HTML, the CSS and JS it links, the wasm its first Run
// fetches (one module: Run both runs two programs of one bundle) and the
// wasm of all its playgrounds and exercises.
func benchBytes(r *results, root string) error {
	site, err := build.New(build.Options{Root: root, Base: "/", CacheDir: userCache()}).Build(context.Background())
	if err != nil {
		return err
	}
	wire := func(name string) int {
		if b, ok := site.Files[name+".br"]; ok {
			return len(b)
		}
		return len(site.Files[name])
	}
	var pages []string
	for name := range site.Files {
		if strings.HasSuffix(name, "/index.html") && strings.Count(name, "/") == 2 && (strings.HasPrefix(name, "en/") || strings.HasPrefix(name, "zh/")) { // lessons, not /en/
			pages = append(pages, name)
		}
	}
	sort.Strings(pages)
	table := "### Bytes over the wire per lesson page (brotli, as served)\n\n| page | HTML | CSS + JS | page total | first Run wasm | all the wasm its runs use |\n|---|---|---|---|---|---|\n"
	maxPage, maxWasm, maxNetWasm := 0, 0, 0
	for _, p := range pages {
		html := string(site.Files[p])
		page := wire(p)
		assets := 0
		for _, m := range assetRef.FindAllStringSubmatch(html, -1) {
			assets += wire(m[1])
		}
		// a Run fetches one module (both programs of a playground are in it): the first
		// program URL's, of a playground or an exercise; modules count once
		first, all := 0, 0
		net := false
		seen := map[string]bool{}
		for i, m := range wasmRef.FindAllStringSubmatch(html, -1) {
			if i == 0 {
				first = wire(m[1])
				net = strings.HasPrefix(m[1], "wasm/examples-net.")
			}
			if !seen[m[1]] {
				seen[m[1]] = true
				all += wire(m[1])
			}
		}
		total := page + assets
		maxPage = max(maxPage, total)
		if net {
			maxNetWasm = max(maxNetWasm, first)
		} else {
			maxWasm = max(maxWasm, first)
		}
		wasmCell, allCell := "—", "—"
		if first > 0 {
			wasmCell, allCell = kb(first), kb(all)
			if net {
				wasmCell += " (net/http)"
			}
		}
		table += fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", strings.TrimSuffix(p, "index.html"), kb(page), kb(assets), kb(total), wasmCell, allCell)
	}
	r.details = append(r.details, table)
	r.add("HTML+CSS+JS of a lesson page, compressed (largest page)", kb(maxPage), "≤ 60 KB", maxPage <= 60_000,
		"the HTML, the stylesheet, the entry and every module the page preloads, which is every module it loads without a click (e2e TestModulesPerPage), less the program worker's scripts, fetched with the first Run's wasm; not in this figure, as they load only after a press: the CodeMirror editor and the interpreter (editing), judge.js (Check my code), the scheduler view (after a run), presenter mode (its keys)")
	r.add("WASM fetched by a lesson's first Run, compressed (largest, no net/http)", kb(maxWasm), "≤ 800 KB", maxWasm <= 800_000, "")
	r.add("WASM fetched by a lesson's first Run, compressed (largest net/http lesson)", kb(maxNetWasm), "≤ 2.2 MB", maxNetWasm <= 2_200_000, "")
	if b, ok := site.Files[findPrefix(site.Files, "wasm/sched.")]; ok {
		r.add("scheduler view's trace parser (x/exp/trace in js/wasm), brotli", kb(len(b)), "after the run", true,
			"fetched after a learner's first run, never with the examples; the recording itself is in the example bundles (runtime/trace and syscall/js: about 25 KB brotli, measured on a fmt+sync+time program)")
	}
	if b, ok := site.Files[findPrefix(site.Files, "wasm/interp.")]; ok {
		r.add("interpreter for edited code (yaegi), brotli", kb(len(b)), "", true, "fetched only when a learner runs edited code on a static host")
	}
	return nil
}

func findPrefix(files map[string][]byte, prefix string) string {
	for name := range files {
		if strings.HasPrefix(name, prefix) && strings.HasSuffix(name, ".wasm.br") {
			return name
		}
	}
	return ""
}

// userCache is serve's cache: the release builds measured here reuse the
// compiled examples instead of timing compiles again.
func userCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "unblocked")
}
