// editor.js — edit and run (docs/architecture.md, "Edit and run"). Turns each playground's
// .pg-source into a CodeMirror editor (bundle loaded lazily from site-config.editor, or
// site-config.vendor["codemirror.min.js"]), with Reset,
// Share (#edit=<deflate-raw base64url JSON>), edits kept in localStorage "unblocked.edits.v1"
// ({"<example>": {"sync": "...", "concurrent": "..."}}). Run buttons run edited code compiled
// (site-config.compile) or interpreted (site-config.interp); unedited code runs the precompiled wasm.
//
// API for other scripts: Unblocked.editor = {
//   load() → Promise<UnblockedCM>,
//   create(host, {doc, label, onChange, readOnly}) → Promise<editor>   (see site/editor/src/main.js)
//   prepare(source, {signal}) → Promise<{wasm, source?, engine: "compiled"|"interpreted"}
//                                       | {errors: [{line, col, msg}]} | {message}>
//   engineText(engine) → words for the page, errorText(e) → "line:col: msg" }
// Keyboard: in an editor Tab indents; press Escape, then Tab, to move on.
(() => {
  "use strict";
  const U = window.Unblocked;
  if (!U || !U.runProgram) return;
  const T = U.t;
  const cfg = U.config || {};
  const KEY = "unblocked.edits.v1";
  const VARIANTS = ["sync", "concurrent"];
  // The bundle's URL: site-config "editor", or the build's hashed vendor map.
  const editorURL = cfg.editor || (cfg.vendor && cfg.vendor["codemirror.min.js"]) || "";

  const S = {
    label: { sync: { en: "sync source", zh: "同步版源码" }, concurrent: { en: "concurrent source", zh: "并发版源码" } },
    reset: { en: "Reset", zh: "重置" },
    resetLabel: { sync: { en: "Reset sync source", zh: "重置同步版源码" }, concurrent: { en: "Reset concurrent source", zh: "重置并发版源码" } },
    share: { en: "Share edits", zh: "分享修改" },
    copied: { en: "Link copied — it opens this page with your edits.", zh: "链接已复制,打开它会看到你的修改。" },
    copyBelow: { en: "Copy this link:", zh: "复制这个链接:" },
    nothing: { en: "Nothing edited yet: the link would show the original code.", zh: "还没有修改:链接只会显示原始代码。" },
    edited: { en: "Edited — Run uses your code.", zh: "已修改 — 运行会使用你的代码。" },
    loadedShared: { en: "Opened shared edits.", zh: "已打开分享的修改。" },
    compiling: { en: "Compiling your code…", zh: "正在编译你的代码…" },
    loadingInterp: { en: "Loading the Go interpreter…", zh: "正在加载 Go 解释器…" },
    compiled: { en: "Your code, compiled", zh: "你的代码,已编译" },
    interpreted: { en: "Your code, interpreted — timings are slower than compiled Go", zh: "你的代码,解释执行 — 计时比编译后的 Go 慢" },
    precompiled: { en: "Original code, compiled", zh: "原始代码,已编译" },
    compileError: { en: "Your code does not compile:", zh: "你的代码无法编译:" },
    notCompiled: { en: "Your code does not compile (see the errors under it)", zh: "你的代码无法编译(错误列在代码下方)" },
    notRun: { en: "Your code could not be run", zh: "无法运行你的代码" },
    noEngine: { en: "Running edited code needs the compile server (workbook serve) or the interpreter; neither is available here.", zh: "运行修改后的代码需要编译服务(workbook serve)或解释器,这里都没有。" },
    busy: { en: "The compiler is busy; try again in a moment.", zh: "编译器正忙,请稍后再试。" },
    tooLarge: { en: "The program is too large to compile here.", zh: "程序太大,无法在这里编译。" },
    timeout: { en: "Compiling took too long and was stopped.", zh: "编译时间过长,已停止。" },
    failed: { en: "Could not run your code: ", zh: "无法运行你的代码:" },
    keys: { en: "Tab indents. To leave the editor with the keyboard, press Escape, then Tab.", zh: "Tab 键缩进。要用键盘离开编辑器,先按 Esc,再按 Tab。" },
    hint: { en: "Both programs are editable: click into the code, or Tab to it and press Enter; change it, then run.", zh: "两个程序都可以修改:点击代码,或用 Tab 移到代码上再按回车;改好后运行。" },
    editLabel: { sync: { en: "sync source (press Enter to edit)", zh: "同步版源码(按回车键编辑)" }, concurrent: { en: "concurrent source (press Enter to edit)", zh: "并发版源码(按回车键编辑)" } },
  };

  // --- storage --------------------------------------------------------------------------------
  function readAll() {
    try {
      const v = JSON.parse(localStorage.getItem(KEY) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) { return {}; }
  }
  function stored(example, variant) {
    const e = readAll()[example];
    return e && typeof e[variant] === "string" ? e[variant] : null;
  }
  function store(example, variant, text) {
    const all = readAll();
    const e = all[example] || {};
    if (text == null) delete e[variant]; else e[variant] = text;
    if (Object.keys(e).length) all[example] = e; else delete all[example];
    try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (err) { /* quota, private mode */ }
  }

  // --- the bundle -----------------------------------------------------------------------------
  let cmPromise = null;
  function load() {
    if (window.UnblockedCM) return Promise.resolve(window.UnblockedCM);
    if (!editorURL) return Promise.reject(new Error("no editor bundle in site-config"));
    if (!cmPromise) {
      cmPromise = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = editorURL;
        s.async = true;
        s.onload = () => (window.UnblockedCM ? resolve(window.UnblockedCM) : reject(new Error("editor bundle did not load")));
        s.onerror = () => { cmPromise = null; reject(new Error("could not load " + editorURL)); };
        document.head.append(s);
      });
    }
    return cmPromise;
  }
  const create = (host, opts) => load().then((CM) => CM.create(host, opts));

  // --- compile or interpret -------------------------------------------------------------------
  const compiled = new Map(); // source → Promise<WebAssembly.Module>, a few recent ones
  let compileWorks = !!cfg.compile;
  async function prepare(source, opts) {
    const signal = opts && opts.signal;
    if (compileWorks) {
      let p = compiled.get(source);
      if (!p) {
        p = (async () => {
          let r;
          try {
            r = await fetch(cfg.compile, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ source }), signal });
          } catch (e) {
            if (signal && signal.aborted) throw e;
            return { fallback: true };
          }
          if (r.ok) return { module: await WebAssembly.compile(await r.arrayBuffer()) };
          let body = null;
          try { body = await r.json(); } catch (e) { body = null; }
          const errs = (body && body.errors) || [];
          if (r.status === 400) return { errors: errs };
          if (r.status === 413) return { message: T(S.tooLarge) };
          if (r.status === 429) return { message: T(S.busy), retry: true };
          if (r.status === 504) return { message: T(S.timeout) };
          return { fallback: true }; // 403, 404, 5xx: the endpoint is not for us
        })();
        compiled.set(source, p);
        p.then((v) => { if (!v.module && !(v.errors && v.errors.length)) compiled.delete(source); }, () => compiled.delete(source));
        while (compiled.size > 6) compiled.delete(compiled.keys().next().value);
      }
      const v = await p;
      if (v.module) return { wasm: v.module, engine: "compiled" };
      if (v.errors) return { errors: v.errors };
      if (v.message) return { message: v.message };
      compileWorks = false; // fall through to the interpreter for the rest of this page
    }
    if (cfg.interp) {
      await U.compileWasm(cfg.interp); // one download, then cached per page (and by the service worker)
      return { wasm: cfg.interp, source, engine: "interpreted" };
    }
    return { message: T(S.noEngine) };
  }
  const engineText = (engine) => T(S[engine] || S.precompiled);
  const errorText = (e) => (e.line ? e.line + ":" + (e.col ? e.col + ":" : "") + " " : "") + e.msg;
  // "6:14: undefined: x" lines of the interpreter's stderr → errors
  function parseErrorLines(lines) {
    const out = [];
    for (const l of lines) {
      const m = /^(\d+):(\d+): (.*)$/.exec(l.text);
      if (l.fd === 2 && m) out.push({ line: +m[1], col: +m[2], msg: m[3] });
    }
    return out;
  }

  // Runs of edited code go through playground.js unchanged: just before it calls runProgram, a
  // one-shot override maps the example's wasm URL to the prepared program.
  let override = null;
  const runProgram = U.runProgram;
  U.runProgram = (opts) => {
    const o = override && typeof opts.wasm === "string" && override.get(opts.wasm);
    if (!o) return runProgram(opts);
    override.delete(opts.wasm);
    const p = runProgram(Object.assign({}, opts, { wasm: o.wasm, source: o.source }));
    if (o.onResult) p.then(o.onResult);
    return p;
  };

  // --- base64url + deflate-raw -------------------------------------------------------------------
  async function pack(obj) {
    const bytes = new TextEncoder().encode(JSON.stringify(obj));
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    const buf = new Uint8Array(await new Response(stream).arrayBuffer());
    let s = "";
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  async function unpack(text) {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return JSON.parse(await new Response(stream).text());
  }
  function sharedFromHash() {
    const m = /^#edit=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (!m || typeof DecompressionStream === "undefined") return Promise.resolve(null);
    return unpack(m[1]).then((v) => (v && typeof v.example === "string" ? v : null), () => null);
  }

  // Layout defaults the site CSS may override.
  function injectStyle() {
    if (document.getElementById("pg-edit-style")) return;
    const st = document.createElement("style");
    st.id = "pg-edit-style";
    st.textContent =
      ".pg-edit-bar{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;margin:.5rem 0}" +
      ".pg-edit-bar>p{margin:0}.pg-editor-help{flex-basis:100%;font-size:.85em;opacity:.8}" +
      ".pg-file .pg-reset,.ch-reset{font-size:.85em;padding:.1rem .5rem;margin-left:.5rem}" +
      ".pg-compile-errors,.ch-errors{margin:.25rem 0;font-family:ui-monospace,monospace;font-size:.85em;white-space:pre-wrap}" +
      ".pg-compile-errors ul,.ch-errors ul{margin:.25rem 0;padding-left:1.25rem}" +
      ".pg-share-link{width:100%}";
    document.head.appendChild(st);
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // editOnIntent makes the static source pre focusable and, on the first pointer press on it or
  // Enter while it has focus, calls start() (→ Promise) and moves focus into editor(), with the
  // caret where the learner pointed (or at the start, from the keyboard). Focus alone does not
  // start editing: in the editor Tab indents, so a keyboard user moving through the page would
  // otherwise be pulled in and change the code. One who has moved on while the editor loaded
  // keeps their place: focus moves only if it is still on the source.
  function editOnIntent(pre, label, start, editor) {
    if (!pre.hasAttribute("tabindex")) pre.tabIndex = 0;
    pre.setAttribute("aria-label", label);
    pre.classList.add("pg-editable");
    let at = -1; // text offset of the pointer press
    const go = (pointer) => start().then(() => {
      const ed = editor();
      if (!ed || !(pointer || document.activeElement === pre || document.activeElement === document.body)) return;
      ed.focus();
      if (at >= 0 && at <= ed.view.state.doc.length) ed.view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    });
    const onPointer = (e) => {
      at = textOffsetAt(pre, e.clientX, e.clientY);
      off();
      go(true);
    };
    const onKey = (e) => {
      if (e.key !== "Enter" || e.isComposing) return;
      e.preventDefault();
      off();
      go(false);
    };
    const off = () => { pre.removeEventListener("pointerdown", onPointer); pre.removeEventListener("keydown", onKey); };
    pre.addEventListener("pointerdown", onPointer);
    pre.addEventListener("keydown", onKey);
  }
  // textOffsetAt is the offset in root's text of the character at (x, y), or -1.
  function textOffsetAt(root, x, y) {
    let node = null, offset = 0;
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      if (p) { node = p.offsetNode; offset = p.offset; }
    } else if (document.caretRangeFromPoint) {
      const r = document.caretRangeFromPoint(x, y);
      if (r) { node = r.startContainer; offset = r.startOffset; }
    }
    if (!node || !root.contains(node)) return -1;
    const r = document.createRange();
    r.setStart(root, 0);
    r.setEnd(node, offset);
    return r.toString().length;
  }

  // --- one playground ---------------------------------------------------------------------------
  function setup(sec, shared) {
    if (sec.__edit) return;
    const example = sec.dataset.example || "";
    const srcs = {};
    for (const v of VARIANTS) {
      const box = sec.querySelector(".pg-source[data-variant=" + v + "]");
      const code = box && (box.querySelector("pre code") || box.querySelector("pre"));
      if (box && code) srcs[v] = { box, original: code.textContent, pre: code.closest("pre") || code, editor: null, text: null };
    }
    if (!Object.keys(srcs).length) return;
    sec.__edit = srcs;

    const bar = el("div", { class: "pg-edit-bar" });
    const share = el("button", { type: "button", "data-action": "share-edit" }, T(S.share));
    const status = el("p", { class: "pg-edit-status", role: "status" });
    const linkBox = el("input", { class: "pg-share-link", type: "text", readonly: "", hidden: "", "aria-label": T(S.copyBelow) });
    const help = el("p", { class: "pg-editor-help", id: "pg-keys-" + Math.random().toString(36).slice(2, 9) }, T(S.hint));
    bar.append(share, status, linkBox, help);
    injectStyle();
    const lastBox = srcs.concurrent ? srcs.concurrent.box : srcs.sync.box;
    (lastBox.closest(".pg-sources") || lastBox).insertAdjacentElement("afterend", bar);

    const isEdited = (v) => srcs[v] && srcs[v].text != null && srcs[v].text !== srcs[v].original;
    const editedVariants = () => VARIANTS.filter(isEdited);
    function refresh() {
      const ed = editedVariants();
      if (ed.length) sec.dataset.edited = ed.join(" "); else delete sec.dataset.edited;
      for (const v in srcs) {
        srcs[v].box.toggleAttribute("data-edited", isEdited(v));
        if (srcs[v].reset) srcs[v].reset.disabled = !isEdited(v);
      }
    }

    let started = null;
    function start() {
      if (started) return started;
      started = load().then((CM) => {
        for (const v in srcs) {
          const s = srcs[v];
          const initial = s.text != null ? s.text : s.original;
          const host = el("div", { class: "pg-editor", "data-variant": v });
          s.reset = el("button", { type: "button", class: "pg-reset", "data-action": "reset-source", "data-variant": v, "aria-label": T(S.resetLabel[v]) }, T(S.reset));
          s.errors = el("div", { class: "pg-compile-errors", "data-variant": v, role: "alert", hidden: "" });
          // Reset sits on the file-name line above the source when there is one.
          const fileLine = s.box.parentElement && s.box.parentElement.querySelector(".pg-file");
          if (fileLine) fileLine.append(" ", s.reset);
          else s.box.insertAdjacentElement("beforebegin", s.reset);
          s.pre.hidden = true;
          s.pre.insertAdjacentElement("afterend", host);
          host.insertAdjacentElement("afterend", s.errors);
          let timer = 0;
          s.editor = CM.create(host, {
            doc: initial,
            label: T(S.label[v]),
            onChange(text) {
              s.text = text;
              refresh();
              status.textContent = editedVariants().length ? T(S.edited) : "";
              clearTimeout(timer);
              timer = setTimeout(() => store(example, v, isEdited(v) ? text : null), 250);
            },
          });
          s.editor.view.contentDOM.setAttribute("aria-describedby", help.id);
          help.textContent = T(S.keys);
          s.reset.addEventListener("click", () => {
            s.editor.setDoc(s.original);
            s.text = null;
            store(example, v, null);
            showErrors(v, []);
            refresh();
            status.textContent = editedVariants().length ? T(S.edited) : "";
          });
        }
        refresh();
      });
      started.catch((e) => { started = null; console.warn("editor:", e.message); });
      return started;
    }

    function showErrors(v, errs) {
      const s = srcs[v];
      if (!s || !s.errors) return;
      s.errors.textContent = "";
      if (s.editor) s.editor.setErrors(errs);
      if (!errs.length) { s.errors.hidden = true; return; }
      s.errors.append(el("p", null, T(S.compileError)));
      const ul = el("ul");
      for (const e of errs.slice(0, 10)) ul.append(el("li", { "data-line": String(e.line || 0) }, errorText(e)));
      s.errors.append(ul);
      s.errors.hidden = false;
    }

    // stored or shared edits
    for (const v in srcs) {
      const fromShare = shared && shared.example === example && typeof shared[v] === "string" ? shared[v] : null;
      const text = fromShare != null ? fromShare : stored(example, v);
      if (text != null && text !== srcs[v].original) {
        srcs[v].text = text;
        if (fromShare != null) store(example, v, text);
      }
    }
    if (editedVariants().length) {
      start();
      status.textContent = shared && shared.example === example ? T(S.loadedShared) : T(S.edited);
      // a shared link opens at the playground it is about (a page may have several)
      if (shared && shared.example === example) sec.scrollIntoView({ block: "start" });
    }
    refresh();

    // The editor (about 100 KB) loads when a learner means to edit: a pointer on a source, or
    // focus on it from the keyboard. Until then the source is the highlighted page text, and a
    // reader who only reads and runs never downloads it.
    for (const v in srcs) {
      srcs[v].pre.setAttribute("aria-describedby", help.id);
      editOnIntent(srcs[v].pre, T(S.editLabel[v]), start, () => srcs[v].editor);
    }

    share.addEventListener("click", async () => {
      const ed = editedVariants();
      if (!ed.length) { status.textContent = T(S.nothing); return; }
      const obj = { example };
      for (const v of ed) obj[v] = srcs[v].text;
      let url;
      try { url = location.href.replace(/#.*$/, "") + "#edit=" + (await pack(obj)); } catch (e) { status.textContent = T(S.failed) + e.message; return; }
      history.replaceState(history.state, "", url);
      let ok = false;
      try { await navigator.clipboard.writeText(url); ok = true; } catch (e) { ok = false; }
      status.textContent = ok ? T(S.copied) : T(S.copyBelow);
      linkBox.value = url;
      linkBox.hidden = ok;
      if (!ok) linkBox.select();
      sec.dataset.shared = url;
    });

    // Engine line in each run panel.
    const engineEl = (v) => {
      const panel = sec.querySelector(".pg-run[data-variant=" + v + "]");
      if (!panel) return null;
      let e = panel.querySelector(".pg-engine");
      if (!e) {
        e = el("p", { class: "pg-engine" });
        const out = panel.querySelector(".pg-output");
        panel.insertBefore(e, out || null);
      }
      return e;
    };
    function setEngine(v, engine, text) {
      const e = engineEl(v);
      if (!e) return;
      e.dataset.engine = engine;
      e.textContent = text || engineText(engine);
    }

    let pending = null; // AbortController of a compile in progress
    sec.addEventListener("click", (ev) => {
      const b = ev.target.closest && ev.target.closest("button[data-action]");
      if (!b || !sec.contains(b)) return;
      const action = b.dataset.action;
      if (action === "stop") {
        if (pending) { pending.abort(); pending = null; }
        return; // playground.js stops the runs
      }
      const which = { "run-sync": ["sync"], "run-concurrent": ["concurrent"], "run-both": ["sync", "concurrent"] }[action];
      if (!which) return;
      const edited = which.filter(isEdited);
      for (const v of which) {
        if (!edited.includes(v) && (editedVariants().length || sec.querySelector(".pg-run[data-variant=" + v + "] .pg-engine"))) setEngine(v, "precompiled");
      }
      if (!edited.length || !sec.__unblocked) return; // precompiled: playground.js as usual
      ev.stopImmediatePropagation();
      ev.preventDefault();
      if (pending) pending.abort();
      const ctl = (pending = new AbortController());
      const stop = sec.querySelector("[data-action=stop]");
      if (stop) stop.disabled = false;
      for (const v of edited) {
        setEngine(v, "pending", cfg.compile && compileWorks ? T(S.compiling) : T(S.loadingInterp));
        showErrors(v, []);
      }
      Promise.all(edited.map((v) => prepare(srcs[v].text, { signal: ctl.signal }).catch((e) => ({ message: String(e && e.message || e) }))))
        .then((preps) => {
          if (ctl.signal.aborted) return;
          pending = null;
          const map = new Map();
          let failed = false;
          edited.forEach((v, i) => {
            const p = preps[i];
            const panel = sec.querySelector(".pg-run[data-variant=" + v + "]");
            if (p.wasm) {
              setEngine(v, p.engine);
              const url = sec.dataset["wasm" + (v === "sync" ? "Sync" : "Concurrent")];
              map.set(url, {
                wasm: p.wasm, source: p.source,
                onResult: p.engine === "interpreted" ? (r) => {
                  if (r.status === "error" && r.code === 1) { const errs = parseErrorLines(r.lines); if (errs.length) showErrors(v, errs); }
                } : null,
              });
              return;
            }
            failed = true;
            setEngine(v, "error", p.errors ? T(S.notCompiled) : T(S.notRun));
            if (panel) {
              panel.dataset.state = "error";
              const st = panel.querySelector(".pg-status");
              const err = panel.querySelector(".pg-error");
              if (p.errors) {
                // the list under the source (an alert) has the errors, each on its line
                showErrors(v, p.errors);
                if (st) st.textContent = T(S.notCompiled);
                if (err) err.hidden = true;
              } else {
                if (st) st.textContent = T(S.notRun);
                if (err) { err.textContent = T(S.failed) + p.message; err.hidden = false; }
              }
            }
          });
          if (stop) stop.disabled = true;
          // Run both with one version that does not compile still runs the other one
          const ok = which.filter((v) => !edited.includes(v) || preps[edited.indexOf(v)].wasm);
          if (!ok.length) return;
          const runWhich = ok.length === 2 ? "both" : ok[0];
          override = map;
          try { sec.__unblocked.run(runWhich); } finally { override = null; }
        });
    }, true);
  }

  function init() {
    const secs = document.querySelectorAll("section.playground");
    if (!secs.length) return;
    sharedFromHash().then((shared) => {
      for (const sec of secs) setup(sec, shared);
    });
  }

  U.editor = { injectStyle, load, create, prepare, engineText, errorText, parseErrorLines, store, stored, pack, unpack, editOnIntent };
  // After the rest of app.js (playground.js hydrates the widgets we build on).
  Promise.resolve().then(init);
})();
