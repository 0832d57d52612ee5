// challenge.js — code exercises (docs/architecture.md, "Edit and run": :::challenge). The learner
// edits the start program in .ch-editor (the example's sync program, or the one start= names)
// until "Check my code" passes: judge.js checks what the program computed (every task, the
// promised result lines in their order) and then its time by its own clock (docs/arch/challenges.md).
// When a timing failure looks like a busy machine, a "Check again" button runs the same code again.
// Edits are kept with the playgrounds' (edits.js, name "challenge:<id>"); a pass is saved with
// the progress (progress.saveExercise(id, {verdict: "pass", kind: "challenge", …})).
//
//   setup(sec)    makes a section.challenge work
//   instance(sec) → {editor (once loaded), text}
//   judge(check, params, result, engine) → Promise of {pass, busy, line, text}
//
// judge.js (the biggest part of a challenge) is imported on the first "Check my code", while
// the code runs, not with the page.
import { runProgram } from "./runner.js";
import { values, argv } from "./params.js";
import { t } from "./i18n.js";
import { el } from "./dom.js";
import { stream } from "./output.js";
import { stored, store } from "./edits.js";
import { prepare, engineText, interpreterErrors } from "./compile.js";
import { create, editOnIntent } from "./editor-loader.js";
import { showErrors } from "./errors.js";
import * as progress from "./progress.js";

const instances = new WeakMap();

/** instance(sec) → the challenge's state ({editor, text}), or null. */
export const instance = (sec) => instances.get(sec) || null;

let judging = null;
const judgeModule = () => (judging = judging || import("./judge.js").catch((e) => { judging = null; throw e; }));

/**
 * judge a finished run → Promise of {pass, busy, line, text}: judge.js's verdict, worded in the
 * page's language. p: {tasks, delay (ms), limit}; r: runProgram's result; engine: "compiled",
 * "interpreted" or "precompiled".
 */
export async function judge(check, p, r, engine) {
  const m = await judgeModule();
  const v = m.judge(check, p, r, engine);
  return { pass: v.pass, busy: v.busy, line: v.line, text: m.words(v, t) };
}

