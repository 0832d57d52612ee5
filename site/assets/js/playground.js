// playground.js — a section.playground (docs/architecture.md, "Playground widget") composed of
// its parameters (params.js), two run panels with their output (output.js), the timeline
// (timeline.js) and its table (table.js), running programs through runner.js.
//
//   hydrate(sec, {source, python}) → the playground's API (below); once per section; python is
//                          python.js, which main.js imports only for a section with Run Python
//   instance(sec)          → that API, or null
//
// options.source lets another feature run other code than the page's programs (editor.js does,
// for edited code). Every method is called on a Run press:
//   edited(variant) → bool            whether variant runs other code
//   anyEdited() → bool                whether any does (unedited panels then say "precompiled")
//   prepare(variant, {signal}) → Promise<{wasm, source?, engine} | {errors: [...]} | {message}>
//   pendingText() → string            the engine line while prepare works
//   engineText(engine) → string       the engine line of a run ("compiled", "interpreted", …)
//   showErrors(variant, errors)       compile errors, shown by the source
//   onResult(variant, prepared, result)  after a run of prepared code
import { runProgram, warm, TIME_LIMIT_MS } from "./runner.js";
import { taskLine, formatDuration } from "./protocol.js";
import { controls, argv } from "./params.js";
import { timeline } from "./timeline.js";
import { table } from "./table.js";
import { stream } from "./output.js";
import { el } from "./dom.js";
import { t, ms, num, variantWord } from "./i18n.js";

const VARIANTS = ["sync", "concurrent"];
const instances = new WeakMap();

// schedView is a run panel's scheduler view (scheduler.js, docs/arch/scheduler.md), imported with
// the first run's trace: import() keeps it out of every page's preloaded scripts.
// show(r) → Promise of {summary, taskBars} (scheduler.js's), or null: no trace, or superseded.
function schedView(panel) {
  let view = null, token = 0;
  return {
    clear() { token++; if (view) view.clear(); },
    show(r, opts) {
      const my = ++token;
      return import("./scheduler.js").then((m) => {
        if (my !== token) return null;
        view = m.view(panel);
        return view.show(r, opts).then((s) => (s && my === token ? { summary: s, taskBars: m.taskBars } : null));
      }).catch(() => null);
    },
  };
}

/** instance(sec) is the API of a hydrated playground section, or null. */
export const instance = (sec) => instances.get(sec) || null;

const wasmOf = (sec, v) => sec.dataset[v === "sync" ? "wasmSync" : "wasmConcurrent"];

// painted() resolves once the page has drawn a frame (a task after the frame's callbacks), or
// after 100 ms in a tab that draws none.
const painted = () => new Promise((resolve) => {
  const timer = setTimeout(resolve, 100);
  requestAnimationFrame(() => setTimeout(() => { clearTimeout(timer); resolve(); }, 0));
});

