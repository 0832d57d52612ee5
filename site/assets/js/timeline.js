// timeline.js — one shared time axis (.pg-axis) over one lane per variant (.pg-lanes >
// .pg-lane[data-variant]), drawing bars: start(v, id, t) and end(v, id, t) in ms since the
// variant's start. A playground feeds it its programs' task lines while they run, and after a
// run may replace a lane's bars at once with the run's trace's (replace(v, bars, from);
// .pg-lane[data-bars] says where the bars came from).
//
// Small runs draw each bar as a DOM element (.pg-bar[data-variant][data-task], positioned by
// custom properties: --s/--e on the bar, --axis/--now on the lane, --row/--rows for the slot, so
// moving the axis touches one element); above DOM_MAX_BARS bars the lanes hold a <canvas> each
// instead (a DOM bar per task made 300–900 ms layouts at 10,000). Canvas colours come from the CSS
// custom properties --sync and --concurrent, re-read when the theme, colour scheme, print or the
// device pixel ratio changes.
import { el } from "./dom.js";
import { t, ms, variantWord } from "./i18n.js";

const DOM_MAX_BARS = 200;

// axisFor picks the time axis for a span of v ms: a step of 1, 2 or 5 × 10^n giving three to
// five intervals, and the smallest multiple of it that covers v.
function axisFor(v) {
  v = Math.max(v, 100);
  const p = Math.pow(10, Math.floor(Math.log10(v / 4)));
  let step = 10 * p;
  for (const m of [1, 2, 5, 10]) if (v / (m * p) <= 5) { step = m * p; break; }
  return { max: Math.ceil(v / step - 1e-9) * step, step };
}

// Every timeline on the page restyles its canvases when the look changes (one set of watchers).
const restylers = [];
let watching = false;
function watchStyle(fn) {
  restylers.push(fn);
  if (watching) return;
  watching = true;
  const all = () => { for (const f of restylers) f(); };
  new MutationObserver(all).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class", "style"] });
  if (window.matchMedia) {
    const mq = matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) mq.addEventListener("change", all);
    // devicePixelRatio changes (zoom, another screen): re-arm a query for the new ratio
    const watchDpr = () => {
      const q = matchMedia("(resolution: " + (window.devicePixelRatio || 1) + "dppx)");
      if (q.addEventListener) q.addEventListener("change", () => { all(); watchDpr(); }, { once: true });
    };
    watchDpr();
  }
  addEventListener("beforeprint", all);
  addEventListener("afterprint", all);
}

/**
 * timeline(tl, variants, {onChange}) builds the axis and lanes at the start of tl
 * (.pg-timeline) and returns its API (below). onChange() asks the owner for a frame.
 */