/** setup makes a challenge section work (see the top of this file). */
export function setup(sec) {
  if (instances.has(sec)) return;
  const id = sec.dataset.challenge || "";
  const key = "challenge:" + id;
  const box = sec.querySelector(".ch-editor");
  const code = box && (box.querySelector("pre code") || box.querySelector("pre"));
  if (!box || !code) return;
  const pre = code.closest("pre") || code;
  const original = code.textContent;
  const check = sec.dataset.check || "concurrent";
  const p = values(sec);
  const btn = sec.querySelector("button[data-action=check-code]");
  const out = sec.querySelector(".ch-output") || sec.appendChild(el("pre", { class: "ch-output" }));
  const output = stream(out);
  let result = sec.querySelector(".ch-result");
  if (!result) { result = el("p", { class: "ch-result" }); sec.append(result); }
  result.setAttribute("aria-live", "polite");
  const stop = el("button", { type: "button", "data-action": "stop-check", disabled: "" }, t("stop"));
  const reset = el("button", { type: "button", class: "ch-reset", "data-action": "reset-code", "aria-label": t("resetCode") }, t("resetShort"));
  if (btn) btn.insertAdjacentElement("afterend", stop);
  // offered when a timing failure looks like the machine's (judge.js, busy)
  const again = el("button", { type: "button", "data-action": "check-again", hidden: "" }, t("checkAgain"));
  stop.insertAdjacentElement("afterend", again);
  again.addEventListener("click", () => { again.hidden = true; if (btn) btn.click(); });
  const errors = el("div", { class: "ch-errors", role: "alert", hidden: "" });
  const state = { editor: null, text: stored(key, "sync"), run: null, ctl: null, timer: 0 };
  instances.set(sec, state);

  const prev = progress.exercise(id);
  if (prev && prev.verdict === "pass") {
    sec.dataset.passed = "true";
    result.textContent = t("passedBefore");
  }

  // as in playgrounds: the editor loads when the learner starts editing (or has edits stored)
  const help = el("p", { class: "pg-editor-help", id: "ch-keys-" + id }, t("codeHint"));
  pre.insertAdjacentElement("afterend", help);
  pre.setAttribute("aria-describedby", help.id);

  let started = null;
  function start() {
    if (started) return started;
    const host = el("div", { class: "ch-editor-host" });
    started = create(host, {
      doc: state.text != null ? state.text : original,
      label: t("codeLabel"),
      onChange(text) {
        state.text = text;
        reset.disabled = text === original;
        clearTimeout(state.timer);
        state.timer = setTimeout(() => store(key, "sync", text === original ? null : text), 250);
      },
    }).then((ed) => {
      state.editor = ed;
      pre.hidden = true;
      pre.insertAdjacentElement("afterend", host);
      const fileLine = sec.querySelector(".ch-file");
      if (fileLine) fileLine.append(" ", reset); else host.insertAdjacentElement("beforebegin", reset);
      help.textContent = t("editorKeys");
      host.insertAdjacentElement("afterend", help);
      help.insertAdjacentElement("afterend", errors);
      ed.view.contentDOM.setAttribute("aria-describedby", help.id);
      reset.disabled = state.text == null || state.text === original;
      return ed;
    });
    started.catch((e) => { started = null; console.warn("challenge editor:", e.message); });
    return started;
  }
  editOnIntent(pre, t("codeEditLabel"), start, () => state.editor);
  if (state.text != null && state.text !== original) start();

  // back to the starting code: the last check's verdict and output went with the old code
  const clearResult = () => {
    delete result.dataset.verdict;
    delete result.dataset.wrongLine;
    again.hidden = true;
    result.textContent = "";
    output.clear();
    delete sec.dataset.state;
  };
  reset.addEventListener("click", () => {
    if (state.editor) state.editor.setDoc(original);
    state.text = null;
    store(key, "sync", null);
    showErrors(errors, state.editor, []);
    clearResult();
    if (state.editor) state.editor.focus(); // Reset is disabled now: keep the keyboard's place
  });
  // "Reset progress" forgets the pass too
  progress.onChange((_, wasReset) => {
    if (!wasReset) return;
    delete sec.dataset.passed;
    if (!state.run) clearResult();
  });

  const verdict = (pass, text, line) => {
    result.dataset.verdict = pass ? "pass" : "fail";
    if (line) result.dataset.wrongLine = String(line); else delete result.dataset.wrongLine;
    result.textContent = text;
  };

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
    output.clear();
    delete result.dataset.verdict;
    again.hidden = true;
    result.textContent = t("preparing");
    sec.dataset.state = "running";
    showErrors(errors, state.editor, []);
    // the start code and the solution are the example's own programs: they run precompiled
    const solution = sec.querySelector(".ch-solution pre");
    let prep;
    if (source === original && sec.dataset.wasmSync) prep = { wasm: sec.dataset.wasmSync, engine: "precompiled" };
    else if (solution && source === solution.textContent && sec.dataset.wasmConcurrent) prep = { wasm: sec.dataset.wasmConcurrent, engine: "precompiled" };
    else {
      try { prep = await prepare(source, { signal: ctl.signal }); } catch (e) { prep = { message: String((e && e.message) || e) }; }
    }
    state.ctl = null;
    const finish = () => {
      btn.disabled = false;
      if (document.activeElement === stop) btn.focus();
      stop.disabled = true;
      state.run = null;
    };
    if (ctl.signal.aborted) { finish(); sec.dataset.state = "stopped"; verdict(false, t("codeStopped")); return; }
    if (!prep.wasm) {
      finish();
      sec.dataset.state = "error";
      if (prep.errors) { showErrors(errors, state.editor, prep.errors); verdict(false, t("codeNoCompile")); } // the list under the code has them
      else verdict(false, prep.message);
      return;
    }
    sec.dataset.engine = prep.engine;
    result.textContent = t("runningCode", { engine: engineText(prep.engine) });
    let scheduled = false;
    const flush = () => { scheduled = false; output.flush(); };
    judgeModule().catch(() => {}); // fetched while the code runs
    state.run = runProgram({
      wasm: prep.wasm, source: prep.source, argv: argv(p, sec.dataset.net === "true"),
      onLine: (l) => {
        if (l.hidden) return;
        output.push(l);
        if (!scheduled) { scheduled = true; requestAnimationFrame(flush); setTimeout(() => scheduled && flush(), 100); }
      },
    });
    const r = await state.run;
    flush();
    finish();
    if (prep.engine === "interpreted" && r.status === "error" && r.code === 1) {
      const errs = interpreterErrors(r.lines);
      if (errs.length) {
        sec.dataset.state = "error";
        showErrors(errors, state.editor, errs);
        verdict(false, t("codeNoCompile"));
        return;
      }
    }
    sec.dataset.state = r.status;
    if (r.status === "done") sec.dataset.elapsedMs = String(Math.round(r.elapsedMs));
    else delete sec.dataset.elapsedMs;
    let j;
    try { j = await judge(check, p, r, prep.engine); } catch (e) { verdict(false, String(e && e.message || e)); return; }
    verdict(j.pass, j.text, j.line);
    if (!j.pass && j.busy) again.hidden = false;
    if (j.pass) {
      sec.dataset.passed = "true";
      progress.saveExercise(id, { verdict: "pass", kind: "challenge", measured: Math.round(r.elapsedMs), engine: prep.engine });
    }
  });
}
