// python.js — Run Python in a playground that has a Python pair (docs/arch/python.md): runs
// the example's sync.py and async.py side by side, the way Run both runs the Go pair, in
// Pyodide workers (pyworker.js), into the panels marked data-engine="python", and feeds their
// task lines to the playground's timeline as two more lanes, labelled by language.
//
//   attach(sec, {tl, table, schedule, readVals, net, onChange, describe, pyText}) → null without a Run Python
//   button, else {running(lane?), clock(lane), flush(), stop()} for playground.js
//
// Pyodide (about 5 MB brotli) is fetched only when the learner first presses Run Python: the
// workers import it, nothing on the page does before. After that press the page keeps two
// spare workers with Pyodide loaded, so a second press only starts the programs; the service
// worker keeps the files for the next visit and offline use.
import { runProgram, busy, TIME_LIMIT_MS } from "./runner.js";
import { MSG, taskLine, formatDuration } from "./protocol.js";
import { config, labBase } from "./config.js";
import { argv } from "./params.js";
import { stream } from "./output.js";
import { el } from "./dom.js";
import { t, ms } from "./i18n.js";

const VARIANTS = ["sync", "concurrent"];
/** The timeline lanes of the Python runs, by variant. */
export const LANES = Object.freeze({ sync: "py-sync", concurrent: "py-concurrent" });

const workerURL = () => (config.modules && config.modules.pyworker) || "";

// --- workers --------------------------------------------------------------------------------
const SPARES = 2; // one per variant
let spares = [];
function makeWorker() {
  const w = new Worker(workerURL(), { type: "module" });
  // until a run takes it (runProgram sets its own onmessage)
  w.onmessage = (ev) => { if (ev.data && ev.data.type === MSG.PREPARED) w.prepared = true; };
  w.postMessage(pyEngine.prepare());
  return w;
}

/** sparesReady() → how many spare workers have Pyodide loaded (tests and cmd/bench wait on it). */
export const sparesReady = () => spares.filter((w) => w.prepared).length;
// Loading Pyodide takes seconds of CPU: spares are made only while no program runs, so they
// never slow down a run being timed (as runner.js does for Go's spares).
let refillTimer = 0;
function refill() {
  clearTimeout(refillTimer);
  if (busy()) { refillTimer = setTimeout(refill, 500); return; }
  while (spares.length < SPARES) spares.push(makeWorker());
}

/** The engine of Python programs (runner.js's runProgram({engine})). */
export const pyEngine = Object.freeze({
  name: "python",
  runtime: [],
  limitAfterLoad: true, // loading Pyodide cold is not the program's time
  prepare: () => ({ type: MSG.PREPARE, pyodide: config.pyodide, lab: labBase() }),
  run: (r) => ({
    type: MSG.RUN, pyodide: config.pyodide, lab: labBase(),
    program: r.program, source: r.source, argv: r.argv, maxLines: r.maxLines,
  }),
  take: () => spares.shift() || makeWorker(),
});

// The last press's timings, for cmd/bench's phase breakdown: the press, and per variant the
// worker's marks (pyworker.js, absolute ms), when the program started and its first line came.
let last = null;
const abs = () => performance.timeOrigin + performance.now();
/** pressProfile() → the last press's timings ({press, sync, concurrent}; absolute ms), or null. */
export const pressProfile = () => last;

const fileName = (box) => (box.dataset.file || "").split("/").pop();

