// base.js — the shared runtime on window.Unblocked (sorted first in app.js, so every other file
// may use it). Public API:
//
//   Unblocked.config                 parsed <script id=site-config> ({base, lang, worker, wasmExec, sw, …})
//   Unblocked.lang                   "en" | "zh"
//   Unblocked.t(dict)                pick the current language from {en:…, zh:…}
//   Unblocked.compileWasm(url)       → Promise<WebAssembly.Module>, cached per URL (compileStreaming);
//                                    a fragment (a bundle's program, "#sleep/sync") is not part of the URL
//   Unblocked.runProgram(opts)       → Promise<Result> with an extra .stop() method
//       opts: {wasm: URL | WebAssembly.Module | ArrayBuffer, argv: [...], env: {},
//              program: argv[0] (default: the URL's fragment, which names a bundle's program; else "js"),
//              source: string (interpreter), maxLines: 10000, timeLimitMs: 60000,
//              signal: AbortSignal, onStart({loadMs}), onLine({fd, text, t, notice, hidden})}
//       (after maxLines lines the output is capped: a notice line, task lines only with hidden:true,
//       and at exit a "… N lines not shown …" notice followed by the last 20 other lines)
//       Result: {status: "done"|"error"|"stopped"|"timeout", code, elapsedMs, loadMs,
//                lines: [{fd,text,t}], message}
//       The wasm URL is compiled once per page (cached Module posted to the worker). elapsedMs is the
//       program's wall time (performance.now() in the worker from just before go.run to exit;
//       pageElapsedMs is the same span seen on the page, plus message latency).
//   Unblocked.labBase()              absolute lab root, e.g. "http://127.0.0.1:8080/sub/lab/"
//   Unblocked.prefetchRuntime()      fetch worker.js + wasm_exec.js ahead of the first run
//   Unblocked.warm(url)              compile a program URL's module and keep spare workers ready for it
//   Unblocked.timeLimitMs            default time limit for runs (60000)
(() => {
  "use strict";
  const U = (window.Unblocked = window.Unblocked || {});

  function readJSON(id) {
    const el = document.getElementById(id);
    if (!el) return {};
    try { return JSON.parse(el.textContent || "{}") || {}; } catch (e) { return {}; }
  }
  const config = readJSON("site-config");
  if (!config.base) config.base = "/";
  U.config = config;
  U.uiStrings = readJSON("ui-strings");
  U.lang = config.lang || document.documentElement.lang || "en";
  if (U.lang !== "zh") U.lang = U.lang.startsWith("zh") ? "zh" : "en";
  U.t = (d) => (d && (d[U.lang] !== undefined ? d[U.lang] : d.en)) || "";
  U.timeLimitMs = 60000;

  U.labBase = () => new URL(config.base + "lab/", location.href).href;

  // --- WebAssembly modules, compiled once per URL -------------------------------------------------
  // The examples come as bundles: "<module>.wasm#sleep/sync" is the program sleep/sync of that
  // module (docs/architecture.md, "Bundles"). The module is fetched and compiled once for all.
  const splitWasm = (url) => {
    const i = url.indexOf("#");
    return i < 0 ? [url, ""] : [url.slice(0, i), decodeURIComponent(url.slice(i + 1))];
  };
  const modules = new Map();
  U.compileWasm = (url) => {
    url = splitWasm(url)[0];
    let p = modules.get(url);
    if (!p) {
      const once = async () => {
        const resp = fetch(url);
        try {
          return await WebAssembly.compileStreaming(resp);
        } catch (e) {
          const r = await resp;
          if (!r.ok) throw new Error("fetch " + url + ": HTTP " + r.status);
          return WebAssembly.compile(await r.arrayBuffer());
        }
      };
      // one retry: a fetch can fail while the service worker starts or the network flickers
      p = once().catch(() => new Promise((r) => setTimeout(r, 300)).then(once));
      p.catch(() => modules.delete(url));
      modules.set(url, p);
    }
    return p;
  };

  // --- Service worker -----------------------------------------------------------------------------
  // It caches the site for offline use (it has nothing to do with running programs).
  if ("serviceWorker" in navigator && config.sw && window.isSecureContext) {
    navigator.serviceWorker
      .register(config.sw, { scope: config.base })
      .catch((e) => { console.warn("service worker:", e && e.message); return null; });
    // once a worker controls the page, let it finish precaching the wasm files (offline use)
    navigator.serviceWorker.ready.then(() => {
      const urls = [];
      for (const e of document.querySelectorAll("[data-wasm-sync], [data-wasm-concurrent], [data-wasm]")) {
        for (const u of [e.dataset.wasmSync, e.dataset.wasmConcurrent, e.dataset.wasm]) if (u) urls.push(new URL(u, location.href).pathname);
      }
      const ask = () => navigator.serviceWorker.controller && navigator.serviceWorker.controller.postMessage({ type: "precache", urls });
      if (navigator.serviceWorker.controller) ask();
      else navigator.serviceWorker.addEventListener("controllerchange", ask, { once: true });
    }).catch(() => {});
  }

  // --- Workers ------------------------------------------------------------------------------------
  // One worker per run (Stop = terminate); a program's lab requests are answered inside it.
  let runtimeFetched = false;
  // warm the HTTP cache with the worker script and wasm_exec.js (called when a widget nears view)
  U.prefetchRuntime = () => {
    if (runtimeFetched) return;
    runtimeFetched = true;
    for (const u of [config.worker, config.wasmExec]) if (u) fetch(u).catch(() => {});
  };
  // Spare workers: made ahead with wasm_exec.js loaded and a Go instance of the page's module
  // (the one U.warm compiled last) ready, so a click only starts the program: measured on a
  // warm page, click → first output went from about 50 to about 25 ms. Two, for Run both. They
  // are made only while no program runs (they would take CPU from a timed run).
  const SPARES = 2;
  let spares = []; // [{worker, key}]
  let spareModule = null; // {key, module}
  let active = 0;
  let refillTimer = 0;
  function makeWorker(mod) {
    const w = new Worker(config.worker);
    w.postMessage({ type: "prepare", wasmExec: config.wasmExec, wasm: mod ? mod.module : undefined, key: mod ? mod.key : undefined });
    return { worker: w, key: mod ? mod.key : "" };
  }
  function refillSoon() {
    clearTimeout(refillTimer);
    refillTimer = setTimeout(() => {
      if (active > 0 || !config.worker) return;
      const key = spareModule ? spareModule.key : "";
      for (const s of spares.filter((s) => s.key !== key)) s.worker.terminate();
      spares = spares.filter((s) => s.key === key);
      while (spares.length < SPARES) spares.push(makeWorker(spareModule));
    }, 0);
  }
  function newWorker(key) {
    let i = spares.findIndex((s) => s.key === key);
    if (i < 0 && spares.length) i = 0;
    return i >= 0 ? spares.splice(i, 1)[0].worker : makeWorker(null).worker;
  }
  // warm(url): compile the module of a program URL and keep spare workers ready for it
  // (called when a widget nears the viewport).
  U.warm = (url) => {
    U.prefetchRuntime();
    const key = splitWasm(url)[0];
    return U.compileWasm(key).then((module) => {
      if (!spareModule || spareModule.key !== key) spareModule = { key, module };
      refillSoon();
    }, () => {});
  };

  // The worker's notices (output cap) carry a kind and numbers; their text is made here, in the
  // page's language.
  const fmtInt = (n) => Number(n).toLocaleString(U.lang === "zh" ? "zh-CN" : "en-US");
  function noticeText(l) {
    if (l.notice === "cap" && l.maxLines > 0) {
      return U.t({
        en: "… output limit of " + fmtInt(l.maxLines) + " lines reached: the rest is not shown; the last lines follow when the program ends …",
        zh: "… 已达到 " + fmtInt(l.maxLines) + " 行的输出上限:其余输出不再显示,程序结束时显示最后几行 …",
      });
    }
    if (l.notice === "dropped" && l.count >= 0) {
      return U.t({ en: "… " + fmtInt(l.count) + " lines not shown …", zh: "… 有 " + fmtInt(l.count) + " 行未显示 …" });
    }
    return l.text;
  }

  U.runProgram = (opts) => {
    let stopFn = () => {};
    const p = new Promise((resolve) => {
      const lines = [];
      let worker = null;
      let finished = false;
      let startedAt = 0;
      let timer = 0;
      const t0 = performance.now();
      let loadMs = 0;
      let lastPageElapsed;
      let counted = false; // this run holds a place in `active`
      const finish = (r) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (worker) worker.terminate();
        if (counted) { counted = false; active--; refillSoon(); }
        if (opts.signal) opts.signal.removeEventListener("abort", stopFn);
        r.lines = lines;
        r.loadMs = loadMs;
        r.pageElapsedMs = lastPageElapsed;
        if (r.elapsedMs === undefined) r.elapsedMs = startedAt ? performance.now() - startedAt : 0;
        resolve(r);
      };
      stopFn = () => finish({ status: "stopped", code: -1, message: U.t({ en: "Stopped.", zh: "已停止。" }) });
      if (opts.signal) {
        if (opts.signal.aborted) return stopFn();
        opts.signal.addEventListener("abort", stopFn);
      }
      const limit = opts.timeLimitMs > 0 ? opts.timeLimitMs : U.timeLimitMs;
      timer = setTimeout(() => finish({
        status: "timeout", code: -1,
        message: U.t({ en: "Stopped: the run took longer than the time limit of " + Math.round(limit / 1000) + " s.",
                       zh: "已停止:运行时间超过了 " + Math.round(limit / 1000) + " 秒的限制。" }),
      }), limit);

      (async () => {
        let wasm = opts.wasm;
        let key = "";
        let program = opts.program || "";
        if (typeof wasm === "string") {
          const [url, name] = splitWasm(wasm);
          if (!program) program = name;
          wasm = url;
          try { wasm = await U.compileWasm(url); key = url; } catch (e) { /* the worker reports the fetch error */ }
        }
        if (finished) return;
        worker = newWorker(key);
        active++;
        counted = true;
        worker.onmessage = (ev) => {
          if (finished) return;
          const m = ev.data || {};
          if (m.type === "started") {
            startedAt = performance.now();
            loadMs = startedAt - t0;
            if (opts.onStart) opts.onStart({ loadMs });
          } else if (m.type === "lines" || m.type === "out") {
            for (const l of m.type === "lines" ? m.lines : [m]) {
              const line = { fd: l.fd, text: l.text, t: l.t };
              if (l.notice) { line.notice = true; line.text = noticeText(l); }
              if (l.hidden) line.hidden = true;
              if (!l.hidden) lines.push(line);
              if (opts.onLine) opts.onLine(line);
            }
          } else if (m.type === "exit") {
            // The run's wall time as the worker's clock saw it (started → exit); the page-side
            // difference adds main-thread message latency (kept as pageElapsedMs).
            const pageElapsedMs = performance.now() - startedAt;
            const elapsedMs = typeof m.t === "number" ? m.t : pageElapsedMs;
            lastPageElapsed = pageElapsedMs;
            if (m.code === 0) return finish({ status: "done", code: 0, elapsedMs });
            let msg = "";
            for (let i = lines.length - 1; i >= 0 && i >= lines.length - 200; i--) {
              const l = lines[i];
              if (l.fd === 2 && /^(panic: |fatal error: )/.test(l.text)) { msg = l.text; }
            }
            if (!msg) {
              const errs = lines.filter((l) => l.fd === 2 && !l.notice);
              msg = errs.length ? errs[errs.length - 1].text : "";
            }
            finish({ status: "error", code: m.code, elapsedMs,
                     message: (msg ? msg + " — " : "") + U.t({ en: "exit status ", zh: "退出码 " }) + m.code });
          } else if (m.type === "error") {
            finish({ status: "error", code: -1, message: m.message });
          }
        };
        worker.onerror = (e) => {
          finish({ status: "error", code: -1, message: (e && e.message) || "worker error" });
        };
        worker.postMessage({
          type: "run",
          wasm,
          key,
          wasmExec: config.wasmExec,
          lab: U.labBase(), // answered in the worker (lab.js), on any host and offline
          program: program || "js",
          argv: opts.argv || [],
          env: opts.env || {},
          maxLines: opts.maxLines || 10000,
          source: opts.source,
        });
      })().catch((e) => finish({ status: "error", code: -1, message: String(e && e.message || e) }));
    });
    p.stop = () => stopFn();
    return p;
  };

  // --- Page behaviour -------------------------------------------------------------------------------
  // The language switch keeps the page's parameters (?tasks=…&delay=…); section ids differ between
  // the languages, so the #fragment does not carry over.
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest(".lang-switch a[hreflang]");
    if (!a || !location.search) return;
    const u = new URL(a.href, location.href);
    if (!u.search) { u.search = location.search; a.href = u.href; }
  });
  // Print shows hints and solutions: a closed <details> prints as its summary only.
  addEventListener("beforeprint", () => {
    for (const d of document.querySelectorAll("main details:not([open])")) { d.open = true; d.dataset.printOpened = ""; }
  });
  addEventListener("afterprint", () => {
    for (const d of document.querySelectorAll("details[data-print-opened]")) { d.open = false; delete d.dataset.printOpened; }
  });

  // --- Go durations --------------------------------------------------------------------------------
  const UNITS = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  // parseDuration("1.5s") → 1500 (ms); a bare number is milliseconds; NaN when invalid.
  U.parseDuration = (s) => {
    s = String(s == null ? "" : s).trim();
    if (s === "") return NaN;
    if (/^[-+]?\d+(\.\d+)?$/.test(s)) return Number(s);
    let neg = false;
    if (s[0] === "-" || s[0] === "+") { neg = s[0] === "-"; s = s.slice(1); }
    if (s === "0") return 0;
    const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
    let total = 0, pos = 0;
    while (pos < s.length) {
      re.lastIndex = pos;
      const m = re.exec(s);
      if (!m) return NaN;
      total += Number(m[1]) * UNITS[m[2]];
      pos = re.lastIndex;
    }
    return neg ? -total : total;
  };
  // formatDuration(1500) → "1.5s", 300 → "300ms"
  U.formatDuration = (ms) => {
    if (ms === 0) return "0s";
    if (ms >= 1000 && ms % 1 === 0) return (ms / 1000) + "s";
    if (ms % 1 === 0) return ms + "ms";
    return Math.round(ms * 1000) + "us";
  };
})();
