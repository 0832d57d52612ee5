// playground.js — hydrates section.playground (docs/architecture.md, "Playground widget").
// Uses Unblocked.runProgram / warm from base.js. Adds Unblocked.playground = {
//   hydrate(section), readParams(section) } for other scripts.
(() => {
  "use strict";
  const U = window.Unblocked;
  if (!U || !U.runProgram) return;
  const T = U.t;
  const VARIANTS = ["sync", "concurrent"];
  const TASK_RE = /^task (\S+) (start|done)\b/; // "task 3 start", "task 3 start: …"
  const DOM_MAX_BARS = 200; // above this many bars in a widget the timeline is drawn on canvases
  const TABLE_ALL = 100, TABLE_EDGE = 10; // table rows per variant: all, or first/last 10 + summary
  const restylers = []; // one per widget: theme / colour-scheme / print / zoom changes

  const S = {
    sync: { en: "sync", zh: "同步" },
    concurrent: { en: "concurrent", zh: "并发" },
    idle: { en: "Not run yet", zh: "尚未运行" },
    loading: { en: "Loading…", zh: "加载中…" },
    running: { en: "Running…", zh: "运行中…" },
    // the program's wall time (start-up to exit, measured in its worker); loading is not in it
    done: {
      en: (ms, load) => "Done in " + ms + " ms, from start-up to exit (loading took " + load + " ms before that)",
      zh: (ms, load) => "用时 " + ms + " 毫秒,从启动到退出(此前加载用了 " + load + " 毫秒)",
    },
    ms: { en: " ms", zh: " 毫秒" },
    stopped: { en: "Stopped", zh: "已停止" },
    stoppedLimit: { en: "Stopped at the time limit", zh: "已在时间上限处停止" },
    failed: { en: "Failed", zh: "出错" },
    speed: {
      en: (x) => "Concurrent vs sync: " + (x >= 1.05 ? x.toFixed(1) + "× faster" : x <= 1 / 1.05 ? (1 / x).toFixed(1) + "× slower" : "about the same time"),
      zh: (x) => x >= 1.05 ? "并发版比同步版快 " + x.toFixed(1) + " 倍" : x <= 1 / 1.05 ? "并发版比同步版慢 " + (1 / x).toFixed(1) + " 倍" : "并发版和同步版用时差不多",
    },
    atLeast: {
      en: (x) => "Concurrent vs sync: at least " + x + "× faster (the sync version was not run)",
      zh: (x) => "并发版至少比同步版快 " + x + " 倍(同步版没有运行)",
    },
    notCompared: {
      en: (v, done, of) => "Not compared: the " + v + " run finished " + done + " of " + of + " tasks.",
      zh: (v, done, of) => "不作比较:" + v + "版只完成了 " + of + " 个任务中的 " + done + " 个。",
    },
    unfair: {
      en: (v) => " (" + v + " was interpreted, which is slower than compiled Go: not a fair race)",
      zh: (v) => "(" + v + "是解释执行的,比编译后的 Go 慢,这样比较并不公平)",
    },
    mistake: {
      en: "Not compared: here the concurrent version is the mistake this section is about. Read both outputs.",
      zh: "不比较速度:这里的并发版正是本节要讲的错误写法,请对照两边的输出。",
    },
    skipped: {
      en: (est, lim) => "Not run: one task after another this takes at least " + est + ", past the time limit of " + lim + " s. Lower Tasks or Delay, or press Run sync to try anyway.",
      zh: (est, lim) => "未运行:一个接一个地执行至少需要 " + est + ",超过了 " + lim + " 秒的时间上限。请减少任务数或延迟,或者直接点“运行同步版”试试。",
    },
    msUnit: { en: "ms", zh: "毫秒" },
    sUnit: { en: "s", zh: "秒" },
    barTitle: { en: (v, id) => v + " task " + id, zh: (v, id) => v + "版任务 " + id },
    laneSummary: {
      en: (v, n, most, ms) => v + ": " + n + " tasks, " + (most > 1 ? "up to " + most + " at once" : "one at a time") + ", " + ms + " ms",
      zh: (v, n, most, ms) => v + ":" + n + " 个任务," + (most > 1 ? "最多 " + most + " 个同时进行" : "每次一个") + "," + ms + " 毫秒",
    },
    notNumber: { en: "Enter a whole number.", zh: "请输入整数。" },
    notDuration: { en: "Enter a duration such as 200ms or 1s.", zh: "请输入时长,例如 200ms 或 1s。" },
    raisedTo: { en: "Raised to the minimum, ", zh: "已调整为最小值 " },
    loweredTo: { en: "Lowered to the maximum, ", zh: "已调整为最大值 " },
    rounded: { en: "Rounded to ", zh: "已取整为 " },
    task: { en: "Task", zh: "任务" },
    variant: { en: "Version", zh: "版本" },
    startMs: { en: "Start (ms)", zh: "开始(毫秒)" },
    endMs: { en: "End (ms)", zh: "结束(毫秒)" },
    caption: { en: "Task timings", zh: "任务时间" },
    summary: {
      en: (n, v, first, last, hidden) => n + " " + v + " tasks: first start " + first + " ms, last done " + last + " ms; " + hidden + " rows not listed.",
      zh: (n, v, first, last, hidden) => n + " 个" + v + "任务:首个开始于 " + first + " 毫秒,最后完成于 " + last + " 毫秒;另有 " + hidden + " 行未列出。",
    },
    csv: { en: "Download CSV", zh: "下载 CSV" },
    timeline: { en: "Timeline", zh: "时间线" },
    laneName: { sync: { en: "Sync", zh: "同步版" }, concurrent: { en: "Concurrent", zh: "并发版" } },
  };
  const LABELS = {
    tasks: { en: "Tasks", zh: "任务数" },
    delay: { en: "Delay", zh: "延迟" },
    limit: { en: "Limit", zh: "并发上限" },
  };

  // Geometry of bars via custom properties: --s/--e (ms) on a bar, --axis/--now (ms) on the
  // timeline, --row/--rows for the vertical slot. Updating the axis touches one element only.
  function injectStyle() {
    if (document.getElementById("pg-geometry")) return;
    const st = document.createElement("style");
    st.id = "pg-geometry";
    st.textContent =
      ".pg-lanes{position:relative;contain:layout paint}" +
      ".pg-lane{position:relative;min-height:1rem;contain:strict}" +
      ".pg-output{contain:content}" +
      ".pg-chunk{display:block;contain-intrinsic-size:auto 1.5em}.pg-chunk.old{content-visibility:auto}" +
      ".pg-bar{position:absolute;box-sizing:border-box;min-width:2px;" +
      "left:calc(var(--s) * 100% / var(--axis));" +
      "width:calc((var(--e, var(--now)) - var(--s)) * 100% / var(--axis));" +
      "top:calc(var(--row) * 100% / var(--rows));height:max(1px, calc(100% / var(--rows) - 1px))}" +
      ".pg-axis{position:relative;height:1.2em}" +
      ".pg-tick{position:absolute;transform:translateX(-50%);white-space:nowrap}" +
      ".pg-tick:first-child{transform:none}";
    document.head.appendChild(st);
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // axisFor picks the time axis for a span of v ms: a step of 1, 2 or 5 × 10^n giving three to
  // five intervals, and the smallest multiple of it that covers v.
  function axisFor(v) {
    v = Math.max(v, 100);
    const p = Math.pow(10, Math.floor(Math.log10(v / 4)));
    let step = 10 * p;
    for (const m of [1, 2, 5, 10]) if (v / (m * p) <= 5) { step = m * p; break; }
    return { max: Math.ceil(v / step - 1e-9) * step, step };
  }
  const fmtMs = (v) => Math.round(v).toLocaleString(U.lang === "zh" ? "zh-CN" : "en-US");

  // --- Parameters ---------------------------------------------------------------------------------
  function parseParams(sec) {
    let raw = {};
    try { raw = JSON.parse(sec.dataset.params || "{}"); } catch (e) { raw = {}; }
    const out = {};
    for (const name of ["tasks", "delay", "limit"]) {
      const p = raw[name];
      if (!p) continue;
      if (name === "delay") {
        out[name] = { kind: "duration", value: U.parseDuration(p.value), min: U.parseDuration(p.min), max: U.parseDuration(p.max) };
      } else {
        out[name] = { kind: "int", value: Number(p.value), min: Number(p.min), max: Number(p.max) };
      }
      const q = out[name];
      if (!isFinite(q.min)) q.min = 0;
      if (!isFinite(q.max)) q.max = name === "delay" ? 10000 : 10000;
      if (!isFinite(q.value)) q.value = q.min;
    }
    return out;
  }

  // validate one raw value → {ok, value, message}
  function validate(p, raw) {
    let v = p.kind === "duration" ? U.parseDuration(raw) : Number(String(raw).trim());
    if (String(raw).trim() === "" || !isFinite(v)) {
      return { ok: false, message: T(p.kind === "duration" ? S.notDuration : S.notNumber) };
    }
    let message = "";
    if (p.kind === "int" && v !== Math.round(v)) { v = Math.round(v); message = T(S.rounded) + v + "."; }
    if (p.kind === "duration") v = Math.round(v);
    if (v < p.min) { v = p.min; message = T(S.raisedTo) + show(p, v) + "."; }
    if (v > p.max) { v = p.max; message = T(S.loweredTo) + show(p, v) + "."; }
    return { ok: true, value: v, message };
  }
  const show = (p, v) => (p.kind === "duration" ? U.formatDuration(v) : String(v));

  // --- One playground -----------------------------------------------------------------------------
  function hydrate(sec) {
    if (sec.__unblocked) return sec.__unblocked;
    injectStyle();
    const params = parseParams(sec);
    const inputs = {};
    const msgs = {};
    let paramBox = sec.querySelector(".pg-params");

    for (const name in params) {
      const p = params[name];
      let input = sec.querySelector("input[name=" + name + "]");
      if (!input) {
        if (!paramBox) {
          paramBox = el("div", { class: "pg-params" });
          const first = sec.querySelector(".pg-controls, .pg-run, .pg-timeline");
          sec.insertBefore(paramBox, first || null);
        }
        const label = el("label", { class: "pg-param" });
        label.append(el("span", null, T(LABELS[name])), " ");
        input = el("input", p.kind === "duration"
          ? { name, type: "text", inputmode: "text", size: "6", value: U.formatDuration(p.value) }
          : { name, type: "number", min: String(p.min), max: String(p.max), step: "1", value: String(p.value) });
        label.append(input);
        paramBox.append(label);
      }
      inputs[name] = input;
      let msg = sec.querySelector(".pg-param-msg[data-for=" + name + "]");
      if (!msg) {
        msg = el("span", { class: "pg-param-msg", "data-for": name, "aria-live": "polite" });
        const host = input.closest("label") || input;
        host.insertAdjacentElement("afterend", msg);
      }
      if (!msg.id) msg.id = "pg-msg-" + Math.random().toString(36).slice(2, 9);
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + msg.id).trim());
      msgs[name] = msg;
    }

    function setInput(name, v) {
      const input = inputs[name], p = params[name];
      if (p.kind === "duration" && input.type === "number") input.value = String(v);
      else input.value = show(p, v);
    }
    // read + validate every input; writes clamped values back; returns values or null
    function readParams(quiet) {
      const vals = {};
      let ok = true;
      for (const name in params) {
        const r = validate(params[name], inputs[name].value);
        // keep an earlier clamp message until the learner edits the field
        if (r.message || !r.ok) msgs[name].textContent = r.message;
        inputs[name].setAttribute("aria-invalid", r.ok ? "false" : "true");
        if (!r.ok) { ok = false; if (!quiet) inputs[name].focus(); continue; }
        if (r.message) setInput(name, r.value);
        vals[name] = r.value;
      }
      return ok ? vals : null;
    }
    function writeURL(vals) {
      if (!vals) return;
      const u = new URL(location.href);
      for (const name in vals) u.searchParams.set(name, String(vals[name]));
      history.replaceState(history.state, "", u.pathname + u.search + u.hash);
    }
    // URL → inputs (delay in ms)
    const q = new URLSearchParams(location.search);
    for (const name in params) {
      if (!q.has(name)) continue;
      const raw = q.get(name);
      const p = params[name];
      const r = validate(p, p.kind === "duration" && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(raw) ? raw : raw);
      if (r.ok) { setInput(name, r.value); msgs[name].textContent = r.message; }
      else msgs[name].textContent = r.message;
    }
    for (const name in params) {
      inputs[name].addEventListener("input", () => { msgs[name].textContent = ""; });
      // Enter in a parameter runs both, as a form would submit
      inputs[name].addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); go("both"); }
      });
      inputs[name].addEventListener("change", () => {
        const v = readParams(true);
        writeURL(v);
      });
    }

    // panels
    const panels = {};
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
      if (panel.dataset.state === "idle") status.textContent = T(S.idle);
      const st = (panels[v] = { panel, out, status, err, run: null, pending: [], bars: new Map(), list: [], trs: [],
        maxT: 0, rows: 0, slots: 0, open: 0, dirty: false, tableDirty: false, cw: 0, ch: 0, stick: true });
      out.addEventListener("scroll", () => { st.stick = out.scrollTop + out.clientHeight >= out.scrollHeight - 8; }, { passive: true });
    }

    // timeline: one shared time axis (.pg-axis) over one lane per variant. Small runs draw each task
    // as a DOM bar (.pg-bar[data-variant][data-task]); above DOM_MAX_BARS bars in the widget the
    // lanes hold a <canvas> each instead (a DOM bar per task made 300–900 ms layouts at 10,000).
    let tl = sec.querySelector(".pg-timeline");
    if (!tl) { tl = el("div", { class: "pg-timeline" }); sec.append(tl); }
    const axis = el("div", { class: "pg-axis", "aria-hidden": "true" });
    const lanes = el("div", { class: "pg-lanes", role: "img", "aria-label": T(S.timeline) });
    const laneEl = {};
    const canvases = {};
    for (const v of VARIANTS) {
      laneEl[v] = el("div", { class: "pg-lane", "data-variant": v });
      laneEl[v].style.setProperty("--rows", "1");
      // the lane's name above it, outside the lane (which clips what it paints: contain)
      lanes.append(el("p", { class: "pg-lane-label", "data-variant": v }, T(S.laneName[v])), laneEl[v]);
    }
    let table = tl.querySelector("table");
    if (!table) {
      table = el("table", { class: "pg-table" });
      table.append(el("caption", null, T(S.caption)));
      const thead = el("thead"); const tr = el("tr");
      for (const h of [S.task, S.variant, S.startMs, S.endMs]) tr.append(el("th", { scope: "col" }, T(h)));
      thead.append(tr); table.append(thead);
    }
    let tbody = table.tBodies[0];
    if (!tbody) { tbody = el("tbody"); table.append(tbody); }
    tl.prepend(axis, lanes);
    if (!table.parentNode) {
      const det = el("details", { class: "pg-table-wrap" });
      det.append(el("summary", null, T(S.caption)), table);
      tl.append(det);
    }
    tl.style.setProperty("--axis", "100");
    tl.style.setProperty("--now", "0");
    let mode = "dom";
    tl.dataset.render = mode;

    let speed = sec.querySelector(".pg-speedup");
    if (!speed) { speed = el("p", { class: "pg-speedup", "aria-live": "polite" }); tl.insertAdjacentElement("beforebegin", speed); }

    let axisMax = 0;
    function renderAxis(a) {
      if (a.max === axisMax) return false;
      axisMax = a.max;
      tl.style.setProperty("--axis", String(a.max));
      axis.textContent = "";
      const secs = a.max >= 10000; // seconds from 10 s on: "20 s", not "20,000 ms"
      const n = Math.round(a.max / a.step);
      for (let i = 0; i <= n; i++) {
        const t = i * a.step;
        const label = secs ? String(t / 1000) : fmtMs(t);
        const tick = el("span", { class: "pg-tick" + (i % 2 && i < n ? " pg-tick-minor" : "") },
          i === n ? label + " " + T(secs ? S.sUnit : S.msUnit) : label);
        tick.style.left = (100 * i / n) + "%";
        if (i === n) { tick.style.left = ""; tick.style.right = "0"; tick.style.transform = "none"; }
        axis.append(tick);
      }
      return true;
    }
    renderAxis(axisFor(100));

    function nowOf(st) {
      return st.run && st.startedAt ? performance.now() - st.startedAt : st.maxT;
    }
    // one pending frame at a time: requestAnimationFrame, with a timer as fallback for tabs that
    // get no frames (background); whichever fires first cancels the other
    let rafId = 0, timerId = 0;
    function frame() {
      cancelAnimationFrame(rafId);
      clearTimeout(timerId);
      rafId = timerId = 0;
      lastFrame = performance.now();
      let now = 0, any = false;
      for (const v of VARIANTS) {
        const st = panels[v];
        flushLines(st);
        if (st.run) any = true;
        now = Math.max(now, st.run ? nowOf(st) : 0, st.maxT);
      }
      const axisMoved = renderAxis(axisFor(now));
      for (const v of VARIANTS) {
        const st = panels[v];
        if (mode === "dom") laneEl[v].style.setProperty("--now", String(Math.max(nowOf(st), 0)));
        else if (axisMoved || st.dirty || st.run) drawLane(v);
        if (st.tableDirty) renderTable(v);
      }
      if (any) schedule();
    }
    // With a canvas timeline (hundreds of tasks) a frame redraws every bar and appends hundreds
    // of output lines; drawing that at every frame is work a 2-core machine takes partly from the
    // program's thread (measured at 1,000 tasks x 1 s: runs about 1.5 % longer, 6 runs each). So
    // then the page draws 10 times a second; a run's first lines still show at once.
    let lastFrame = 0;
    function schedule() {
      if (rafId || timerId) return;
      const firstLines = VARIANTS.some((v) => panels[v].pending.length && !panels[v].out.firstChild);
      const wait = mode === "canvas" && !firstLines ? 100 - (performance.now() - lastFrame) : 0;
      if (wait > 0) { timerId = setTimeout(() => { timerId = 0; schedule(); }, wait); return; }
      rafId = requestAnimationFrame(frame);
      timerId = setTimeout(frame, 250);
    }

    function flushLines(st) {
      if (!st.pending.length) return;
      // consecutive stdout lines become one text node, and each flush one block (.pg-chunk, with
      // content-visibility:auto) so appending never lays out the earlier output again
      const chunk = el("span", { class: "pg-chunk" });
      let text = "";
      for (const l of st.pending) {
        if (l.fd === 2) {
          if (text) { chunk.append(text); text = ""; }
          chunk.append(el("span", { class: l.notice ? "stderr notice" : "stderr" }, l.text + "\n"));
        } else text += l.text + "\n";
      }
      if (text) chunk.append(text);
      st.pending = [];
      // the chunk before the previous one may now skip rendering while off-screen (its size is
      // remembered through contain-intrinsic-size: auto); the newest two always render, so
      // scrolling to the end reaches the real end
      const prev = st.out.lastElementChild && st.out.lastElementChild.previousElementSibling;
      if (prev && prev.classList.contains("pg-chunk")) prev.classList.add("old");
      st.out.append(chunk);
      // follow the output unless the learner scrolled up (st.stick, kept by a scroll listener);
      // writing scrollTop without reading the layout first
      if (st.stick) st.out.scrollTop = 1e9;
    }

    // --- bars -------------------------------------------------------------------------------------
    function domBar(v, b) {
      const bar = el("div", { class: "pg-bar", "data-variant": v, "data-task": b.id, title: T(S.barTitle)(T(S[v]), b.id) });
      bar.style.setProperty("--s", String(b.start));
      bar.style.setProperty("--row", String(b.row));
      if (b.end !== undefined) { bar.style.setProperty("--e", String(b.end)); bar.classList.add("done"); }
      b.bar = bar;
      return bar;
    }
    // DOM bars for small runs, canvas otherwise; rebuilt from the data when the mode changes
    function updateMode() {
      const want = Math.max(panels.sync.slots, panels.sync.rows) + Math.max(panels.concurrent.slots, panels.concurrent.rows) > DOM_MAX_BARS ? "canvas" : "dom";
      if (want === mode) return;
      mode = want;
      tl.dataset.render = mode;
      for (const v of VARIANTS) {
        const st = panels[v];
        laneEl[v].textContent = "";
        if (mode === "canvas") {
          for (const b of st.list) b.bar = null;
          if (!canvases[v]) canvases[v] = newCanvas(v);
          laneEl[v].append(canvases[v]);
          st.dirty = true;
        } else {
          const frag = document.createDocumentFragment();
          for (const b of st.list) frag.append(domBar(v, b));
          laneEl[v].append(frag);
        }
      }
      schedule();
    }

    function onTaskLine(v, st, id, kind, t) {
      let b = st.bars.get(id);
      if (!b) {
        b = { id, start: t, end: undefined, row: st.rows, bar: null };
        st.rows++;
        st.open++;
        // rows are reserved for the expected number of tasks up front: changing --rows restyles
        // every bar of the lane (may switch the widget to canvas, before this bar is listed)
        if (st.rows > st.slots) setSlots(v, st, Math.max(st.rows, st.slots * 2));
        st.list.push(b);
        st.bars.set(id, b);
        if (mode === "dom") laneEl[v].append(domBar(v, b));
      }
      if (kind === "start") {
        // a start line after the bar exists (done first?) only moves the start
        if (b.start > t) { b.start = t; if (b.bar) b.bar.style.setProperty("--s", String(t)); }
      } else {
        if (b.end === undefined) st.open--;
        b.end = t;
        if (b.bar) { b.bar.style.setProperty("--e", String(t)); b.bar.classList.add("done"); }
      }
      st.maxT = Math.max(st.maxT, t);
      st.dirty = true;
      st.tableDirty = true;
    }

    function setSlots(v, st, n) {
      st.slots = n;
      laneEl[v].style.setProperty("--rows", String(n));
      laneEl[v].style.height = Math.max(16, Math.min(n * 10, 240)) + "px";
      updateMode();
    }

    // --- canvas -----------------------------------------------------------------------------------
    // Colours come from the CSS custom properties (--sync, --concurrent), re-read when the theme,
    // the colour scheme or print changes them; the size follows the lane (ResizeObserver) and
    // devicePixelRatio.
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
    function restyle() {
      colours = null;
      if (mode === "canvas") { for (const v of VARIANTS) panels[v].dirty = true; schedule(); }
    }
    const ro = "ResizeObserver" in window ? new ResizeObserver((entries) => {
      for (const e of entries) {
        const v = e.target.dataset.variant;
        panels[v].cw = e.contentRect.width;
        panels[v].ch = e.contentRect.height;
        panels[v].dirty = true;
      }
      if (mode === "canvas") frameSoon();
    }) : null;
    function newCanvas(v) {
      const c = el("canvas", { class: "pg-canvas", "data-variant": v, "aria-hidden": "true" });
      if (ro) ro.observe(laneEl[v]);
      return c;
    }
    // a resize redraws in the next frame (never later than the throttled schedule)
    function frameSoon() {
      if (timerId && !rafId) { clearTimeout(timerId); timerId = 0; }
      schedule();
    }
    function drawLane(v) {
      const st = panels[v], c = canvases[v];
      st.dirty = false;
      if (!c) return;
      if (!st.cw) { st.cw = laneEl[v].clientWidth; st.ch = laneEl[v].clientHeight; }
      if (!colours || colours.dpr !== (window.devicePixelRatio || 1)) colours = readColours();
      const dpr = colours.dpr;
      const W = Math.max(1, Math.round(st.cw * dpr)), H = Math.max(1, Math.round(st.ch * dpr));
      if (c.width !== W || c.height !== H) { c.width = W; c.height = H; } else c.getContext("2d").clearRect(0, 0, W, H);
      const g = c.getContext("2d");
      const slots = Math.max(st.slots, st.rows, 1);
      const rowH = H / slots;
      const h = Math.max(1, Math.round(rowH >= 3 * dpr ? rowH - dpr : rowH));
      const k = W / (axisMax || 100);
      const minW = 2 * dpr;
      const now = Math.max(nowOf(st), 0);
      g.fillStyle = v === "sync" ? colours.syncFill : colours.concurrent;
      for (const b of st.list) {
        const e = b.end !== undefined ? b.end : Math.max(now, b.start);
        const x = Math.floor(b.start * k);
        g.fillRect(x, Math.floor(b.row * rowH), Math.max(minW, Math.ceil(e * k) - x), h);
      }
      c.dataset.bars = String(st.list.length);
      c.dataset.open = String(st.open);
    }
    if (!hydrate.watching) {
      hydrate.watching = true;
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
    restylers.push(restyle);

    // --- text alternative -------------------------------------------------------------------------
    // Up to TABLE_ALL rows per variant; beyond, the first and last TABLE_EDGE rows around a summary
    // row with a CSV download of every task.
    function cell(b, v) {
      const tr = el("tr", { "data-variant": v, "data-task": b.id });
      tr.append(el("td", null, b.id), el("td", null, T(S[v])), el("td", null, fmtMs(b.start)),
        el("td", null, b.end !== undefined ? fmtMs(b.end) : ""));
      return tr;
    }
    function renderTable(v) {
      const st = panels[v];
      st.tableDirty = false;
      for (const tr of st.trs) tr.remove();
      st.trs = [];
      const n = st.list.length;
      if (n <= TABLE_ALL) {
        for (const b of st.list) st.trs.push(cell(b, v));
      } else {
        for (let i = 0; i < TABLE_EDGE; i++) st.trs.push(cell(st.list[i], v));
        let first = Infinity, last = -Infinity;
        for (const b of st.list) {
          if (b.start < first) first = b.start;
          if (b.end !== undefined && b.end > last) last = b.end;
        }
        const tr = el("tr", { "data-variant": v, class: "pg-summary" });
        const td = el("td", { colspan: "4" });
        td.append(T(S.summary)(fmtMs(n), T(S[v]), fmtMs(first), last >= 0 ? fmtMs(last) : "–", fmtMs(n - 2 * TABLE_EDGE)) + " ");
        const btn = el("button", { type: "button", class: "pg-csv", "data-action": "download-csv", "data-variant": v }, T(S.csv));
        btn.addEventListener("click", () => downloadCSV(v));
        td.append(btn);
        tr.append(td);
        st.trs.push(tr);
        for (let i = n - TABLE_EDGE; i < n; i++) st.trs.push(cell(st.list[i], v));
      }
      const frag = document.createDocumentFragment();
      frag.append(...st.trs);
      // sync rows first, then concurrent
      if (v === "sync") tbody.insertBefore(frag, tbody.firstChild);
      else tbody.append(frag);
    }
    function csv(v) {
      const r = (x) => (x === undefined ? "" : String(Math.round(x * 10) / 10));
      const q = (s) => (/[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
      const out = ["task,variant,start_ms,end_ms"];
      for (const b of panels[v].list) out.push(q(b.id) + "," + v + "," + r(b.start) + "," + r(b.end));
      return out.join("\n") + "\n";
    }
    function downloadCSV(v) {
      const url = URL.createObjectURL(new Blob([csv(v)], { type: "text/csv" }));
      const a = el("a", { href: url, download: (sec.dataset.example || "timeline") + "-" + v + ".csv" });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }

    function clearVariant(v) {
      const st = panels[v];
      st.bars.clear();
      st.list = [];
      st.rows = 0;
      st.open = 0;
      st.maxT = 0;
      st.pending = [];
      if (mode === "dom") laneEl[v].textContent = "";
      st.slots = 0;
      laneEl[v].style.setProperty("--rows", "1");
      laneEl[v].style.height = "";
      for (const tr of st.trs) tr.remove();
      st.trs = [];
      st.tableDirty = false;
      st.dirty = true;
      st.out.textContent = "";
      st.stick = true;
      st.err.hidden = true;
      st.err.textContent = "";
    }

    function setState(v, state, text) {
      const st = panels[v];
      st.panel.dataset.state = state;
      st.status.textContent = text;
      updateStop();
    }

    // resetPanel stops v's run and empties its panel for what comes next
    function resetPanel(v) {
      const st = panels[v];
      if (st.run) st.run.stop();
      clearVariant(v);
      delete st.panel.dataset.elapsedMs;
      const shown = st.panel.querySelector(".pg-elapsed");
      if (shown) shown.textContent = "";
      return st;
    }

    let bothToken = 0;
    function start(v, vals, token) {
      const st = resetPanel(v);
      const argv = [];
      if (vals.tasks !== undefined) argv.push("-tasks", String(vals.tasks));
      if (vals.delay !== undefined) argv.push("-delay", U.formatDuration(vals.delay));
      if (vals.limit !== undefined) argv.push("-limit", String(vals.limit));
      const net = sec.dataset.net === "true";
      if (net) argv.push("-base", U.labBase());
      const wasm = sec.dataset["wasm" + (v === "sync" ? "Sync" : "Concurrent")];
      if (vals.tasks > 0) setSlots(v, st, vals.tasks);
      st.startedAt = 0;
      setState(v, "running", T(S.loading));
      const run = U.runProgram({
        wasm, argv, net,
        timeLimitMs: Number(sec.dataset.timeLimitMs) || U.timeLimitMs,
        onStart: () => { st.startedAt = performance.now(); st.status.textContent = T(S.running); schedule(); },
        onLine: (l) => {
          const m = TASK_RE.exec(l.text);
          if (m) onTaskLine(v, st, m[1], m[2], l.t);
          if (!l.hidden) { st.pending.push(l); schedule(); }
        },
      });
      st.run = run;
      updateStop();
      schedule();
      return run.then((r) => {
        if (st.run !== run) return r; // superseded by a newer run
        st.run = null;
        flushLines(st);
        st.maxT = Math.max(st.maxT, r.elapsedMs || 0);
        const shown = st.panel.querySelector(".pg-elapsed");
        if (shown) shown.textContent = r.status === "done" ? fmtMs(r.elapsedMs) + T(S.ms).replace(/^ /, "\u00a0") : "";
        if (r.status === "done") {
          st.panel.dataset.elapsedMs = String(Math.round(r.elapsedMs));
          if (r.pageElapsedMs !== undefined) st.panel.dataset.pageElapsedMs = String(Math.round(r.pageElapsedMs));
          setState(v, "done", T(S.done)(fmtMs(r.elapsedMs), fmtMs(r.loadMs)));
        } else if (r.status === "error") {
          // the status says what happened, the alert below it says why (announced once)
          setState(v, "error", T(S.failed));
          st.err.textContent = r.message;
          st.err.hidden = false;
        } else {
          setState(v, "stopped", r.status === "timeout" ? T(S.stoppedLimit) : T(S.stopped));
          if (r.status === "timeout") { st.err.textContent = r.message; st.err.hidden = false; }
        }
        frame();
        describeTimeline();
        return r;
      });
    }

    function updateStop() {
      const stop = sec.querySelector("[data-action=stop]");
      if (!stop) return;
      const running = VARIANTS.some((v) => panels[v].run);
      // a disabled button drops keyboard focus to the page: hand it to Run both first
      if (!running && document.activeElement === stop) {
        const both = sec.querySelector("[data-action=run-both]");
        if (both) both.focus();
      }
      stop.disabled = !running;
    }

    // skip shows in v's panel why it was not started (Run both, a run that cannot finish in time)
    function skip(v, estMs, limitMs) {
      resetPanel(v);
      setState(v, "idle", T(S.skipped)(U.formatDuration(estMs), Math.round(limitMs / 1000)));
    }

    // compare is the speed-up line after Run both: only for two runs that did the same work
    function compare(a, b, estSync) {
      if (!b || b.status !== "done") return "";
      if (!a) return estSync > 0 ? T(S.atLeast)(Math.floor(estSync / b.elapsedMs)) : "";
      if (a.status !== "done" || !(b.elapsedMs > 0)) return "";
      if (sec.dataset.speedup === "false") return T(S.mistake);
      const ps = panels.sync, pc = panels.concurrent;
      const of = Math.max(ps.list.length, pc.list.length);
      for (const [v, p] of [["sync", ps], ["concurrent", pc]]) {
        const done = p.list.length - p.open;
        if (done < of) return T(S.notCompared)(T(S[v]), done, of);
      }
      const x = a.elapsedMs / b.elapsedMs;
      speed.dataset.speedup = x.toFixed(2);
      // edited code may run interpreted (editor.js marks the engine): slower, so say so
      const interp = VARIANTS.filter((v) => { const e = panels[v].panel.querySelector(".pg-engine"); return e && e.dataset.engine === "interpreted"; });
      return T(S.speed)(x) + (interp.length === 1 ? T(S.unfair)(T(S.laneName[interp[0]])) : "");
    }

    // describeTimeline gives the timeline image a one-line name: per run, the tasks, how many ran
    // at once at most, and the time (the table below has every task).
    function describeTimeline() {
      const parts = [];
      for (const v of VARIANTS) {
        const st = panels[v];
        if (!st.list.length || st.run) continue;
        const ev = [];
        for (const b of st.list) ev.push([b.start, 1], [b.end !== undefined ? b.end : st.maxT, -1]);
        ev.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        let cur = 0, most = 0;
        for (const e of ev) { cur += e[1]; most = Math.max(most, cur); }
        parts.push(T(S.laneSummary)(T(S.laneName[v]), st.list.length, most, fmtMs(st.maxT)));
      }
      const zh = U.lang === "zh";
      lanes.setAttribute("aria-label", T(S.timeline) + (parts.length ? (zh ? "。" : ". ") + parts.join(zh ? ";" : "; ") + (zh ? "。" : ".") : ""));
    }

    function go(which) {
      const vals = readParams(false);
      if (!vals) return null;
      writeURL(vals);
      const token = ++bothToken;
      speed.textContent = "";
      delete speed.dataset.speedup;
      if (which !== "both") return start(which, vals, token);
      // one task after another the sync version takes at least tasks × delay: past the time
      // limit Run both does not start it (Run sync still does, and the limit stops it)
      const limit = Number(sec.dataset.timeLimitMs) || U.timeLimitMs;
      const est = vals.tasks !== undefined && vals.delay !== undefined ? vals.tasks * vals.delay : 0;
      const runs = est > limit
        ? (skip("sync", est, limit), [Promise.resolve(null), start("concurrent", vals, token)])
        : VARIANTS.map((v) => start(v, vals, token));
      return Promise.all(runs).then(([a, b]) => {
        if (token !== bothToken) return;
        speed.textContent = compare(a, b, est);
      });
    }
    function stopAll() {
      bothToken++;
      for (const v of VARIANTS) if (panels[v].run) panels[v].run.stop();
    }

    const on = (action, fn) => {
      for (const b of sec.querySelectorAll("[data-action=" + action + "]")) b.addEventListener("click", fn);
    };
    on("run-sync", () => go("sync"));
    on("run-concurrent", () => go("concurrent"));
    on("run-both", () => go("both"));
    on("stop", stopAll);
    updateStop();

    // prefetch + compile the wasm (and the worker's scripts) when the widget nears the viewport
    const prefetch = () => {
      for (const v of VARIANTS) {
        const url = sec.dataset["wasm" + (v === "sync" ? "Sync" : "Concurrent")];
        if (url) U.warm(url);
      }
    };
    if ("IntersectionObserver" in window) {
      const io = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { io.disconnect(); prefetch(); }
      }, { rootMargin: "800px 0px" });
      io.observe(sec);
    } else prefetch();

    // timeline(): what the timeline shows (tests); csv(variant): every task's timing as CSV
    const timeline = () => {
      const o = { mode, axis: axisMax, bars: {}, open: {}, tableRows: {} };
      for (const v of VARIANTS) { o.bars[v] = panels[v].list.length; o.open[v] = panels[v].open; o.tableRows[v] = panels[v].trs.length; }
      return o;
    };
    const api = { run: go, stop: stopAll, readParams: () => readParams(true), panels, timeline, csv };
    sec.__unblocked = api;
    sec.dataset.hydrated = "true";
    return api;
  }

  U.playground = { hydrate };
  for (const sec of document.querySelectorAll("section.playground")) hydrate(sec);
})();
