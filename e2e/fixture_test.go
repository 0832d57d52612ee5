package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Test programs in testdata/progs, compiled to js/wasm once per package run.
var progs = []string{"sleepsync", "sleepconc", "panic", "deadlock", "spin", "net", "labprobe"}

// compileProgs builds every test program into dir/<name>.wasm (in parallel, 2 at a time).
func compileProgs(ctx context.Context, repo, dir string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(progs))
	sem := make(chan struct{}, 2)
	for i, p := range progs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, p+".wasm"), "./e2e/testdata/progs/"+p)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("compile %s: %v\n%s", p, err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func hashName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}

// fixtureSite writes a site following docs/architecture.md (markup, site-config, sw.js) from
// site/assets and the compiled test programs in wasmDir. It stands in for site/build.
func fixtureSite(repo, wasmDir, out, base string) error {
	files := map[string][]byte{}
	put := func(name string, data []byte) string {
		files[name] = data
		return base + name
	}
	jsDir := filepath.Join(repo, "site", "assets", "js")
	entries, err := os.ReadDir(jsDir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".js") && n != "worker.js" && !strings.HasPrefix(n, "editor") && !strings.HasPrefix(n, "challenge") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var app []byte
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(jsDir, n))
		if err != nil {
			return err
		}
		app = append(app, b...)
		app = append(app, '\n')
	}
	appURL := put("assets/"+hashName("app.js", app), app)
	worker, err := os.ReadFile(filepath.Join(jsDir, "worker.js"))
	if err != nil {
		return err
	}
	lab, err := os.ReadFile(filepath.Join(repo, "site", "assets", "lab.js"))
	if err != nil {
		return err
	}
	worker = append(append(lab, '\n'), worker...) // as the build does
	workerURL := put("assets/"+hashName("worker.js", worker), worker)
	wasmExec, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	execURL := put("assets/"+hashName("wasm_exec.js", wasmExec), wasmExec)
	css := []byte(`body{font-family:sans-serif;margin:1rem}.pg-bar{background:#36c}.pg-bar[data-variant=sync]{background:#c63}.stderr{color:#b00}[data-theme=dark]{background:#111;color:#eee}`)
	cssURL := put("assets/"+hashName("site.css", css), css)
	wasmURL := map[string]string{}
	for _, p := range progs {
		b, err := os.ReadFile(filepath.Join(wasmDir, p+".wasm"))
		if err != nil {
			return err
		}
		wasmURL[p] = put("wasm/"+hashName(p+".wasm", b), b)
	}

	type lesson struct{ slug, title, body string }
	params := func(tasks int, delay, dmin, dmax string) string {
		return fmt.Sprintf(`{"tasks":{"value":%d,"min":1,"max":10000},"delay":{"value":%q,"min":%q,"max":%q}}`, tasks, delay, dmin, dmax)
	}
	buttons := map[string][4]string{"en": {"Run sync", "Run concurrent", "Run both", "Stop"}, "zh": {"运行同步版", "运行并发版", "同时运行", "停止"}}
	playground := func(lang, example, syncW, concW string, net bool, p string) string {
		b := buttons[lang]
		var pv map[string]struct {
			Value any `json:"value"`
		}
		json.Unmarshal([]byte(p), &pv)
		return fmt.Sprintf(`<section class="playground" data-example="%s" data-wasm-sync="%s" data-wasm-concurrent="%s" data-net="%t" data-params='%s'>
<h2>%s</h2>
<div class="pg-sources"><div class="pg-source" data-variant="sync"><pre><code>package main // sync</code></pre></div><div class="pg-source" data-variant="concurrent"><pre><code>package main // concurrent</code></pre></div></div>
<div class="pg-params"><label>Tasks <input name="tasks" type="number" inputmode="numeric" value="%v"></label> <label>Delay <input name="delay" type="text" value="%v"></label></div>
<div class="pg-controls"><button type="button" data-action="run-sync">%s</button> <button type="button" data-action="run-concurrent">%s</button> <button type="button" data-action="run-both">%s</button> <button type="button" data-action="stop">%s</button></div>
<div class="pg-run" data-variant="sync" data-state="idle"><h3>sync</h3><pre class="pg-output"></pre></div>
<div class="pg-run" data-variant="concurrent" data-state="idle"><h3>concurrent</h3><pre class="pg-output"></pre></div>
<p class="pg-speedup"></p>
<div class="pg-timeline"></div>
</section>`, example, syncW, concW, net, html.EscapeString(p), example, pv["tasks"].Value, pv["delay"].Value, b[0], b[1], b[2], b[3])
	}
	exercises := `<section class="exercise" data-exercise="sleep-5" data-example="sleep" data-run="concurrent" data-predict="elapsed" data-params='{"tasks":{"value":5,"min":1,"max":10000},"delay":{"value":"300ms","min":"0s","max":"10s"}}' data-wasm="` + wasmURL["sleepconc"] + `">
<p>How long will 5 tasks of 300 ms take concurrently?</p>
<label>Your prediction (ms) <input name="prediction" type="number" min="0"></label>
<button type="button" data-action="check">Run and check</button>
<p class="ex-result" aria-live="polite"></p>
<div class="ex-explanation" hidden><p>They all sleep at once.</p></div>
</section>
<section class="exercise" data-exercise="order-1" data-example="sleep" data-run="sync" data-predict="choice" data-params='{"tasks":{"value":2,"min":1,"max":10000},"delay":{"value":"10ms","min":"0s","max":"10s"}}' data-wasm="` + wasmURL["sleepsync"] + `">
<p>In which order do the tasks finish?</p>
<ul><li><label><input type="radio" name="prediction" value="a" data-accepted> 1 then 2</label></li><li><label><input type="radio" name="prediction" value="b"> 2 then 1</label></li></ul>
<button type="button" data-action="check">Run and check</button>
<p class="ex-result" aria-live="polite"></p>
<div class="ex-explanation" hidden><p>Sync runs in order.</p></div>
</section>`
	sleepP := params(5, "1s", "0s", "10s")
	lessons := map[string][]lesson{
		"en": {
			{"sleep", "Sleeping tasks", playground("en", "sleep", wasmURL["sleepsync"], wasmURL["sleepconc"], false, sleepP) + exercises},
			{"starve", "Starving", playground("en", "starve", wasmURL["spin"], wasmURL["spin"], false, params(1, "5s", "0s", "30s"))},
			{"errors", "Errors", playground("en", "errors", wasmURL["panic"], wasmURL["deadlock"], false, params(1, "0s", "0s", "1s"))},
			{"gather", "Gather", playground("en", "gather", wasmURL["net"], wasmURL["net"], true, params(3, "300ms", "0s", "10s"))},
		},
		"zh": {
			{"sleep", "睡眠任务", playground("zh", "sleep", wasmURL["sleepsync"], wasmURL["sleepconc"], false, sleepP)},
		},
	}
	var pages []string
	layout := func(lang, slug, title, body string) []byte {
		cfg, _ := json.Marshal(map[string]string{"base": base, "lang": lang, "lesson": slug, "worker": workerURL, "wasmExec": execURL, "sw": base + "sw.js"})
		var nav strings.Builder
		for _, l := range lessons[lang] {
			fmt.Fprintf(&nav, `<li><a href="%s%s/%s/" data-lesson="%s">%s</a></li>`, base, lang, l.slug, l.slug, l.title)
		}
		return []byte(`<!doctype html><html lang="` + lang + `"><head><meta charset="utf-8"><title>` + title + `</title>
<script>try{document.documentElement.dataset.theme=localStorage.getItem("unblocked.theme")||(matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light")}catch(e){}</script>
<link rel="stylesheet" href="` + cssURL + `"><link rel="icon" href="data:,">
<script id="site-config" type="application/json">` + string(cfg) + `</script>
<script id="ui-strings" type="application/json">{}</script></head>
<body><nav><ul>` + nav.String() + `</ul><button type="button" data-action="reset-progress">Reset progress</button> <button type="button" data-action="toggle-theme">Theme</button></nav>
<main><article><h1>` + title + `</h1>` + body + `<p>End.</p></article></main>
<script defer src="` + appURL + `"></script></body></html>`)
	}
	var idx strings.Builder
	for _, lang := range []string{"en", "zh"} {
		for _, l := range lessons[lang] {
			pages = append(pages, put(lang+"/"+l.slug+"/index.html", layout(lang, l.slug, l.title, l.body)))
			fmt.Fprintf(&idx, `<p><a href="%s%s/%s/">%s</a></p>`, base, lang, l.slug, l.title)
		}
	}
	pages = append(pages, put("index.html", layout("en", "", "Unblocked", idx.String())))
	pages = append(pages, put("404.html", layout("en", "", "Not found", "<p>Not found.</p>")))
	var precache []string
	for name := range files {
		u := base + name
		u = strings.TrimSuffix(u, "index.html")
		precache = append(precache, u)
	}
	sort.Strings(precache)
	swCfg, _ := json.Marshal(map[string]any{"version": fmt.Sprint(len(app)), "base": base, "precache": precache})
	sw, err := os.ReadFile(filepath.Join(repo, "site", "assets", "sw.js"))
	if err != nil {
		return err
	}
	files["sw.js"] = append([]byte("self.UNBLOCKED = "+string(swCfg)+";\n"), sw...)
	for name, data := range files {
		p := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
