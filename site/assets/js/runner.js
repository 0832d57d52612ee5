// runner.js — runs programs in workers: one worker per run (Stop = terminate), spare workers made
// ahead, each WebAssembly module compiled once per page.
//
//   runProgram(opts) → Promise<Result> with an extra .stop()
//     opts: {wasm: URL | WebAssembly.Module | ArrayBuffer, argv: [...], env: {},
//            program: argv[0] (default: the URL's fragment, which names a bundle's program; else "js"),
//            source: string (interpreter), maxLines: 10000, timeLimitMs: TIME_LIMIT_MS,
//            signal: AbortSignal, onStart({loadMs}), onLine({fd, text, t, notice, hidden}),
//            engine: an engine (default goEngine), trace: false (record no execution trace),
//            rerun: false (the page's or a benchmark's own program, not the learner's: no spare
//            worker is made for a re-run of it),
//            after: a Promise the program's start waits for (the playground's cleared panel drawn)}
//     (after maxLines lines the output is capped: a notice line, task lines only with hidden:true,
//     and at exit a "… N lines not shown …" notice followed by the last 20 other lines)
//     Result: {status: "done"|"error"|"stopped"|"timeout", code, elapsedMs, pageElapsedMs, loadMs,
//              lines: [{fd, text, t}], message, trace: [Uint8Array], clockMs, endedAt,
//              memory: {start, end}}
//     trace: the run's execution trace in pieces, as far as the worker sent it (scheduler.js);
//     clockMs: the program's own clock (the trace's) at the run's t = 0; endedAt: performance.now()
//     when the run ended; memory: the program's linear memory (bytes) when it started and exited
//     (a re-run of a program that grew it starts with that much ready: see Spare workers)
//     elapsedMs is the program's wall time (in the worker, from just before go.run to exit);
//     pageElapsedMs is the same span seen on the page, plus message latency.
//   compileWasm(url) → Promise<WebAssembly.Module>, cached per URL without its fragment
//   warm(url)         compile a program URL's module and keep spare workers ready for it
//   prefetchRuntime() fetch the worker's scripts ahead of the first run
//   spareWorkers()    the spare workers ready now (for tests)
//
// An engine is what runs a program in a worker speaking protocol.js: the worker's URL, the
// scripts worth prefetching and the two messages. goEngine is the only one; another language
// would be a worker module and an engine object of its own, and runProgram({engine}).
import { MSG, NOTICE, MAX_LINES, unpackLines } from "./protocol.js";
import { config, labBase } from "./config.js";
import { t, num } from "./i18n.js";

/** A run's time limit unless it names one (ms). */
export const TIME_LIMIT_MS = 60000;
/** How long an engine with limitAfterLoad may take to load before its program starts (ms). */
const LOAD_LIMIT_MS = 300000;

/** The engine of Go js/wasm programs (site/assets/js/worker.js). */
export const goEngine = Object.freeze({
  name: "go",
  worker: config.worker,
  runtime: [config.worker, config.wasmExec],
  prepare: (mod, memory) => ({ type: MSG.PREPARE, wasmExec: config.wasmExec, wasm: mod ? mod.module : undefined, key: mod ? mod.key : undefined, memory }),
  run: (r) => ({
    type: MSG.RUN, wasm: r.wasm, key: r.key, wasmExec: config.wasmExec,
    lab: labBase(), // answered in the worker (lab.js), on any host and offline
    program: r.program || "js", argv: r.argv, maxLines: r.maxLines, source: r.source,
    // The interpreter (a run with source): no runtime traceback, which would list the
    // interpreter's goroutines, not the program's (docs/arch/interp.md).
    env: r.source !== undefined ? Object.assign({ GOTRACEBACK: "none" }, r.env) : r.env,
    trace: r.trace, // false: the program records no execution trace (scheduler view)
  }),
});

