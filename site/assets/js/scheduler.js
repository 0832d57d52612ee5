// scheduler.js — the scheduler view under a run (docs/arch/scheduler.md): the run's own
// execution trace, recorded by the bundle's wrapper and sent in pieces by the worker
// (protocol.js MSG.TRACE, runner.js result.trace), parsed after the run by the trace parser
// (site/sched/parser, js/wasm, site-config.sched: golang.org/x/exp/trace, loaded on first use)
// and drawn as the one thread and its goroutines.
//
//   view(panel) → {clear(), show(result, {interpreted}) → Promise, summary(), csv()}; instance(panel) → the same
//     show appends to the panel an element .pg-sched[data-scheduler] (the data contract):
//     data-scheduler = "parsing" | "ready" | "error" | "none", and once ready
//     data-goroutines (most goroutines alive at once), data-busy-ms (time the thread ran Go
//     code), data-wall-ms (the trace's span), data-complete ("false" for a stopped run).
//   parse(pieces) → Promise<summary> (site/sched's Summary, JSON)
//   taskBars(summary, offsetMs) → the run's tasks as the trace knows them, for the timeline
//
// The drawing is one <canvas>: a time axis, the thread lane (which goroutine ran; idle left
// empty) and a lane per goroutine (trace regions outlined on it), or above LANES_MAX goroutines
// density bands (how many are running, runnable, waiting for each reason). Zoom and pan: the
// buttons, the keys + − ← → 0 on the focused drawing, or dragging it. Colours come from CSS
// custom properties (--sched-*), so both themes work; the text alternative is a table and a CSV
// of every goroutine.
import { runProgram } from "./runner.js";
import { config } from "./config.js";
import { el, uid } from "./dom.js";
import { t, num, locale } from "./i18n.js";

/** Goroutines drawn one lane each; more are drawn as density bands. */
export const LANES_MAX = 200;
/** Table rows shown (the CSV has every goroutine). */
const TABLE_ROWS = 100;
const KINDS = ["sleep", "chan", "select", "sync", "net", "gc", "other"];
const KIND_KEY = { sleep: "schedKindSleep", chan: "schedKindChan", select: "schedKindSelect", sync: "schedKindSync",
  net: "schedKindNet", gc: "schedKindGC", other: "schedKindOther" };
const RUNNING = 0, RUNNABLE = 1;

// --- parsing --------------------------------------------------------------------------------------

/** parse(pieces) runs the trace parser on a run's trace → Promise<summary>. */
export async function parse(pieces) {
  if (!config.sched) throw new Error("this build has no trace parser");
  let n = 0;
  for (const p of pieces) n += p.byteLength;
  const bytes = new Uint8Array(n);
  let off = 0;
  for (const p of pieces) { bytes.set(p, off); off += p.byteLength; }
  const r = await runProgram({ wasm: config.sched, program: "parser", source: bytes, maxLines: 20, timeLimitMs: 60000, rerun: false });
  const out = r.lines.filter((l) => l.fd === 1).map((l) => l.text).join("");
  if (r.status !== "done" || !out) {
    const err = r.lines.filter((l) => l.fd === 2).map((l) => l.text).join(" ");
    throw new Error(err || r.message || "the trace parser failed");
  }
  const s = JSON.parse(out);
  if (s.v !== 1) throw new Error("trace parser: layout " + s.v);
  return s;
}

// --- task bars (the timeline, docs/arch/scheduler.md "Task bars") ---------------------------------

/**
 * taskBars(s, offsetMs) → {from, bars: [{id, start, end?, title}]}: the run's tasks as its trace
 * knows them, in ms on the run's time axis (offsetMs: where the trace's first event lies on it),
 * in the order they began; end is left out for one still going when the trace ended.
 *   from "regions": the program named its tasks with trace.WithRegion / StartRegion;
 *   from "tasks": with trace.NewTask (and no regions);
 *   from "goroutines": one bar per goroutine the program started (not main, not the library's
 *     own: Summary G.lib), from its creation to its end;
 *   from "main": it started none: one bar, the main goroutine.
 */