/** attach wires Run Python into a hydrated playground (see the top of this file). */
export function attach(sec, o) {
  const btn = sec.querySelector("[data-action=run-python]");
  if (!btn) return null;
  if (!workerURL() || !config.pyodide) { btn.disabled = true; return null; }
  const loadEl = sec.querySelector(".pg-py-load") || el("p", { class: "pg-py-load", role: "status" });
  const P = {};
  for (const v of VARIANTS) {
    const panel = sec.querySelector(".pg-run[data-engine=python][data-variant=" + v + "]");
    const box = sec.querySelector(".pg-py-source[data-variant=" + v + "]");
    if (!panel || !box) return null;
    const outEl = panel.querySelector(".pg-output");
    let status = panel.querySelector(".pg-status");
    if (!status) { status = el("p", { class: "pg-status", role: "status" }, t("notRun")); panel.insertBefore(status, outEl); }
    let err = panel.querySelector(".pg-error");
    if (!err) { err = el("p", { class: "pg-error", role: "alert", hidden: "" }); panel.insertBefore(err, outEl); }
    const code = box.querySelector("pre code") || box.querySelector("pre");
    P[v] = { panel, box, outEl, out: stream(outEl), status, err, run: null, startedAt: 0, original: code ? code.textContent : "" };
  }
  // what Run Python runs: the source as edited (editor.js keeps, shares and resets the Python
  // files' edits like the Go ones), else the file as the page shows it
  const text = (v) => { const e = o.pyText ? o.pyText(v) : null; return e != null ? e : P[v].original; };
  let lanes = false;
  let token = 0;

  function setState(v, state, text) {
    P[v].panel.dataset.state = state;
    P[v].status.textContent = text;
    o.onChange();
  }

  function runVariant(v, vals, onStart) {
    const p = P[v], lane = LANES[v], prof = last;
    if (p.run) p.run.stop();
    o.tl.reset(lane);
    if (o.table) o.table.clear(lane);
    p.out.clear();
    p.err.hidden = true;
    delete p.panel.dataset.elapsedMs;
    const shown = p.panel.querySelector(".pg-elapsed");
    if (shown) shown.textContent = "";
    if (vals.tasks > 0) o.tl.expect(lane, vals.tasks);
    p.startedAt = 0;
    setState(v, "running", t("pyLoading"));
    const run = runProgram({
      engine: pyEngine,
      program: fileName(p.box),
      source: text(v),
      argv: argv(vals, o.net),
      timeLimitMs: Number(sec.dataset.timeLimitMs) || TIME_LIMIT_MS,
      onStart: (s) => { if (prof) Object.assign(prof[v], { marks: s.phases && s.phases.marks, started: abs() }); p.startedAt = performance.now(); p.status.textContent = t("running"); onStart(s.loadMs); o.schedule(); },
      onLine: (l) => {
        if (prof && !prof[v].first) prof[v].first = abs();
        const task = taskLine(l.text);
        if (task) {
          if (task.kind === "start") o.tl.start(lane, task.id, l.t); else o.tl.end(lane, task.id, l.t);
          if (o.table) o.table.mark(lane); // the text alternative lists the Python bars too
        }
        if (!l.hidden) { p.out.push(l); o.schedule(); }
      },
    });
    p.run = run;
    o.onChange();
    o.schedule();
    return run.then((r) => {
      if (p.run !== run) return r;
      p.run = null;
      p.out.flush();
      o.tl.finish(lane, r.elapsedMs);
      if (shown) shown.textContent = r.status === "done" ? t("elapsedMs", { ms: ms(r.elapsedMs) }) : "";
      if (r.status === "done") {
        p.panel.dataset.elapsedMs = String(Math.round(r.elapsedMs));
        setState(v, "done", t("doneIn", { ms: ms(r.elapsedMs), load: ms(r.loadMs) }));
      } else if (r.status === "error") {
        setState(v, "error", t("failed"));
        p.err.textContent = r.message;
        p.err.hidden = false;
      } else {
        setState(v, "stopped", r.status === "timeout" ? t("stoppedLimit") : t("statusStopped"));
        if (r.status === "timeout") { p.err.textContent = r.message; p.err.hidden = false; }
      }
      o.schedule();
      o.describe();
      return r;
    });
  }

  function run() {
    const vals = o.readVals();
    if (!vals) return null;
    const my = ++token;
    last = { press: abs(), sync: {}, concurrent: {} };
    if (!lanes) {
      lanes = true;
      o.tl.addLane(LANES.sync, t("pySync"));
      o.tl.addLane(LANES.concurrent, t("pyConcurrent"));
      if (o.table) { o.table.add(LANES.sync); o.table.add(LANES.concurrent); }
    }
    for (const v of VARIANTS) P[v].panel.hidden = false;
    loadEl.textContent = t("pyLoading");
    let loaded = false;
    const onStart = (loadMs) => {
      if (loaded) return;
      loaded = true;
      loadEl.textContent = t("pyLoaded", { ms: ms(loadMs) });
    };
    // as Run both: past the time limit the sequential version is not started
    const limit = Number(sec.dataset.timeLimitMs) || TIME_LIMIT_MS;
    const est = vals.tasks !== undefined && vals.delay !== undefined ? vals.tasks * vals.delay : 0;
    const runs = VARIANTS.map((v) => {
      if (v === "sync" && est > limit) {
        if (P[v].run) P[v].run.stop();
        o.tl.reset(LANES[v]);
        if (o.table) o.table.clear(LANES[v]);
        P[v].out.clear();
        setState(v, "idle", t("skipped", { est: formatDuration(est), limit: Math.round(limit / 1000) }));
        return Promise.resolve(null);
      }
      return runVariant(v, vals, onStart);
    });
    return Promise.all(runs).then(([a, b]) => {
      if (my !== token) return;
      // the comparison of the two Python runs, as Run both words it for Go
      if (a && b && a.status === "done" && b.status === "done" && b.elapsedMs > 0 && sec.dataset.speedup !== "false") {
        const x = a.elapsedMs / b.elapsedMs;
        loadEl.textContent += " " + (x >= 1.05 ? t("speedFaster", { x: x.toFixed(1) }) : x <= 1 / 1.05 ? t("speedSlower", { x: (1 / x).toFixed(1) }) : t("speedSame"));
      }
      refill(); // a second press only starts the programs
    });
  }

  btn.addEventListener("click", run);
  const running = (lane) => VARIANTS.some((v) => P[v].run && (!lane || LANES[v] === lane));
  return {
    run,
    running,
    /** clock(lane): ms since that Python run started, or null */
    clock(lane) {
      for (const v of VARIANTS) if (LANES[v] === lane) return P[v].run && P[v].startedAt ? performance.now() - P[v].startedAt : null;
      return null;
    },
    flush() { for (const v of VARIANTS) P[v].out.flush(); },
    stop() { token++; for (const v of VARIANTS) if (P[v].run) P[v].run.stop(); },
  };
}