// --- WebAssembly modules, compiled once per URL ---------------------------------------------------
// The examples come as bundles: "<module>.wasm#sleep/sync" is the program sleep/sync of that
// module (docs/architecture.md, "Bundles"). The module is fetched and compiled once for all.
const splitWasm = (url) => {
  const i = url.indexOf("#");
  return i < 0 ? [url, ""] : [url.slice(0, i), decodeURIComponent(url.slice(i + 1))];
};
const modules = new Map();

/** compileWasm(url) → Promise<WebAssembly.Module> of the URL (its fragment aside), once per page. */
export function compileWasm(url) {
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
}

// --- Workers ------------------------------------------------------------------------------------
const prefetched = new Set();

/** prefetchRuntime warms the HTTP cache with the engine's worker scripts (a widget nears view). */
export function prefetchRuntime(engine = goEngine) {
  if (prefetched.has(engine)) return;
  prefetched.add(engine);
  for (const u of engine.runtime) if (u) fetch(u).catch(() => {});
}

// Spare workers: made ahead with wasm_exec.js loaded and a Go instance of the page's module (the
// one warm compiled last) ready, so a click only starts the program: measured on a warm page,
// click → first output went from about 50 to about 25 ms. Two, for Run both. They are made only
// while no program runs (they would take CPU from a timed run).
//
// One of them is also made for a re-run: when a program of the module last ended with more than
// RERUN_MEMORY of linear memory, that spare's instance is grown to the same size and
// its pages touched before the click (worker.js, touchMemory), and a run of that program takes
// it. The operating system's cost of first touching a page then falls while the learner reads,
// not inside the program's timed run (docs/arch/gowasm.md, "Memory").
const SPARES = 2;
let spares = []; // [{worker, key, program}] of goEngine; program: the re-run this one was grown for
let spareModule = null; // {key, module}
let active = 0;
let refillTimer = 0;
// A run that ended with less linear memory than this (bytes) gets no re-run spare: at 1,000
// goroutines (about 10 MB) touching ahead made no difference that could be measured, and it is
// still work beside the page.
const RERUN_MEMORY = 32 << 20;
const lastMemory = new Map(); // module key → {program, bytes}: its last run that ended with more
// A device that says it has less than 4 GB (navigator.deviceMemory, Chromium's) keeps no memory
// ahead for a re-run: an idle worker holding tens of megabytes is what gets its tab discarded.
const lowMemory = typeof navigator !== "undefined" && navigator.deviceMemory > 0 && navigator.deviceMemory < 4;

function makeWorker(engine, mod, regrow) {
  const w = new Worker(engine.worker, { type: "module" });
  w.postMessage(engine.prepare(mod, regrow ? regrow.bytes : 0));
  return { worker: w, key: mod ? mod.key : "", program: regrow ? regrow.program : "" };
}
function refillSoon() {
  clearTimeout(refillTimer);
  refillTimer = setTimeout(() => {
    if (active > 0 || !goEngine.worker) return;
    const key = spareModule ? spareModule.key : "";
    const regrow = lastMemory.get(key);
    const stale = (s) => s.key !== key || (s.program && (!regrow || s.program !== regrow.program));
    for (const s of spares.filter(stale)) s.worker.terminate();
    spares = spares.filter((s) => !stale(s));
    const grown = () => spares.some((s) => s.program);
    while (spares.length < SPARES - (regrow && !grown() ? 1 : 0)) spares.push(makeWorker(goEngine, spareModule));
    // The re-run's spare touches its memory for tens of milliseconds of another thread: it waits
    // until the page is idle (the run's scheduler view drawn), and a click before that takes a
    // plain one.
    if (regrow && !grown()) {
      whenIdle(() => {
        if (active > 0 || spareModule?.key !== key || lastMemory.get(key) !== regrow || grown()) return;
        spares.push(makeWorker(goEngine, spareModule, regrow));
      });
    }
  }, 0);
}
const whenIdle = (f) => (typeof requestIdleCallback === "function" ? requestIdleCallback(f, { timeout: 2000 }) : setTimeout(f, 0));
function takeWorker(engine, key, program) {
  if (engine.take) return engine.take(); // an engine with spare workers of its own (python.js)
  if (engine !== goEngine) return makeWorker(engine, null).worker;
  // the spare grown for this program, else a plain one of the module, else any plain one (its
  // wasm_exec.js is loaded), never another program's grown one
  let i = spares.findIndex((s) => s.key === key && s.program === program);
  if (i < 0) i = spares.findIndex((s) => s.key === key && !s.program);
  if (i < 0) i = spares.findIndex((s) => !s.program);
  return i >= 0 ? spares.splice(i, 1)[0].worker : makeWorker(engine, null).worker;
}
// noteMemory remembers how much memory a finished run of prog ({key, program, module}) ended
// with, for the spare made after it (refillSoon); a run that wants a re-run spare makes its module
// the spares' module.
function noteMemory(prog, bytes) {
  if (!(bytes > 0)) return;
  if (bytes > RERUN_MEMORY && !lowMemory) {
    lastMemory.set(prog.key, { program: prog.program, bytes });
    spareModule = { key: prog.key, module: prog.module };
  } else if (lastMemory.get(prog.key)?.program === prog.program) {
    lastMemory.delete(prog.key);
  }
}