export function taskBars(s, offsetMs) {
  const wallUs = Math.round(s.wallMs * 1000);
  const at = (us) => offsetMs + us / 1000;
  const bars = [];
  const seen = new Map(); // a name used twice gets "#2", …: bar ids are unique
  const named = (name) => { const k = (seen.get(name) || 0) + 1; seen.set(name, k); return k > 1 ? name + " #" + k : name; };
  let from = "";
  if (s.regions.length) {
    from = "regions";
    for (let i = 0; i < s.regions.length; i += 4) {
      const id = named(s.names[s.regions[i + 3]] || "region");
      bars.push({ id, start: at(s.regions[i + 1]), end: s.regions[i + 2] >= wallUs ? undefined : at(s.regions[i + 2]),
        title: t("barRegion", { id, g: s.gs[s.regions[i]].id }) });
    }
  } else if (s.tasks.length) {
    from = "tasks";
    for (let i = 0; i < s.tasks.length; i += 3) {
      const id = named(s.names[s.tasks[i + 2]] || "task");
      bars.push({ id, start: at(s.tasks[i]), end: s.tasks[i + 1] >= wallUs ? undefined : at(s.tasks[i + 1]), title: t("barTask", { id }) });
    }
  } else {
    const own = s.gs.filter((g) => g.id !== 1 && !g.lib && g.iv.length);
    from = own.length ? "goroutines" : "main";
    for (const g of own.length ? own : s.gs.filter((g) => g.id === 1 && g.iv.length)) {
      const id = "G" + g.id;
      bars.push({ id, start: at(g.iv[0]), end: g.ended ? at(g.iv[g.iv.length - 3]) : undefined,
        title: t("barGoroutine", { g: g.id, name: s.names[g.name] || "" }) });
    }
  }
  bars.sort((a, b) => a.start - b.start);
  return { from, bars };
}

// --- words ----------------------------------------------------------------------------------------

const fmt1 = (x) => x.toLocaleString(locale, { maximumFractionDigits: 1 });
const fmtMs = (x) => (x >= 10 ? Math.round(x).toLocaleString(locale) : fmt1(x));
/** pct(busy, wall) → "3" or "0.4": the busy share, in per cent. */
function pct(busy, wall) {
  if (!(wall > 0)) return "0";
  const p = (100 * busy) / wall;
  return p >= 10 || p === 0 ? String(Math.round(p)) : fmt1(p);
}

/** words(s) is the summary in one sentence, in the page's language. */
export function words(s) {
  return t(s.goroutines === 1 ? "schedFiguresOne" : "schedFigures",
    { n: num(s.goroutines), busy: fmtMs(s.busyMs), wall: fmtMs(s.wallMs), pct: pct(s.busyMs, s.wallMs) });
}

// per goroutine: time in each state, the reason it waited longest for, its span
function stats(s) {
  return s.gs.map((g) => {
    const o = { id: g.id, name: s.names[g.name] || "", from: Infinity, to: 0, run: 0, ready: 0, wait: 0, reason: "" };
    const byReason = new Map();
    for (let i = 0; i < g.iv.length; i += 4) {
      const a = g.iv[i], b = g.iv[i + 1], st = g.iv[i + 2], d = b - a;
      o.from = Math.min(o.from, a);
      o.to = Math.max(o.to, b);
      if (st === RUNNING) o.run += d; else if (st === RUNNABLE) o.ready += d;
      else { o.wait += d; const r = s.reasons[g.iv[i + 3]] || ""; byReason.set(r, (byReason.get(r) || 0) + d); }
    }
    let best = -1;
    for (const [r, d] of byReason) if (d > best) { best = d; o.reason = r; }
    if (o.from === Infinity) o.from = 0;
    return o;
  });
}