export function timeline(tl, variants, { onChange }) {
  const axis = el("div", { class: "pg-axis", "aria-hidden": "true" });
  const lanes = el("div", { class: "pg-lanes", role: "img", "aria-label": t("lanes") });
  const L = {}; // per variant: {lane, label, canvas, bars: Map, list, rows, slots, open, maxT, dirty, cw, ch}
  function makeLane(v, label) {
    const lane = el("div", { class: "pg-lane", "data-variant": v });
    lane.style.setProperty("--rows", "1");
    // the lane's name above it, outside the lane (which clips what it paints: contain)
    lanes.append(el("p", { class: "pg-lane-label", "data-variant": v }, label), lane);
    L[v] = { lane, label, canvas: null, bars: new Map(), list: [], rows: 0, slots: 0, open: 0, maxT: 0, dirty: false, cw: 0, ch: 0 };
  }
  variants = variants.slice();
  for (const v of variants) makeLane(v, t(v));
  tl.prepend(axis, lanes);
  tl.style.setProperty("--axis", "100");
  tl.style.setProperty("--now", "0");
  let mode = "dom";
  tl.dataset.render = mode;

  let axisMax = 0;
  function renderAxis(a) {
    if (a.max === axisMax) return false;
    axisMax = a.max;
    tl.style.setProperty("--axis", String(a.max));
    axis.textContent = "";
    const secs = a.max >= 10000; // seconds from 10 s on: "20 s", not "20,000 ms"
    const n = Math.round(a.max / a.step);
    for (let i = 0; i <= n; i++) {
      const at = i * a.step;
      const label = secs ? String(at / 1000) : ms(at);
      const tick = el("span", { class: "pg-tick" + (i % 2 && i < n ? " pg-tick-minor" : "") },
        i === n ? label + " " + t(secs ? "sUnit" : "msUnit") : label);
      tick.style.left = (100 * i / n) + "%";
      if (i === n) { tick.style.left = ""; tick.style.right = "0"; tick.style.transform = "none"; }
      axis.append(tick);
    }
    fitTicks();
    return true;
  }
  // --- learner: ticks never overlap ---------------------------------------------------------------
  // Whatever the axis's width (a 360 px phone, 200 % zoom, a narrow column), a tick whose label
  // would touch the one before it, or the last one (which carries the unit and always shows),
  // is hidden (.pg-tick-off); the first always shows.
  function fitTicks() {
    const ticks = Array.from(axis.children);
    for (const k of ticks) k.classList.remove("pg-tick-off");
    const shown = ticks.filter((k) => k.getClientRects().length > 0);
    if (shown.length < 3) return;
    const gap = 6; // px between two labels
    const lastLeft = shown[shown.length - 1].getBoundingClientRect().left;
    let right = -Infinity;
    for (const [i, k] of shown.slice(0, -1).entries()) {
      const r = k.getBoundingClientRect();
      if (i > 0 && (r.left < right + gap || r.right > lastLeft - gap)) { k.classList.add("pg-tick-off"); continue; }
      right = r.right;
    }
  }
  if ("ResizeObserver" in window) {
    let w = -1;
    new ResizeObserver((es) => {
      const nw = Math.round(es[0].contentRect.width);
      if (nw !== w) { w = nw; fitTicks(); }
    }).observe(axis);
  }
  renderAxis(axisFor(100));

  // --- bars ---------------------------------------------------------------------------------------
  function domBar(v, b) {
    const bar = el("div", { class: "pg-bar", "data-variant": v, "data-task": b.id, title: b.title || t("barTitle", { v: variantWord(v), id: b.id }) });
    bar.style.setProperty("--s", String(b.start));
    bar.style.setProperty("--row", String(b.row));
    if (b.end !== undefined) { bar.style.setProperty("--e", String(b.end)); bar.classList.add("done"); }
    b.bar = bar;
    return bar;
  }
  // DOM bars for small runs, canvas otherwise; rebuilt from the data when the mode changes
  function updateMode() {
    let n = 0;
    for (const v of variants) n += Math.max(L[v].slots, L[v].rows);
    const want = n > DOM_MAX_BARS ? "canvas" : "dom";
    if (want === mode) return;
    mode = want;
    tl.dataset.render = mode;
    for (const v of variants) {
      const s = L[v];
      s.lane.textContent = "";
      if (mode === "canvas") {
        for (const b of s.list) b.bar = null;
        if (!s.canvas) s.canvas = newCanvas(v);
        s.lane.append(s.canvas);
        s.dirty = true;
      } else {
        const frag = document.createDocumentFragment();
        for (const b of s.list) frag.append(domBar(v, b));
        s.lane.append(frag);
      }
    }
    onChange();
  }
  // expect reserves rows for n bars up front: changing --rows restyles every bar of the lane
  // (and may switch the timeline to canvas)
  function expect(v, n) {
    const s = L[v];
    s.slots = n;
    s.lane.style.setProperty("--rows", String(n));
    s.lane.style.height = Math.max(16, Math.min(n * 10, 240)) + "px";
    updateMode();
  }
  function bar(v, id, at) {
    const s = L[v];
    let b = s.bars.get(id);
    if (!b) {
      b = { id, start: at, end: undefined, row: s.rows, bar: null };
      s.rows++;
      s.open++;
      if (s.rows > s.slots) expect(v, Math.max(s.rows, s.slots * 2)); // before this bar is listed
      s.list.push(b);
      s.bars.set(id, b);
      if (mode === "dom") s.lane.append(domBar(v, b));
    }
    s.maxT = Math.max(s.maxT, at);
    s.dirty = true;
    return b;
  }
  function start(v, id, at) {
    const b = bar(v, id, at);
    // a start after the bar exists (its end came first?) only moves the start
    if (b.start > at) { b.start = at; if (b.bar) b.bar.style.setProperty("--s", String(at)); }
  }
  function end(v, id, at) {
    const b = bar(v, id, at);
    if (b.end === undefined) L[v].open--;
    b.end = at;
    if (b.bar) { b.bar.style.setProperty("--e", String(at)); b.bar.classList.add("done"); }
  }
  function reset(v) {
    const s = L[v];
    s.bars.clear();
    s.list = [];
    s.rows = 0;
    s.open = 0;
    s.maxT = 0;
    if (mode === "dom") s.lane.textContent = "";
    s.slots = 0;
    s.lane.style.setProperty("--rows", "1");
    s.lane.style.height = "";
    delete s.lane.dataset.bars;
    s.dirty = true;
  }
  /**
   * replace(v, bars, from) puts bars ([{id, start, end?, title?}], ids unique, in the order
   * they began) in place of v's, all at once: the run's trace's task bars (scheduler.js
   * taskBars). from says where they came from: the lane's data-bars.
   */
  function replace(v, list, from) {
    reset(v);
    expect(v, list.length);
    for (const x of list) {
      const b = bar(v, x.id, x.start);
      if (x.title) { b.title = x.title; if (b.bar) b.bar.title = x.title; }
      if (x.end !== undefined) end(v, x.id, x.end);
    }
    L[v].lane.dataset.bars = from;
    onChange();
  }

  // --- canvas -------------------------------------------------------------------------------------
  let colours = null;
  function readColours() {
    const cs = getComputedStyle(lanes);
    const get = (name, dflt) => (cs.getPropertyValue(name) || "").trim() || dflt;
    const c = { sync: get("--sync", "#b35200"), concurrent: get("--concurrent", "#0a6e4f") };
    // sync bars are hatched (as the DOM bars are) so the variants never differ by colour alone
    const tile = document.createElement("canvas");
    const dpr = window.devicePixelRatio || 1;
    const n = Math.max(6, Math.round(6 * dpr));
    tile.width = tile.height = n;
    const g = tile.getContext("2d");
    g.fillStyle = c.sync;
    g.fillRect(0, 0, n, n);
    g.strokeStyle = "rgba(255,255,255,0.35)";
    g.lineWidth = Math.max(1, 1.5 * dpr);
    g.beginPath();
    g.moveTo(-1, n + 1); g.lineTo(n + 1, -1);
    g.stroke();
    c.syncFill = c.sync;
    try { c.syncFill = g.createPattern(tile, "repeat") || c.sync; } catch (e) { /* solid */ }
    c.dpr = dpr;
    return c;
  }
  watchStyle(() => {
    colours = null;
    if (mode === "canvas") { for (const v of variants) L[v].dirty = true; onChange(); }
  });
  const ro = "ResizeObserver" in window ? new ResizeObserver((entries) => {
    for (const e of entries) {
      const s = L[e.target.dataset.variant];
      s.cw = e.contentRect.width;
      s.ch = e.contentRect.height;
      s.dirty = true;
    }
    if (mode === "canvas") onChange(true);
  }) : null;
  function newCanvas(v) {
    const c = el("canvas", { class: "pg-canvas", "data-variant": v, "aria-hidden": "true" });
    if (ro) ro.observe(L[v].lane);
    return c;
  }
  function drawLane(v, now) {
    const s = L[v], c = s.canvas;
    s.dirty = false;
    if (!c) return;
    if (!s.cw) { s.cw = s.lane.clientWidth; s.ch = s.lane.clientHeight; }
    if (!colours || colours.dpr !== (window.devicePixelRatio || 1)) colours = readColours();
    const dpr = colours.dpr;
    const W = Math.max(1, Math.round(s.cw * dpr)), H = Math.max(1, Math.round(s.ch * dpr));
    if (c.width !== W || c.height !== H) { c.width = W; c.height = H; } else c.getContext("2d").clearRect(0, 0, W, H);
    const g = c.getContext("2d");
    const slots = Math.max(s.slots, s.rows, 1);
    const rowH = H / slots;
    const h = Math.max(1, Math.round(rowH >= 3 * dpr ? rowH - dpr : rowH));
    const k = W / (axisMax || 100);
    const minW = 2 * dpr;
    now = Math.max(now, 0);
    g.fillStyle = /(^|-)sync$/.test(v) ? colours.syncFill : colours.concurrent; // py-sync too
    for (const b of s.list) {
      const e = b.end !== undefined ? b.end : Math.max(now, b.start);
      const x = Math.floor(b.start * k);
      g.fillRect(x, Math.floor(b.row * rowH), Math.max(minW, Math.ceil(e * k) - x), h);
    }
    c.dataset.bars = String(s.list.length);
    c.dataset.open = String(s.open);
  }

  /**
   * draw renders one frame. clock(v) is the running variant's time since its start, or null
   * when it is not running (its lane then ends at its last event).
   */
  function draw(clock) {
    let now = 0;
    const nowOf = {};
    for (const v of variants) {
      const c = clock(v);
      nowOf[v] = c === null ? L[v].maxT : c;
      now = Math.max(now, c === null ? 0 : c, L[v].maxT);
    }
    const moved = renderAxis(axisFor(now));
    for (const v of variants) {
      if (mode === "dom") L[v].lane.style.setProperty("--now", String(Math.max(nowOf[v], 0)));
      else if (moved || L[v].dirty || clock(v) !== null) drawLane(v, nowOf[v]);
    }
  }

  /**
   * describe names the image in one line: per finished variant the bars, how many overlapped
   * at most, and its time (the table has every bar).
   */
  function describe(finished) {
    const parts = [];
    for (const v of variants) {
      const s = L[v];
      if (!s.list.length || !finished(v)) continue;
      const ev = [];
      for (const b of s.list) ev.push([b.start, 1], [b.end !== undefined ? b.end : s.maxT, -1]);
      ev.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let cur = 0, most = 0;
      for (const e of ev) { cur += e[1]; most = Math.max(most, cur); }
      const how = most > 1 ? t("laneUpTo", { n: most }) : t("laneOneAtATime");
      parts.push(t("laneSummary", { v: s.label, n: s.list.length, most: how, ms: ms(s.maxT) }));
    }
    lanes.setAttribute("aria-label", parts.length ? t("lanesDescribed", { runs: parts.join(t("listSep")) }) : t("lanes"));
  }

  /**
   * addLane(v, label) adds a lane below the others, on the same axis: another language's runs
   * of the same example (python.js's "py-sync", "py-concurrent").
   */
  function addLane(v, label) {
    if (L[v]) return;
    variants.push(v);
    makeLane(v, label);
    if (mode === "canvas") { L[v].canvas = newCanvas(v); L[v].lane.append(L[v].canvas); }
    onChange();
  }

  return {
    start, end, expect, reset, replace, draw, describe, addLane,
    /** from(v): where v's bars came from: "lines" (printed task lines) or replace's from */
    from: (v) => L[v].lane.dataset.bars || "lines",
    /** "dom" or "canvas" */
    mode: () => mode,
    /** list(v): the bars of v, in the order they began: [{id, start, end}] */
    list: (v) => L[v].list,
    /** open(v): bars of v not ended */
    open: (v) => L[v].open,
    /** the last event of v (ms) */
    maxT: (v) => L[v].maxT,
    /** finish(v, t): v's run ended at t ms */
    finish(v, at) { L[v].maxT = Math.max(L[v].maxT, at || 0); },
    /** the axis's end (ms) */
    axis: () => axisMax,
  };
}