/**
 * spareWorkers() → [{key, program}]: the spare workers ready now, program naming the re-run one
 * was grown for (else ""). For tests, which wait on it rather than on time.
 */
export const spareWorkers = () => spares.map((s) => ({ key: s.key, program: s.program }));

/** busy() is true while a program of any engine runs (spare workers wait for it to end). */
export const busy = () => active > 0;

/** warm(url) compiles a program URL's module and keeps spare workers ready for it. */
export function warm(url) {
  prefetchRuntime();
  const key = splitWasm(url)[0];
  return compileWasm(key).then((module) => {
    if (!spareModule || spareModule.key !== key) spareModule = { key, module };
    refillSoon();
  }, () => {});
}

// The worker's notices (output cap) carry a kind and numbers; their text is made here, in the
// page's language.
function noticeText(l) {
  if (l.notice === NOTICE.CAP && l.maxLines > 0) return t("noticeCap", { n: num(l.maxLines) });
  if (l.notice === NOTICE.DROPPED && l.count >= 0) return t("noticeDropped", { n: num(l.count) });
  return l.text;
}

// errorMessage is a failed run's one-line reason: a panic or fatal error if there was one (near
// the end), else the last line on stderr, and the exit status.
function errorMessage(lines, code) {
  let msg = "";
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 200; i--) {
    const l = lines[i];
    if (l.fd === 2 && /^(panic: |fatal error: )/.test(l.text)) msg = l.text;
  }
  if (!msg) {
    const errs = lines.filter((l) => l.fd === 2 && !l.notice);
    msg = errs.length ? errs[errs.length - 1].text : "";
  }
  return (msg ? msg + " — " : "") + t("exitStatus", { code });
}