const csvCell = (v) => (/[",\n]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v));
const usMs = (us) => (us / 1000).toFixed(3);

/** csv(s) → every goroutine's figures as CSV (times in ms since the trace began). */
export function csv(s) {
  const rows = [["goroutine", "function", "from_ms", "to_ms", "running_ms", "runnable_ms", "waiting_ms", "waited_for"]];
  for (const o of stats(s)) rows.push([o.id, o.name, usMs(o.from), usMs(o.to), usMs(o.run), usMs(o.ready), usMs(o.wait), o.reason]);
  return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

// --- colours --------------------------------------------------------------------------------------

function colours(node) {
  const cs = getComputedStyle(node);
  const v = (name, dflt) => cs.getPropertyValue(name).trim() || dflt;
  const c = {
    fg: v("--fg", "#1b1f24"), muted: v("--fg-muted", "#4f5863"), lane: v("--lane", "#eef1f4"), border: v("--border", "#c9d1d9"),
    running: v("--sched-running", "#0a6e4f"), runnable: v("--sched-runnable", "#b35200"), main: v("--sched-main", "#0b57a4"),
    runtime: v("--sched-runtime", "#6e7781"), kinds: {},
  };
  for (const k of KINDS) c.kinds[k] = v("--sched-" + k, "#8c959f");
  c.font = "12px " + (v("--font", "sans-serif"));
  return c;
}

// --- the view -------------------------------------------------------------------------------------

const views = new WeakMap();
/** instance(panel) → that run panel's view ({clear, show, summary, csv}), or null. */
export const instance = (panel) => views.get(panel) || null;

/** view(panel) makes a run panel's scheduler view (see the top of this file). */
export function view(panel) {
  if (views.has(panel)) return views.get(panel);
  let root = null;
  let token = 0;
  let current = null;

  let dispose = null; // the drawing's observers
  function clear() {
    token++;
    current = null;
    if (dispose) { dispose(); dispose = null; }
    if (root) { root.remove(); root = null; }
  }

  // opts.interpreted: the run was the interpreter's (site/interp), whose own work the figures hold
  function show(result, opts = {}) {
    clear();
    const my = token;
    root = el("div", { class: "pg-sched", "data-scheduler": "parsing" });
    const title = el("p", { class: "pg-sched-title" });
    title.append(el("strong", {}, t("schedTitle")));
    const status = el("p", { class: "pg-sched-words", role: "status" }, t("schedParsing"));
    root.append(title, status);
    panel.append(root);
    const pieces = (result && result.trace) || [];
    // a run stopped (Stop, the time limit) or failed has only what was handed over before
    const cut = !!result && result.status !== "done";
    if (!pieces.length) {
      root.dataset.scheduler = "none";
      status.textContent = cut ? t("schedNoneStopped") : t("schedNone");
      return Promise.resolve(null);
    }
    const t0 = (result && result.endedAt) || performance.now(); // data-drawn-ms: run end → drawn
    return parse(pieces).then((s) => {
      if (my !== token) return null;
      current = s;
      root.dataset.scheduler = "ready";
      root.dataset.goroutines = String(s.goroutines);
      root.dataset.busyMs = String(s.busyMs);
      root.dataset.wallMs = String(s.wallMs);
      root.dataset.complete = String(!!s.complete && !cut);
      status.textContent = words(s);
      if (!s.complete || cut) root.append(el("p", { class: "pg-sched-note" }, t("schedPartial")));
      if (opts.interpreted) root.append(el("p", { class: "pg-sched-note", "data-engine": "interpreted" }, t("schedInterp")));
      dispose = draw(root, s);
      root.dataset.drawnMs = String(Math.round(performance.now() - t0));
      return s;
    }, (e) => {
      if (my !== token) return null;
      root.dataset.scheduler = "error";
      status.textContent = t("schedFailed", { msg: String((e && e.message) || e) });
      return null;
    });
  }

  const api = { clear, show, summary: () => current, csv: () => (current ? csv(current) : "") };
  views.set(panel, api);
  return api;
}

// draw builds the toolbar, canvas, legend and table for summary s inside root.
function draw(root, s) {
  const wallUs = Math.max(1, Math.round(s.wallMs * 1000));
  const n = s.gs.length;
  const bands = n > LANES_MAX;
  const win = { a: 0, b: wallUs };

  // toolbar
  const tools = el("div", { class: "pg-sched-tools", role: "toolbar", "aria-label": t("schedTools") });
  // symbols get a name; a word is its own name (the title says more)
  const button = (action, label, text) => {
    const b = el("button", text.length > 1 ? { type: "button", "data-action": action, title: label } : { type: "button", "data-action": action, "aria-label": label, title: label }, text);
    tools.append(b);
    return b;
  };
  button("sched-zoom-in", t("schedZoomIn"), "+");
  button("sched-zoom-out", t("schedZoomOut"), "−");
  button("sched-left", t("schedLeft"), "←");
  button("sched-right", t("schedRight"), "→");
  button("sched-reset", t("schedReset"), t("schedResetShort"));
  const range = el("span", { class: "pg-sched-range", "aria-live": "polite" });
  tools.append(range);

  // canvas
  const tipId = uid("pg-sched-tip");
  const box = el("div", { class: "pg-sched-canvas", tabindex: "0", role: "img",
    "aria-label": t(bands ? "schedLabelBands" : "schedLabel", { n: num(n) }), "aria-describedby": tipId });
  const canvas = el("canvas", { "aria-hidden": "true" });
  const tip = el("div", { class: "pg-sched-tip", id: tipId, hidden: "" });
  box.append(canvas, tip);

  // legend
  const legend = el("ul", { class: "pg-sched-legend", "aria-label": t("schedLegend") });
  const item = (cls, text) => {
    const li = el("li", {});
    li.append(el("span", { class: "pg-sched-swatch " + cls, "aria-hidden": "true" }), document.createTextNode(text));
    legend.append(li);
  };
  item("sw-main", t("schedMain"));
  item("sw-running", t("schedRunning"));
  item("sw-runnable", t("schedRunnable"));
  const kindsUsed = new Set(s.kinds);
  for (const k of KINDS) if (kindsUsed.has(k)) item("sw-" + k, t("schedWaiting", { reason: t(KIND_KEY[k]) }));
  item("sw-idle", t("schedIdle"));
  item("sw-runtime", t("schedRuntime"));

  const key = el("p", { class: "pg-sched-key" }, t(bands ? "schedKeyBands" : "schedKey"));
  root.append(tools, key, box, legend, table(s));

  // layout (CSS px)
  const AXIS = 18, THREAD = 18, GAP = 8, LABEL = 0;
  const rowH = bands ? 0 : Math.max(2, Math.min(12, Math.floor(240 / Math.max(1, n))));
  const goH = bands ? 120 : Math.max(rowH, n * rowH);
  const height = AXIS + THREAD + GAP + goH + 4;
  let col = null;
  let width = 0;

  const x = (us) => LABEL + ((us - win.a) / (win.b - win.a)) * (width - LABEL);
  const usAt = (px) => win.a + ((px - LABEL) / Math.max(1, width - LABEL)) * (win.b - win.a);

  function render() {
    width = Math.max(200, Math.floor(box.clientWidth || 600));
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    // width 100 % (CSS), not pixels: a pixel width would widen the panel it sits in
    canvas.style.height = height + "px";
    col = colours(root);
    const g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = col.font;
    axis(g);
    thread(g);
    if (bands) densityBands(g); else goLanes(g);
    range.textContent = t("schedRange", { from: fmtMs(win.a / 1000), to: fmtMs(win.b / 1000) });
  }

  function axis(g) {
    const span = (win.b - win.a) / 1000;
    const p = Math.pow(10, Math.floor(Math.log10(Math.max(span, 0.001) / 4)));
    let step = 10 * p;
    for (const m of [1, 2, 5, 10]) if (span / (m * p) <= 5) { step = m * p; break; }
    g.fillStyle = col.muted;
    g.strokeStyle = col.border;
    g.textBaseline = "top";
    for (let v = Math.ceil(win.a / 1000 / step) * step; v <= win.b / 1000 + 1e-9; v += step) {
      const px = x(v * 1000);
      g.fillRect(px, AXIS - 4, 1, 4);
      const label = t("milliseconds", { n: step < 1 ? v.toFixed(2) : fmtMs(v) });
      const w = g.measureText(label).width;
      g.fillText(label, Math.min(Math.max(0, px - w / 2), width - w), 1);
    }
  }

  // the thread lane: a span per goroutine run, coloured main / another goroutine / the runtime
  function thread(g) {
    const y = AXIS;
    g.fillStyle = col.lane;
    g.fillRect(0, y, width, THREAD);
    const th = s.thread;
    for (let i = 0; i < th.length; i += 3) {
      const a = th[i], b = th[i + 1];
      if (b < win.a || a > win.b) continue;
      const gi = th[i + 2];
      g.fillStyle = gi < 0 ? col.runtime : gi === 0 ? col.main : col.running;
      const x0 = x(a), x1 = x(b);
      g.fillRect(x0, y + 2, Math.max(1, x1 - x0), THREAD - 4);
    }
  }

  const stateColour = (st, reason) => (st === RUNNING ? col.running : st === RUNNABLE ? col.runnable : col.kinds[s.kinds[reason]] || col.kinds.other);

  function goLanes(g) {
    const y0 = AXIS + THREAD + GAP;
    for (let r = 0; r < n; r++) {
      const iv = s.gs[r].iv;
      const y = y0 + r * rowH;
      for (let i = 0; i < iv.length; i += 4) {
        const a = iv[i], b = iv[i + 1];
        if (b < win.a || a > win.b) continue;
        g.fillStyle = stateColour(iv[i + 2], iv[i + 3]);
        const x0 = x(a), x1 = x(b);
        g.fillRect(x0, y, Math.max(1, x1 - x0), Math.max(1, rowH - (rowH > 3 ? 1 : 0)));
      }
    }
    // the program's own task bars: trace.WithRegion / StartRegion spans, outlined on their lane
    const rg = s.regions;
    g.strokeStyle = col.fg;
    g.lineWidth = 1;
    for (let i = 0; i < rg.length; i += 4) {
      const a = rg[i + 1], b = rg[i + 2];
      if (b < win.a || a > win.b) continue;
      const x0 = x(a), x1 = x(b);
      g.strokeRect(x0 + 0.5, y0 + rg[i] * rowH + 0.5, Math.max(1, x1 - x0 - 1), Math.max(1, rowH - 2));
    }
  }

  // bands: per pixel column, how many goroutines are in each state (running, runnable, then
  // waiting by kind), stacked, scaled to the most alive at once
  let counts = null; // [layer][column]
  const layers = () => ["running", "runnable"].concat(KINDS);
  function countColumns() {
    const cols = Math.max(1, Math.floor(width - LABEL));
    const L = layers().length;
    const diff = Array.from({ length: L }, () => new Float64Array(cols + 1));
    const per = (win.b - win.a) / cols;
    for (const go of s.gs) {
      const iv = go.iv;
      for (let i = 0; i < iv.length; i += 4) {
        const a = Math.max(iv[i], win.a), b = Math.min(iv[i + 1], win.b);
        if (b < a) continue;
        const c0 = Math.max(0, Math.floor((a - win.a) / per)), c1 = Math.min(cols, Math.floor((b - win.a) / per) + 1);
        const st = iv[i + 2];
        const layer = st === RUNNING ? 0 : st === RUNNABLE ? 1 : 2 + Math.max(0, KINDS.indexOf(s.kinds[iv[i + 3]]));
        diff[layer][c0] += 1;
        diff[layer][c1] -= 1;
      }
    }
    counts = diff.map((d) => { const out = new Float64Array(cols); let acc = 0; for (let c = 0; c < cols; c++) { acc += d[c]; out[c] = acc; } return out; });
    return cols;
  }
  function densityBands(g) {
    const y0 = AXIS + THREAD + GAP;
    const cols = countColumns();
    const scale = goH / Math.max(1, s.goroutines);
    g.fillStyle = col.lane;
    g.fillRect(0, y0, width, goH);
    const names = layers();
    for (let c = 0; c < cols; c++) {
      let y = y0 + goH;
      for (let l = 0; l < names.length; l++) {
        const k = counts[l][c];
        if (k <= 0) continue;
        const h = Math.max(1, k * scale);
        g.fillStyle = l === 0 ? col.running : l === 1 ? col.runnable : col.kinds[names[l]];
        g.fillRect(LABEL + c, y - h, 1, h);
        y -= h;
      }
    }
  }

  // tooltip: what is under the pointer
  function describe(px, py) {
    const us = usAt(px);
    const at = t("milliseconds", { n: fmtMs(us / 1000) });
    if (py >= AXIS && py < AXIS + THREAD) {
      const th = s.thread;
      for (let i = 0; i < th.length; i += 3) {
        if (th[i] <= us && us <= th[i + 1]) {
          const gi = th[i + 2];
          return gi < 0 ? t("schedTipRuntime", { at }) : t("schedTipThread", { at, g: s.gs[gi].id, name: s.names[s.gs[gi].name] });
        }
      }
      return t("schedTipIdle", { at });
    }
    const y0 = AXIS + THREAD + GAP;
    if (py < y0) return "";
    if (bands) {
      if (!counts) return "";
      const c = Math.min(counts[0].length - 1, Math.max(0, Math.floor(px - LABEL)));
      const parts = [];
      const names = layers();
      for (let l = 0; l < names.length; l++) {
        const k = counts[l][c];
        if (k > 0) parts.push(num(k) + " " + (l === 0 ? t("schedRunning") : l === 1 ? t("schedRunnable") : t("schedWaiting", { reason: t(KIND_KEY[names[l]]) })));
      }
      return t("schedTipBand", { at, parts: parts.join(t("listSep")) || t("schedNoneAlive") });
    }
    const r = Math.floor((py - y0) / rowH);
    if (r < 0 || r >= n) return "";
    const go = s.gs[r];
    for (let i = 0; i < go.iv.length; i += 4) {
      if (go.iv[i] <= us && us <= go.iv[i + 1]) {
        const st = go.iv[i + 2];
        const what = st === RUNNING ? t("schedRunning") : st === RUNNABLE ? t("schedRunnable") : t("schedWaiting", { reason: s.reasons[go.iv[i + 3]] });
        return t("schedTipG", { g: go.id, name: s.names[go.name], what, from: fmtMs(go.iv[i] / 1000), to: fmtMs(go.iv[i + 1] / 1000) });
      }
    }
    return t("schedTipGNone", { g: go.id, name: s.names[go.name], at });
  }
  function showTip(px, py) {
    const text = describe(px, py);
    if (!text) { tip.hidden = true; return; }
    tip.textContent = text;
    tip.hidden = false;
    tip.style.setProperty("--x", Math.min(px, width - 160) + "px");
    tip.style.setProperty("--y", py + 14 + "px");
  }
  box.addEventListener("pointermove", (e) => {
    const r = canvas.getBoundingClientRect();
    if (drag) {
      const d = ((e.clientX - drag.x) / Math.max(1, width)) * (drag.b - drag.a);
      set(drag.a - d, drag.b - d);
      return;
    }
    showTip(e.clientX - r.left, e.clientY - r.top);
  });
  box.addEventListener("pointerleave", () => { tip.hidden = true; });

  // zoom and pan
  function set(a, b) {
    const w = Math.max(100, Math.min(wallUs, b - a));
    a = Math.max(0, Math.min(a, wallUs - w));
    win.a = a;
    win.b = a + w;
    render();
  }
  const zoom = (f) => { const c = (win.a + win.b) / 2, w = (win.b - win.a) * f; set(c - w / 2, c + w / 2); };
  const pan = (f) => { const w = win.b - win.a; set(win.a + f * w, win.b + f * w); };
  const actions = { "sched-zoom-in": () => zoom(0.5), "sched-zoom-out": () => zoom(2), "sched-left": () => pan(-0.25), "sched-right": () => pan(0.25), "sched-reset": () => set(0, wallUs) };
  tools.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-action]");
    if (b && actions[b.dataset.action]) actions[b.dataset.action]();
  });
  box.addEventListener("keydown", (e) => {
    const k = { "+": "sched-zoom-in", "=": "sched-zoom-in", "-": "sched-zoom-out", "_": "sched-zoom-out", ArrowLeft: "sched-left", ArrowRight: "sched-right", "0": "sched-reset", Home: "sched-reset" }[e.key];
    if (!k) return;
    e.preventDefault();
    actions[k]();
  });
  let drag = null;
  box.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, a: win.a, b: win.b }; box.setPointerCapture && box.setPointerCapture(e.pointerId); });
  const endDrag = () => { drag = null; };
  box.addEventListener("pointerup", endDrag);
  box.addEventListener("pointercancel", endDrag);

  // redraw on resize and on a change of theme; the returned function stops watching
  const stops = [];
  if ("ResizeObserver" in window) {
    let last = 0;
    const ro = new ResizeObserver(() => { const w = Math.floor(box.clientWidth); if (w && w !== last) { last = w; render(); } });
    ro.observe(box);
    stops.push(() => ro.disconnect());
  }
  const mo = new MutationObserver(() => { if (root.isConnected) render(); });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  stops.push(() => mo.disconnect());
  if (window.matchMedia) {
    const mq = matchMedia("(prefers-color-scheme: dark)");
    const onScheme = () => { if (root.isConnected) render(); };
    if (mq.addEventListener) { mq.addEventListener("change", onScheme); stops.push(() => mq.removeEventListener("change", onScheme)); }
  }
  render();
  return () => { for (const f of stops) f(); };
}