/** hydrate brings a playground section to life (see the top of this file). */
export function hydrate(sec, options = {}) {
  if (instances.has(sec)) return instances.get(sec);
  const source = options.source || null;
  const ctl = controls(sec, { onEnter: () => go("both") });

  // panels
  const P = {};
  for (const v of VARIANTS) {
    let panel = sec.querySelector(".pg-run[data-variant=" + v + "]");
    if (!panel) { panel = el("div", { class: "pg-run", "data-variant": v }); sec.append(panel); }
    let out = panel.querySelector(".pg-output");
    if (!out) { out = el("pre", { class: "pg-output" }); panel.append(out); }
    if (!out.hasAttribute("aria-live")) out.setAttribute("aria-live", "off");
    let status = panel.querySelector(".pg-status");
    if (!status) { status = el("p", { class: "pg-status", role: "status" }); panel.insertBefore(status, out); }
    let err = panel.querySelector(".pg-error");
    if (!err) { err = el("p", { class: "pg-error", role: "alert", hidden: "" }); panel.insertBefore(err, out); }
    if (!panel.dataset.state) panel.dataset.state = "idle";
    if (panel.dataset.state === "idle") status.textContent = t("notRun");
    P[v] = { panel, outEl: out, out: stream(out), status, err, run: null, startedAt: 0, engineEl: null, engine: "" };
    P[v].sched = schedView(panel); // scheduler view
  }

  let tlEl = sec.querySelector(".pg-timeline");
  if (!tlEl) { tlEl = el("div", { class: "pg-timeline" }); sec.append(tlEl); }
  const tl = timeline(tlEl, VARIANTS, { onChange: (soon) => (soon ? frameSoon() : schedule()) });
  const tab = table(tlEl, VARIANTS, { bars: tl.list, name: sec.dataset.example });
  // per Go variant, where its bars came from (traceBars), after the lanes
  const lanesEl = tlEl.querySelector(".pg-lanes");
  for (const v of VARIANTS.slice().reverse()) {
    P[v].barsNote = el("p", { class: "pg-bars-note", "data-variant": v, hidden: "" });
    lanesEl.insertAdjacentElement("afterend", P[v].barsNote);
  }
  // Run Python (python.js): the Python pair's panels, and its bars as more lanes of this timeline
  const describe = () => tl.describe((x) => (P[x] ? !P[x].run : !(py && py.running(x))));
  const py = options.python && options.python.attach(sec, {
    tl, table: tab, schedule: () => schedule(), onChange: () => updateStop(), describe, net: sec.dataset.net === "true",
    pyText: source && source.pyText ? source.pyText : null, // edited Python (editor.js)
    readVals: () => { const vals = ctl.read(false); if (vals) ctl.writeURL(vals); return vals; },
  });
  let speed = sec.querySelector(".pg-speedup");
  if (!speed) { speed = el("p", { class: "pg-speedup", "aria-live": "polite" }); tlEl.insertAdjacentElement("beforebegin", speed); }

  // --- frames ---------------------------------------------------------------------------------
  // One pending frame at a time: requestAnimationFrame, with a timer as fallback for tabs that
  // get no frames (background); whichever fires first cancels the other.
  let rafId = 0, timerId = 0, lastFrame = 0;
  const clock = (v) => (!P[v] ? (py ? py.clock(v) : null) : P[v].run && P[v].startedAt ? performance.now() - P[v].startedAt : null);
  function frame() {
    cancelAnimationFrame(rafId);
    clearTimeout(timerId);
    rafId = timerId = 0;
    lastFrame = performance.now();
    let any = false;
    for (const v of VARIANTS) {
      P[v].out.flush();
      if (P[v].run) any = true;
    }
    if (py) { py.flush(); if (py.running()) any = true; }
    tl.draw(clock);
    tab.render();
    if (any) schedule();
  }
  // With a canvas timeline (hundreds of tasks) a frame redraws every bar and appends hundreds of
  // output lines; drawing that at every frame is work a 2-core machine takes partly from the
  // program's thread (measured at 1,000 tasks x 1 s: runs about 1.5 % longer, 6 runs each). So
  // then the page draws 10 times a second; a run's first lines still show at once.
  function schedule() {
    if (rafId || timerId) return;
    const firstLines = VARIANTS.some((v) => P[v].out.first());
    const wait = tl.mode() === "canvas" && !firstLines ? 100 - (performance.now() - lastFrame) : 0;
    if (wait > 0) { timerId = setTimeout(() => { timerId = 0; schedule(); }, wait); return; }
    rafId = requestAnimationFrame(frame);
    timerId = setTimeout(frame, 250);
  }
  // a resize redraws in the next frame (never later than the throttled schedule)
  function frameSoon() {
    if (timerId && !rafId) { clearTimeout(timerId); timerId = 0; }
    schedule();
  }

  // --- panels ---------------------------------------------------------------------------------
  function setState(v, state, text) {
    P[v].panel.dataset.state = state;
    P[v].status.textContent = text;
    updateStop();
  }
  // setEngine shows which engine runs v (edited code only: source is set)
  function setEngine(v, engine, text) {
    const p = P[v];
    if (!p.engineEl) {
      p.engineEl = p.panel.querySelector(".pg-engine") || el("p", { class: "pg-engine" });
      if (!p.engineEl.parentNode) p.panel.insertBefore(p.engineEl, p.outEl);
    }
    p.engine = engine;
    p.engineEl.dataset.engine = engine;
    p.engineEl.textContent = text || source.engineText(engine);
  }
  // resetPanel stops v's run and empties its panel for what comes next
  function resetPanel(v) {
    const p = P[v];
    if (p.run) p.run.stop();
    p.sched.clear(); // scheduler view
    tl.reset(v);
    p.barsNote.hidden = true;
    p.barsNote.textContent = "";
    delete p.barsNote.dataset.drawnMs;
    tab.clear(v);
    p.out.clear();
    p.err.hidden = true;
    p.err.textContent = "";
    delete p.panel.dataset.elapsedMs;
    const shown = p.panel.querySelector(".pg-elapsed");
    if (shown) shown.textContent = "";
    return p;
  }

  let pending = null; // AbortController of edited code being prepared
  function updateStop() {
    const stop = sec.querySelector("[data-action=stop]");
    if (!stop) return;
    const running = !!pending || VARIANTS.some((v) => P[v].run) || !!(py && py.running());
    // a disabled button drops keyboard focus to the page: hand it to Run both first
    if (!running && document.activeElement === stop) {
      const both = sec.querySelector("[data-action=run-both]");
      if (both) both.focus();
    }
    stop.disabled = !running;
  }

  // --- runs -----------------------------------------------------------------------------------
  function runVariant(v, vals, prepared) {
    // Clearing a long run's output, bars and scheduler view is drawn in the next frame, on the
    // cores the program's thread needs too: a 1,000-task program started meanwhile ran ≈ 6 ms
    // longer (cmd/bench -only fidparts). After a short run the program starts at once.
    const heavy = !!(P[v].last && P[v].last.lines && P[v].last.lines.length > 500);
    const p = resetPanel(v);
    delete p.panel.dataset.stale;
    if (vals.tasks > 0) tl.expect(v, vals.tasks);
    p.startedAt = 0;
    setState(v, "running", t("loading"));
    const run = runProgram({
      wasm: prepared ? prepared.wasm : wasmOf(sec, v),
      source: prepared ? prepared.source : undefined,
      argv: argv(vals, sec.dataset.net === "true"),
      timeLimitMs: Number(sec.dataset.timeLimitMs) || TIME_LIMIT_MS,
      after: heavy ? painted() : undefined,
      onStart: () => { p.startedAt = performance.now(); p.status.textContent = t("running"); schedule(); },
      onLine: (l) => {
        const task = taskLine(l.text);
        if (task) {
          if (task.kind === "start") tl.start(v, task.id, l.t); else tl.end(v, task.id, l.t);
          tab.mark(v);
        }
        if (!l.hidden) { p.out.push(l); schedule(); }
      },
    });
    p.run = run;
    updateStop();
    schedule();
    p.last = null;
    return run.then((r) => {
      if (prepared && source.onResult) source.onResult(v, prepared, r);
      if (p.run !== run) return r; // superseded by a newer run
      p.run = null;
      p.last = r;
      lastVals[v] = r.status === "done" ? JSON.stringify(vals) : null;
      p.out.flush();
      tl.finish(v, r.elapsedMs);
      const shown = p.panel.querySelector(".pg-elapsed");
      if (shown) shown.textContent = r.status === "done" ? t("elapsedMs", { ms: ms(r.elapsedMs) }) : "";
      if (r.status === "done") {
        p.panel.dataset.elapsedMs = String(Math.round(r.elapsedMs));
        if (r.pageElapsedMs !== undefined) p.panel.dataset.pageElapsedMs = String(Math.round(r.pageElapsedMs));
        setState(v, "done", t("doneIn", { ms: ms(r.elapsedMs), load: ms(r.loadMs) }));
      } else if (r.status === "error") {
        // the status says what happened, the alert below it says why (announced once)
        setState(v, "error", t("failed"));
        p.err.textContent = r.message;
        p.err.hidden = false;
      } else {
        setState(v, "stopped", r.status === "timeout" ? t("stoppedLimit") : t("statusStopped"));
        if (r.status === "timeout") { p.err.textContent = r.message; p.err.hidden = false; }
      }
      frame();
      describe();
      // scheduler view: parses the run's trace after it, whose task bars then replace the printed ones
      p.sched.show(r, { interpreted: p.engine === "interpreted" }).then((got) => traceBars(v, r, got));
      return r;
    });
  }

  // --- the task bars from the run's trace (docs/arch/scheduler.md, "Task bars") -----------------
  // While a Go program runs, its printed task lines draw provisional bars. Once its trace is
  // parsed, the trace's tasks take their place: the regions or tasks the program named, else the
  // goroutines it started (taskBars), so a program that prints nothing gets its bars too. The
  // printed bars stay where the trace cannot stand for them: a run that did not end normally (its
  // trace lacks its end), or printed tasks the goroutines do not match one for one (the sync
  // version's tasks run in turn on main; a pool runs ten tasks on three goroutines). The note
  // under the lanes says which it is.
  function traceBars(v, r, got) {
    const p = P[v];
    if (!got || p.last !== r || p.run || typeof r.clockMs !== "number") return;
    // a replay (presenter mode) is redrawing this run's bars: the trace's replace them after it
    if (sec.dataset.replay === "running") { afterReplay.push(() => traceBars(v, r, got)); return; }
    const s = got.summary;
    const printed = tl.list(v).length;
    const word = t(v);
    let text;
    if (r.status !== "done" || !s.complete) {
      text = printed ? t("barsLinesCut", { v: word }) : "";
    } else {
      const offset = s.clockMs - r.clockMs;
      const tb = got.taskBars(s, offset);
      const byGoroutine = tb.from === "goroutines" || tb.from === "main";
      if (printed && byGoroutine && tb.bars.length !== printed) {
        text = tb.from === "main" ? t("barsLinesMain", { v: word, n: num(printed) }) : t(tb.bars.length === 1 ? "barsLinesCountOne" : "barsLinesCount", { v: word, n: num(printed), g: num(tb.bars.length) });
      } else if (tb.bars.length) {
        tl.replace(v, tb.bars, "trace");
        tl.finish(v, r.elapsedMs);
        tab.mark(v);
        text = tb.from === "regions" ? t("barsRegions", { v: word }) : tb.from === "tasks" ? t("barsTasks", { v: word })
          : tb.from === "main" ? t("barsMain", { v: word }) : t("barsGoroutines", { v: word });
        frame();
        describe();
        if (r.endedAt) p.barsNote.dataset.drawnMs = String(Math.round(performance.now() - r.endedAt)); // run end → bars drawn (cmd/bench)
      }
    }
    p.barsNote.textContent = text || "";
    p.barsNote.hidden = !text;
  }

  // skip shows in v's panel why it was not started (Run both, a run that cannot finish in time)
  function skip(v, estMs, limitMs) {
    resetPanel(v);
    setState(v, "idle", t("skipped", { est: formatDuration(estMs), limit: Math.round(limitMs / 1000) }));
  }

  // compare is the speed-up line after Run both: only for two runs that did the same work
  function compare(a, b, estSync) {
    if (!b || b.status !== "done") return "";
    if (!a) return estSync > 0 ? t("speedAtLeast", { x: Math.floor(estSync / b.elapsedMs) }) : "";
    if (a.status !== "done" || !(b.elapsedMs > 0)) return "";
    if (sec.dataset.speedup === "false") return t("mistake");
    const of = Math.max(...VARIANTS.map((v) => tl.list(v).length));
    for (const v of VARIANTS) {
      const done = tl.list(v).length - tl.open(v);
      if (done < of) return t("notCompared", { v: variantWord(v), done, of });
    }
    const x = a.elapsedMs / b.elapsedMs;
    speed.dataset.speedup = x.toFixed(2);
    if (sec.dataset.cpu === "true" && !VARIANTS.some((v) => P[v].engine === "interpreted")) return cpuLine(a, b, x);
    const text = x >= 1.05 ? t("speedFaster", { x: x.toFixed(1) }) : x <= 1 / 1.05 ? t("speedSlower", { x: (1 / x).toFixed(1) }) : t("speedSame");
    // edited code may run interpreted: slower, so say so
    const interp = VARIANTS.filter((v) => P[v].engine === "interpreted");
    return text + (interp.length === 1 ? t("unfair", { v: t(interp[0]) }) : "");
  }

  // --- learner: CPU-bound pairs (data-cpu): the same computing on one thread ------------------
  // Each task prints "task N done: result <hex>"; when both versions printed the same results
  // they did the same work, and a difference in time is the machine, not concurrency.
  function results(v) {
    const out = {};
    for (const m of P[v].outEl.textContent.matchAll(/^task (\S+) done: result (\S+)$/gm)) out[m[1]] = m[2];
    return out;
  }
  function cpuLine(a, b, x) {
    const ra = results("sync"), rb = results("concurrent");
    const ids = Object.keys(ra);
    const same = ids.length > 0 && ids.length === Object.keys(rb).length && ids.every((id) => ra[id] === rb[id]);
    speed.dataset.sameWork = String(same);
    if (!same) return x >= 1.05 ? t("speedFaster", { x: x.toFixed(1) }) : x <= 1 / 1.05 ? t("speedSlower", { x: (1 / x).toFixed(1) }) : t("speedSame");
    const pct = Math.round(Math.abs(a.elapsedMs - b.elapsedMs) / Math.min(a.elapsedMs, b.elapsedMs) * 100);
    return t("speedCPU", { sync: ms(a.elapsedMs), conc: ms(b.elapsedMs) }) + (pct > 10 ? t("cpuNoise", { pct }) : "");
  }

  // --- learner: the speed-up after two separate runs ----------------------------------------------
  // Run sync, then Run concurrent (or the other way) with the same parameters and code compares
  // them as Run both does: each panel remembers the values of its last finished run, and a panel
  // marked stale (inputs or code changed since) is not compared.
  const lastVals = {};
  function compareSeparate(v, vals, r, token) {
    lastVals[v] = r && r.status === "done" ? JSON.stringify(vals) : null;
    if (token !== bothToken || !r || r.status !== "done") return;
    const other = v === "sync" ? "concurrent" : "sync";
    const o = P[other];
    if (o.run || o.panel.dataset.stale || o.panel.dataset.state !== "done" || lastVals[other] !== JSON.stringify(vals) || !o.last) return;
    const [a, b] = v === "sync" ? [r, o.last] : [o.last, r];
    speed.textContent = compare(a, b, 0);
  }

  // --- slow-motion replay (presenter mode, present.js) ------------------------------------------
  // replay(factor) redraws the last run's bars as they happened, factor times slower: its own
  // recorded times, not a new run. sec.dataset.replay is "running", then "done".
  let replayId = 0;
  const afterReplay = []; // traceBars calls that came during a replay
  function replay(factor) {
    if (pending || VARIANTS.some((v) => P[v].run)) return false;
    const rec = {};
    let total = 0;
    for (const v of VARIANTS) {
      const ev = [];
      for (const b of tl.list(v)) {
        ev.push([b.start, 0, b.id]);
        if (b.end !== undefined) ev.push([b.end, 1, b.id]);
      }
      ev.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      rec[v] = { ev, maxT: tl.maxT(v), i: 0 };
      total = Math.max(total, rec[v].maxT);
    }
    if (!(total > 0)) return false;
    const id = ++replayId;
    for (const v of VARIANTS) tl.reset(v);
    sec.dataset.replay = "running";
    const t0 = performance.now();
    const tick = () => {
      if (id !== replayId) return;
      const now = (performance.now() - t0) / factor;
      for (const v of VARIANTS) {
        const r = rec[v];
        for (; r.i < r.ev.length && r.ev[r.i][0] <= now; r.i++) {
          const [at, kind, task] = r.ev[r.i];
          if (kind === 0) tl.start(v, task, at); else tl.end(v, task, at);
        }
        if (now >= r.maxT) tl.finish(v, r.maxT);
      }
      tl.draw((v) => (now < rec[v].maxT ? now : null));
      if (now < total) { setTimeout(tick, 16); return; }
      tab.render();
      tl.describe(() => true);
      sec.dataset.replay = "done";
      for (const f of afterReplay.splice(0)) f();
    };
    tick();
    return true;
  }

  let bothToken = 0;
  // start runs which ("sync", "concurrent" or "both"); prepared holds edited variants' programs
  function start(which, vals, prepared) {
    const token = ++bothToken;
    replayId++; // a new run ends a replay
    delete sec.dataset.replay;
    afterReplay.length = 0;
    speed.textContent = "";
    delete speed.dataset.speedup;
    if (which !== "both") return runVariant(which, vals, prepared[which]).then((r) => { compareSeparate(which, vals, r, token); return r; });
    // one task after another the sync version takes at least tasks × delay: past the time limit
    // Run both does not start it (Run sync still does, and the limit stops it)
    const limit = Number(sec.dataset.timeLimitMs) || TIME_LIMIT_MS;
    const est = vals.tasks !== undefined && vals.delay !== undefined ? vals.tasks * vals.delay : 0;
    const runs = est > limit
      ? (skip("sync", est, limit), [Promise.resolve(null), runVariant("concurrent", vals, prepared.concurrent)])
      : VARIANTS.map((v) => runVariant(v, vals, prepared[v]));
    return Promise.all(runs).then(([a, b]) => {
      if (token !== bothToken) return;
      speed.textContent = compare(a, b, est);
    });
  }

  // failed shows in v's panel why its edited code does not run
  function failed(v, prep) {
    // the previous run's time, output and bars are not this code's: clear them
    const p = resetPanel(v);
    delete p.panel.dataset.stale;
    setEngine(v, "error", t(prep.errors ? "notCompiled" : "notRunnable"));
    p.panel.dataset.state = "error";
    // the engine line says why; the status only that nothing ran (not the same words twice)
    if (prep.errors) {
      // the list under the source (an alert) has the errors, each on its line
      source.showErrors(v, prep.errors);
      p.status.textContent = t("statusNotRun");
      p.err.hidden = true;
    } else {
      p.status.textContent = t("statusNotRun");
      p.err.textContent = t("runFailed", { msg: prep.message });
      p.err.hidden = false;
    }
  }

  function go(which) {
    const vals = ctl.read(false);
    if (!vals) { markStale(); return null; }
    // (a panel's stale mark goes when it runs again: Run sync leaves the concurrent one marked)
    speed.textContent = "";
    delete speed.dataset.speedup;
    ctl.writeURL(vals);
    const variants = which === "both" ? VARIANTS : [which];
    const edited = source ? variants.filter((v) => source.edited(v)) : [];
    if (source) {
      for (const v of variants) if (!edited.includes(v) && (source.anyEdited() || P[v].engineEl)) setEngine(v, "precompiled");
    }
    if (!edited.length) return start(which, vals, {});
    // edited code is compiled or interpreted first
    if (pending) pending.abort();
    const ctlr = (pending = new AbortController());
    updateStop();
    for (const v of edited) {
      setEngine(v, "pending", source.pendingText());
      source.showErrors(v, []);
    }
    const preps = edited.map((v) => source.prepare(v, { signal: ctlr.signal }).catch((e) => ({ message: String((e && e.message) || e) })));
    return Promise.all(preps).then((ps) => {
      if (ctlr.signal.aborted) return;
      pending = null;
      const prepared = {};
      edited.forEach((v, i) => {
        if (ps[i].wasm) { setEngine(v, ps[i].engine); prepared[v] = ps[i]; } else failed(v, ps[i]);
      });
      updateStop();
      // Run both with one version that does not compile still runs the other one
      const ok = variants.filter((v) => !edited.includes(v) || prepared[v]);
      if (!ok.length) return;
      return start(ok.length === 2 ? "both" : ok[0], vals, prepared);
    });
  }
  function stopAll() {
    bothToken++;
    if (py) py.stop();
    if (pending) { pending.abort(); pending = null; }
    for (const v of VARIANTS) if (P[v].run) P[v].run.stop();
    updateStop();
  }

  // --- learner: stale results ------------------------------------------------------------------
  // The moment an input changes, the panels' results are of other inputs: the speed-up line goes
  // and each finished panel says its result is of the earlier values (data-stale), until a run.
  function markStale() {
    speed.textContent = "";
    delete speed.dataset.speedup;
    for (const v of VARIANTS) {
      const p = P[v];
      if (p.run || p.panel.dataset.stale || !["done", "error", "stopped"].includes(p.panel.dataset.state)) continue;
      p.panel.dataset.stale = "true";
      p.status.textContent = t("staleResult", { status: p.status.textContent });
    }
  }
  for (const input of sec.querySelectorAll(".pg-params input")) { input.addEventListener("input", markStale); input.addEventListener("change", markStale); }

  // --- learner: long runs measure printing -----------------------------------------------------
  // Where the values are set: with many short tasks the times are mostly the page printing lines
  // (1,000 × 10 ms: about 25 ms in Go natively, over a second here), so the controls say so.
  const printNote = el("p", { class: "pg-print-note", "aria-live": "polite", hidden: "" });
  const paramsBox = sec.querySelector(".pg-params");
  if (paramsBox) paramsBox.insertAdjacentElement("afterend", printNote);
  function notePrinting() {
    const v = ctl.read(true);
    const on = !!v && v.tasks >= 100 && v.delay !== undefined && v.delay * 10 < v.tasks;
    printNote.hidden = !on;
    printNote.textContent = on ? t("printNote", { lines: v.tasks * 2 }) : "";
  }
  for (const input of sec.querySelectorAll(".pg-params input")) input.addEventListener("change", notePrinting);
  notePrinting();

  const on = (action, fn) => {
    for (const b of sec.querySelectorAll("[data-action=" + action + "]")) b.addEventListener("click", fn);
  };
  on("run-sync", () => go("sync"));
  on("run-concurrent", () => go("concurrent"));
  on("run-both", () => go("both"));
  on("stop", stopAll);
  updateStop();

  // prefetch + compile the wasm (and the worker's scripts) when the widget nears the viewport
  const prefetch = () => { for (const v of VARIANTS) { const u = wasmOf(sec, v); if (u) warm(u); } };
  if ("IntersectionObserver" in window) {
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) { io.disconnect(); prefetch(); }
    }, { rootMargin: "800px 0px" });
    io.observe(sec);
  } else prefetch();

  const api = {
    /** run("sync" | "concurrent" | "both") presses that button */
    run: go,
    stop: stopAll,
    /** readParams() → the parameter values (validated, clamped), or null */
    readParams: () => ctl.read(true),
    /** timeline() → what the timeline shows: {mode, axis, bars: {v: n}, open: {v: n}, tableRows: {v: n},
     *  from: {v: "lines" | "trace"}} (from: where v's bars came from, traceBars) */
    timeline() {
      const o = { mode: tl.mode(), axis: tl.axis(), bars: {}, open: {}, tableRows: {}, from: {} };
      for (const v of VARIANTS) { o.bars[v] = tl.list(v).length; o.open[v] = tl.open(v); o.tableRows[v] = tab.rows(v); o.from[v] = tl.from(v); }
      return o;
    },
    /** csv(variant) → every task's timing as CSV */
    csv: tab.csv,
    /** markStale() says the shown results are of earlier inputs (an edit to the code calls it) */
    markStale,
    /** replay(factor) → false when there is no finished run to replay (see replay above) */
    replay,
  };
  instances.set(sec, api);
  sec.dataset.hydrated = "true";
  // --- learner: a link to this playground (?pg=<key>&tasks=…) opens at it, focused, unless the
  // URL names a section (#id) to open at instead
  if (ctl.targeted && (!location.hash || location.hash.startsWith("#edit="))) {
    if (!sec.hasAttribute("tabindex")) sec.setAttribute("tabindex", "-1");
    // after load: the browser's own scroll (restoration, late layout) would undo an earlier one
    // (instant: a landing is not an animation)
    const open = () => {
      sec.scrollIntoView({ block: "start", behavior: "instant" });
      sec.focus({ preventScroll: true });
      sec.dataset.linked = "true";
    };
    if (document.readyState === "complete") requestAnimationFrame(open);
    else addEventListener("load", () => requestAnimationFrame(open), { once: true });
  }
  return api;
}