/** runProgram runs one program (see the top of this file). */
export function runProgram(opts) {
  const engine = opts.engine || goEngine;
  let stopFn = () => {};
  const p = new Promise((resolve) => {
    const lines = [];
    const trace = []; // pieces of the run's execution trace (MSG.TRACE)
    let worker = null;
    let finished = false;
    let startedAt = 0;
    let clockMs; // the program's clock at t = 0 (MSG.STARTED)
    const memory = {}; // the program's linear memory at its start and its exit (bytes)
    let rerunOf = null; // {key, program, module}: what a re-run of this one would run (noteMemory)
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
      r.trace = trace;
      r.clockMs = clockMs;
      r.memory = memory;
      r.endedAt = performance.now(); // the page's clock when the run ended (scheduler.js's data-drawn-ms counts from it)
      r.loadMs = loadMs;
      r.pageElapsedMs = lastPageElapsed;
      if (r.elapsedMs === undefined) r.elapsedMs = startedAt ? performance.now() - startedAt : 0;
      resolve(r);
    };
    stopFn = () => finish({ status: "stopped", code: -1, message: t("runStopped") });
    if (opts.signal) {
      if (opts.signal.aborted) return stopFn();
      opts.signal.addEventListener("abort", stopFn);
    }
    const limit = opts.timeLimitMs > 0 ? opts.timeLimitMs : TIME_LIMIT_MS;
    const timeout = () => finish({ status: "timeout", code: -1, message: t("runTimeLimit", { s: Math.round(limit / 1000) }) });
    // An engine whose runtime takes long to load (Pyodide, cold, on a busy machine) has the
    // limit count from the program's start; its loading gets LOAD_LIMIT_MS of its own.
    timer = setTimeout(timeout, engine.limitAfterLoad ? Math.max(limit, LOAD_LIMIT_MS) : limit);

    const onMessage = (ev) => {
      if (finished) return;
      const m = ev.data || {};
      if (m.type === MSG.STARTED) {
        startedAt = performance.now();
        clockMs = m.clock;
        memory.start = m.memory;
        if (engine.limitAfterLoad) { clearTimeout(timer); timer = setTimeout(timeout, limit); }
        loadMs = startedAt - t0;
        if (opts.onStart) opts.onStart({ loadMs, phases: m.phases });
      } else if (m.type === MSG.LINES) {
        // a packed batch's lines are already {fd, text, t, hidden?}: no copy of each
        const batch = m.packed ? unpackLines(m.packed) : m.lines.map((l) => {
          const line = { fd: l.fd, text: l.text, t: l.t };
          if (l.notice) { line.notice = true; line.text = noticeText(l); }
          if (l.hidden) line.hidden = true;
          return line;
        });
        for (const line of batch) {
          if (!line.hidden) lines.push(line);
          if (opts.onLine) opts.onLine(line);
        }
      } else if (m.type === MSG.EXIT) {
        // The run's wall time as the worker's clock saw it (started → exit); the page-side
        // difference adds main-thread message latency (kept as pageElapsedMs).
        const pageElapsedMs = performance.now() - startedAt;
        const elapsedMs = typeof m.t === "number" ? m.t : pageElapsedMs;
        lastPageElapsed = pageElapsedMs;
        memory.end = m.memory;
        if (rerunOf) noteMemory(rerunOf, m.memory);
        if (m.code === 0) finish({ status: "done", code: 0, elapsedMs });
        else finish({ status: "error", code: m.code, elapsedMs, message: errorMessage(lines, m.code) });
      } else if (m.type === MSG.ERROR) {
        finish({ status: "error", code: -1, message: m.message });
      } else if (m.type === MSG.TRACE) {
        if (m.bytes && m.bytes.byteLength) trace.push(m.bytes);
      }
    };

    (async () => {
      let wasm = opts.wasm;
      let key = "";
      let program = opts.program || "";
      if (typeof wasm === "string") {
        const [url, name] = splitWasm(wasm);
        if (!program) program = name;
        wasm = url;
        try { wasm = await compileWasm(url); key = url; } catch (e) { /* the worker reports the fetch error */ }
      }
      if (opts.after) await opts.after;
      if (finished) return;
      if (key && engine === goEngine && opts.rerun !== false) rerunOf = { key, program, module: wasm };
      worker = takeWorker(engine, key, program);
      active++;
      counted = true;
      worker.onmessage = onMessage;
      worker.onerror = (e) => finish({ status: "error", code: -1, message: (e && e.message) || "worker error" });
      worker.postMessage(engine.run({
        wasm, key, program, argv: opts.argv || [], env: opts.env || {},
        maxLines: opts.maxLines || MAX_LINES, source: opts.source, trace: opts.trace,
      }));
    })().catch((e) => finish({ status: "error", code: -1, message: String((e && e.message) || e) }));
  });
  p.stop = () => stopFn();
  return p;
}