// table is the text alternative: the figures of every goroutine (the first TABLE_ROWS shown,
// the CSV holds all).
function table(s) {
  const d = el("details", { class: "pg-sched-alt" });
  d.append(el("summary", {}, t("schedTable")));
  const wrap = el("div", { class: "pg-sched-wrap" });
  const tb = el("table", { class: "pg-sched-table" });
  const cap = el("caption", {}, words(s));
  const head = el("tr", {});
  for (const k of ["schedColG", "schedColFn", "schedColFrom", "schedColTo", "schedColRun", "schedColReady", "schedColWait", "schedColReason"]) head.append(el("th", { scope: "col" }, t(k)));
  const thead = el("thead", {});
  thead.append(head);
  const tbody = el("tbody", {});
  const all = stats(s);
  for (const o of all.slice(0, TABLE_ROWS)) {
    const tr = el("tr", {});
    tr.append(el("th", { scope: "row" }, String(o.id)));
    for (const v of [o.name, fmtMs(o.from / 1000), fmtMs(o.to / 1000), fmtMs(o.run / 1000), fmtMs(o.ready / 1000), fmtMs(o.wait / 1000), o.reason]) tr.append(el("td", {}, v));
    tbody.append(tr);
  }
  tb.append(cap, thead, tbody);
  wrap.append(tb);
  d.append(wrap);
  if (all.length > TABLE_ROWS) d.append(el("p", {}, t("schedMore", { n: num(TABLE_ROWS), total: num(all.length) })));
  const btn = el("button", { type: "button", class: "pg-csv", "data-action": "sched-csv" }, t("schedCSV"));
  btn.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([csv(s)], { type: "text/csv" }));
    const a = el("a", { href: url, download: "scheduler.csv" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  d.append(btn);
  return d;
}
