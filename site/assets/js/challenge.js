// challenge.js — code exercises (docs/architecture.md, "Edit and run": :::challenge). The learner
// edits the sync program in .ch-editor until "Check my code" finds it concurrent:
//   check=concurrent: every task printed "task <id> start" and "task <id> done", and the run took
//                     at most 2 × delay (interpreted: 3 ×, timed from the first task start to the
//                     last task done, leaving out the interpreter's start-up);
//   check=bounded:    also, the most tasks running at once (from start/done line times) is > 1 and
//                     ≤ limit.
// Edits are kept with editor.js's (localStorage "unblocked.edits.v1", key "challenge:<id>");
// a pass is saved with Unblocked.progress.saveExercise(id, {verdict: "pass", kind: "challenge"}).
// Needs editor.js (Unblocked.editor), which sorts after this file: setup runs after app.js.
(() => {
  "use strict";
  const U = window.Unblocked;
  if (!U || !U.runProgram) return;
  const T = U.t;
  const TASK_RE = /^task (\S+) (start|done)\b/; // "task 3 start: …" too, as worker.js

  const S = {
    label: { en: "your code", zh: "你的代码" },
    reset: { en: "Reset", zh: "重置" },
    resetLabel: { en: "Reset your code to the start", zh: "把你的代码恢复为初始代码" },
    stop: { en: "Stop", zh: "停止" },
    preparing: { en: "Preparing your code…", zh: "正在准备你的代码…" },
    running: { en: "Running your code…", zh: "正在运行你的代码…" },
    notCompiled: { en: "Your code does not compile: the errors are listed under it.", zh: "你的代码无法编译:错误列在代码下方。" },
    failed: { en: "Your program stopped with an error: ", zh: "你的程序出错停止了:" },
    stopped: { en: "Stopped before the end.", zh: "在结束前停止了。" },
    passedBefore: { en: "You passed this challenge before.", zh: "你以前通过过这个挑战。" },
    keys: { en: "Tab indents. To leave the editor with the keyboard, press Escape, then Tab.", zh: "Tab 键缩进。要用键盘离开编辑器,先按 Esc,再按 Tab。" },
    hint: { en: "This is your program: click into it, or Tab to it and press Enter, to edit it.", zh: "这是你的程序:点击代码,或用 Tab 移到代码上再按回车,即可修改。" },
    editLabel: { en: "your program (press Enter to edit)", zh: "你的程序(按回车键编辑)" },
  };
  const lang = U.lang === "zh" ? "zh" : "en";
  const secs = (ms) => (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + (lang === "zh" ? " 秒" : " s");
  const dur = (ms) => (ms >= 1000 ? secs(ms) : Math.round(ms) + (lang === "zh" ? " 毫秒" : " ms"));

  function params(sec) {
    let raw = {};
    try { raw = JSON.parse(sec.dataset.params || "{}"); } catch (e) { raw = {}; }
    const p = {};
    if (raw.tasks) p.tasks = Number(raw.tasks.value);
    if (raw.delay) p.delay = U.parseDuration(raw.delay.value);
    if (raw.limit) p.limit = Number(raw.limit.value);
    return p;
  }

  // Judge a finished run → {pass, text}. lines: [{fd, text, t}], r: runProgram's result.
  function judge(check, p, r, engine) {
    const factor = engine === "interpreted" ? 3 : 2;
    const starts = new Map(), dones = new Map();
    for (const l of r.lines) {
      const m = TASK_RE.exec(l.text);
      if (!m) continue;
      const map = m[2] === "start" ? starts : dones;
      if (!map.has(m[1])) map.set(m[1], l.t);
    }
    const done = [...dones.keys()].filter((id) => starts.has(id)).length;
    const tasks = p.tasks || starts.size;
    // Interpreted: the interpreter's own start-up (parsing, type-checking the program) is not the
    // program's speed, so time from the first task start to the last task done.
    let elapsed = r.elapsedMs;
    if (engine === "interpreted" && starts.size && dones.size) {
      elapsed = Math.max(...dones.values()) - Math.min(...starts.values());
    }
    const delay = p.delay || 0;
    const times = delay > 0 ? elapsed / delay : 0;
    // With a limit the best a program can do is ceil(tasks / limit) rounds of one delay; the goal
    // allows the same slack on top as the unbounded check (factor - 1 delays).
    const rounds = check === "bounded" && p.limit > 0 ? Math.ceil(tasks / p.limit) : 1;
    const goal = rounds + factor - 1;
    const roundsNote = rounds > 1
      ? (lang === "zh" ? "(上限 " + p.limit + " 时 " + tasks + " 个任务至少要 " + rounds + " 轮)" : " (" + tasks + " tasks at most " + p.limit + " at a time take at least " + rounds + " rounds)")
      : "";
    const lines = [];
    const interpNote = engine === "interpreted"
      ? (lang === "zh" ? "(解释执行较慢,放宽到 " + goal + " × " + dur(delay) + "。)" : " (Interpreted code is slower, so up to " + goal + " × " + dur(delay) + " counts.)")
      : "";
    if (r.status !== "done") {
      return { pass: false, text: r.status === "error" ? T(S.failed) + r.message : r.message || T(S.stopped) };
    }
    if (done < tasks) {
      return { pass: false, text: lang === "zh"
        ? "只有 " + done + " / " + tasks + " 个任务打印了开始和 “task <id> done”。每个任务都要完成。"
        : "Only " + done + " of " + tasks + " tasks printed their start and “task <id> done” lines: every task has to finish." };
    }
    const about = Math.max(1, Math.round(times));
    if (elapsed > goal * delay) {
      const serial = times >= tasks * 0.75;
      return { pass: false, text: (lang === "zh"
        ? "用时 " + secs(elapsed) + " — 大约是 " + about + " × " + dur(delay) + (serial ? ",所以任务仍然是一个接一个地运行。" : ",目标是不超过 " + goal + " × " + dur(delay) + roundsNote + "。")
        : "Finished in " + secs(elapsed) + " — that is about " + about + " × " + dur(delay) + (serial ? ", so the tasks still run one after another." : "; the goal is at most " + goal + " × " + dur(delay) + roundsNote + ".")) + interpNote };
    }
    let overlap = 0;
    if (check === "bounded") {
      const ev = [];
      for (const [id, s] of starts) if (dones.has(id)) ev.push([s, 1], [dones.get(id), -1]);
      ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // a done before a start at the same time
      let cur = 0;
      for (const e of ev) { cur += e[1]; overlap = Math.max(overlap, cur); }
      if (overlap <= 1) {
        return { pass: false, text: lang === "zh" ? "同一时间最多只有 1 个任务在运行:它们仍然是一个接一个。" : "At most 1 task ran at a time: they still run one after another." };
      }
      if (overlap > p.limit) {
        return { pass: false, text: lang === "zh"
          ? "同一时间最多有 " + overlap + " 个任务在运行,但上限是 " + p.limit + "。用信号量或固定数量的工作者来限制。"
          : "Up to " + overlap + " tasks ran at once, but the limit is " + p.limit + ": bound them with a semaphore or a fixed number of workers." };
      }
    }
    lines.push(lang === "zh"
      ? "通过!用时 " + secs(elapsed) + ",全部 " + tasks + " 个任务完成 — 大约 " + about + " × " + dur(delay) + ",任务是并发运行的。"
      : "Passed! Finished in " + secs(elapsed) + " with all " + tasks + " tasks done — about " + about + " × " + dur(delay) + ": the tasks run concurrently.");
    if (check === "bounded") {
      lines.push(lang === "zh" ? "同一时间最多 " + overlap + " 个(上限 " + p.limit + ")。" : "At most " + overlap + " ran at once (limit " + p.limit + ").");
    }
    return { pass: true, text: lines.join(" ") + interpNote };
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setup(sec) {
    if (sec.__challenge || !U.editor) return;
    const E = U.editor;
    const id = sec.dataset.challenge || "";
    const key = "challenge:" + id;
    const box = sec.querySelector(".ch-editor");
    const code = box && (box.querySelector("pre code") || box.querySelector("pre"));
    if (!box || !code) return;
    const pre = code.closest("pre") || code;
    const original = code.textContent;
    const check = sec.dataset.check || "concurrent";
    const p = params(sec);
    const btn = sec.querySelector("button[data-action=check-code]");
    const out = sec.querySelector(".ch-output") || sec.appendChild(el("pre", { class: "ch-output" }));
    let result = sec.querySelector(".ch-result");
    if (!result) { result = el("p", { class: "ch-result" }); sec.append(result); }
    result.setAttribute("aria-live", "polite");
    const stop = el("button", { type: "button", "data-action": "stop-check", disabled: "" }, T(S.stop));
    const reset = el("button", { type: "button", class: "ch-reset", "data-action": "reset-code", "aria-label": T(S.resetLabel) }, T(S.reset));
    E.injectStyle();
    if (btn) btn.insertAdjacentElement("afterend", stop);
    const errors = el("div", { class: "ch-errors", role: "alert", hidden: "" });
    const state = { editor: null, text: E.stored(key, "sync"), run: null, ctl: null };
    sec.__challenge = state;

    const prev = U.progress && U.progress.exercise && U.progress.exercise(id);
    if (prev && prev.verdict === "pass") {
      sec.dataset.passed = "true";
      result.textContent = T(S.passedBefore);
    }

    let started = null;
    function start() {
      if (started) return started;
      const host = el("div", { class: "ch-editor-host" });
      started = E.create(host, {
        doc: state.text != null ? state.text : original,
        label: T(S.label),
        onChange(text) {
          state.text = text;
          reset.disabled = text === original;
          clearTimeout(state.timer);
          state.timer = setTimeout(() => E.store(key, "sync", text === original ? null : text), 250);
        },
      }).then((ed) => {
        state.editor = ed;
        pre.hidden = true;
        pre.insertAdjacentElement("afterend", host);
        const fileLine = sec.querySelector(".ch-file");
        if (fileLine) fileLine.append(" ", reset); else host.insertAdjacentElement("beforebegin", reset);
        help.textContent = T(S.keys);
        host.insertAdjacentElement("afterend", help);
        help.insertAdjacentElement("afterend", errors);
        ed.view.contentDOM.setAttribute("aria-describedby", help.id);
        reset.disabled = (state.text == null || state.text === original);
        return ed;
      });
      started.catch((e) => { started = null; console.warn("challenge editor:", e.message); });
      return started;
    }
    // back to the starting code: the last check's verdict and output went with the old code
    const clearResult = () => {
      delete result.dataset.verdict;
      result.textContent = "";
      out.textContent = "";
      delete sec.dataset.state;
    };
    reset.addEventListener("click", () => {
      if (state.editor) state.editor.setDoc(original);
      state.text = null;
      E.store(key, "sync", null);
      showErrors([]);
      clearResult();
      if (state.editor) state.editor.focus(); // Reset is disabled now: keep the keyboard's place
    });
    // "Reset progress" forgets the pass too
    if (U.progress && U.progress.onChange) {
      U.progress.onChange((p, wasReset) => {
        if (!wasReset) return;
        delete sec.dataset.passed;
        if (!state.run) clearResult();
      });
    }
    // as in playgrounds: the editor loads when the learner starts editing (or has edits stored)
    const help = el("p", { class: "pg-editor-help", id: "ch-keys-" + id }, T(S.hint));
    pre.insertAdjacentElement("afterend", help);
    pre.setAttribute("aria-describedby", help.id);
    E.editOnIntent(pre, T(S.editLabel), start, () => state.editor);
    if (state.text != null && state.text !== original) start();

    function showErrors(errs) {
      errors.textContent = "";
      if (state.editor) state.editor.setErrors(errs);
      errors.hidden = !errs.length;
      if (!errs.length) return;
      const ul = el("ul");
      for (const e of errs.slice(0, 10)) ul.append(el("li", { "data-line": String(e.line || 0) }, E.errorText(e)));
      errors.append(ul);
    }
    function verdict(pass, text) {
      result.dataset.verdict = pass ? "pass" : "fail";
      result.textContent = text;
    }

    stop.addEventListener("click", () => {
      if (state.ctl) state.ctl.abort();
      if (state.run) state.run.stop();
    });

    if (btn) btn.addEventListener("click", async () => {
      if (state.run || state.ctl) return;
      const source = state.text != null ? state.text : original;
      const ctl = (state.ctl = new AbortController());
      // a disabled button drops keyboard focus to the page: hand it over first
      stop.disabled = false;
      if (document.activeElement === btn) stop.focus();
      btn.disabled = true;
      out.textContent = "";
      delete result.dataset.verdict;
      result.textContent = T(S.preparing);
      sec.dataset.state = "running";
      showErrors([]);
      // the start code and the solution are the example's own programs: they run precompiled
      const solution = sec.querySelector(".ch-solution pre");
      let prep;
      if (source === original && sec.dataset.wasmSync) prep = { wasm: sec.dataset.wasmSync, engine: "precompiled" };
      else if (solution && source === solution.textContent && sec.dataset.wasmConcurrent) prep = { wasm: sec.dataset.wasmConcurrent, engine: "precompiled" };
      else {
        try { prep = await E.prepare(source, { signal: ctl.signal }); } catch (e) { prep = { message: String(e && e.message || e) }; }
      }
      state.ctl = null;
      const finish = () => {
        btn.disabled = false;
        if (document.activeElement === stop) btn.focus();
        stop.disabled = true;
        state.run = null;
      };
      if (ctl.signal.aborted) { finish(); sec.dataset.state = "stopped"; verdict(false, T(S.stopped)); return; }
      if (!prep.wasm) {
        finish();
        sec.dataset.state = "error";
        if (prep.errors) { showErrors(prep.errors); verdict(false, T(S.notCompiled)); } // the list under the code has them
        else verdict(false, prep.message);
        return;
      }
      sec.dataset.engine = prep.engine;
      result.textContent = T(S.running) + " (" + E.engineText(prep.engine) + ")";
      const argv = [];
      if (p.tasks !== undefined) argv.push("-tasks", String(p.tasks));
      if (p.delay !== undefined) argv.push("-delay", U.formatDuration(p.delay));
      if (p.limit !== undefined) argv.push("-limit", String(p.limit));
      const net = sec.dataset.net === "true";
      if (net) argv.push("-base", U.labBase());
      const pendingLines = [];
      let scheduled = false;
      const flush = () => {
        scheduled = false;
        const frag = document.createDocumentFragment();
        for (const l of pendingLines) frag.append(l.fd === 2 ? el("span", { class: "stderr" }, l.text + "\n") : l.text + "\n");
        pendingLines.length = 0;
        out.append(frag);
        out.scrollTop = out.scrollHeight;
      };
      state.run = U.runProgram({
        wasm: prep.wasm, source: prep.source, argv, net,
        onLine: (l) => { if (!l.hidden) { pendingLines.push(l); if (!scheduled) { scheduled = true; requestAnimationFrame(flush); setTimeout(() => scheduled && flush(), 100); } } },
      });
      const r = await state.run;
      flush();
      finish();
      if (prep.engine === "interpreted" && r.status === "error" && r.code === 1) {
        const errs = E.parseErrorLines(r.lines);
        if (errs.length) {
          sec.dataset.state = "error";
          showErrors(errs);
          verdict(false, T(S.notCompiled));
          return;
        }
      }
      sec.dataset.state = r.status;
      if (r.status === "done") sec.dataset.elapsedMs = String(Math.round(r.elapsedMs));
      else delete sec.dataset.elapsedMs;
      const j = judge(check, p, r, prep.engine);
      verdict(j.pass, j.text);
      if (j.pass) {
        sec.dataset.passed = "true";
        if (U.progress && U.progress.saveExercise) {
          U.progress.saveExercise(id, { verdict: "pass", kind: "challenge", measured: Math.round(r.elapsedMs), engine: prep.engine });
        }
      }
    });
  }

  U.challenge = { judge };
  Promise.resolve().then(() => { for (const sec of document.querySelectorAll("section.challenge")) setup(sec); });
})();
