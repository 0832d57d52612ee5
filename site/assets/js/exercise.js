// exercise.js — predict-then-run exercises (docs/architecture.md, "Exercise markup").
// section.exercise[data-exercise][data-run][data-predict=elapsed|choice][data-params][data-wasm]:
// the learner predicts (ms, or a radio), presses button[data-action=check]; the variant runs with
// data-params; the verdict goes to .ex-result[data-verdict], the output to .ex-output, the
// explanation is revealed and the answer saved with Unblocked.progress (restored after reload).
// elapsed: correct when |prediction − measured| ≤ max(25 % of measured, 150 ms).
// choice: correct when the chosen radio carries data-accepted (fixed by the author).
(() => {
  "use strict";
  const U = window.Unblocked;
  if (!U || !U.runProgram) return;
  const T = U.t;
  const S = {
    needNumber: { en: "Type your prediction in milliseconds first.", zh: "请先输入你预测的毫秒数。" },
    needChoice: { en: "Pick an answer first.", zh: "请先选择一个答案。" },
    running: { en: "Running…", zh: "运行中…" },
    correct: { en: "Correct.", zh: "正确。" },
    incorrect: { en: "Not quite.", zh: "不太对。" },
    measured: { en: " Measured: ", zh: "实测:" },
    predicted: { en: " ms; you predicted ", zh: " 毫秒;你的预测:" },
    ms: { en: " ms.", zh: " 毫秒。" },
    yourAnswer: { en: " Your answer: ", zh: "你的答案:" },
    previous: { en: " (your earlier answer)", zh: "(你之前的答案)" },
    failed: { en: "The program did not finish: ", zh: "程序没有正常结束:" },
    output: { en: "Output", zh: "输出" },
  };
  const fmt = (v) => Math.round(v).toLocaleString(U.lang === "zh" ? "zh-CN" : "en-US");

  function paramsArgv(sec) {
    let raw = {};
    try { raw = JSON.parse(sec.dataset.params || "{}"); } catch (e) { raw = {}; }
    const argv = [];
    for (const name of ["tasks", "delay", "limit"]) {
      if (!raw[name]) continue;
      const v = raw[name].value !== undefined ? raw[name].value : raw[name];
      argv.push("-" + name, name === "delay" && typeof v === "number" ? U.formatDuration(v) : String(v));
    }
    if (sec.dataset.net === "true") argv.push("-base", U.labBase());
    return argv;
  }

  function labelOf(radio) {
    const l = radio.closest("label") || (radio.id && document.querySelector("label[for='" + radio.id + "']"));
    return ((l ? l.textContent : radio.parentNode && radio.parentNode.textContent) || radio.value || "").trim();
  }

  function hydrate(sec) {
    if (sec.__unblocked) return;
    sec.__unblocked = true;
    const id = sec.dataset.exercise;
    const kind = sec.dataset.predict === "choice" ? "choice" : "elapsed";
    const button = sec.querySelector("button[data-action=check]");
    let result = sec.querySelector(".ex-result");
    if (!result) { result = document.createElement("p"); result.className = "ex-result"; sec.append(result); }
    if (!result.hasAttribute("aria-live")) result.setAttribute("aria-live", "polite");
    const explanation = sec.querySelector(".ex-explanation");
    let output = sec.querySelector(".ex-output");
    if (!output) {
      output = document.createElement("pre");
      output.className = "ex-output";
      output.setAttribute("aria-label", T(S.output));
      output.hidden = true;
      result.insertAdjacentElement("afterend", output);
    }
    const number = sec.querySelector("input[name=prediction]:not([type=radio])");
    const radios = Array.from(sec.querySelectorAll("input[type=radio][name=prediction]"));
    // every exercise's radios are named "prediction": give each exercise its own (empty) form so
    // they form one group per exercise, not one for the page
    if (radios.length) {
      const form = document.createElement("form");
      form.id = "ex-form-" + (id || Math.random().toString(36).slice(2));
      form.hidden = true;
      form.addEventListener("submit", (e) => e.preventDefault());
      sec.append(form);
      for (const r of radios) r.setAttribute("form", form.id);
    }

    function prediction() {
      if (kind === "elapsed") {
        const v = number ? Number(String(number.value).trim()) : NaN;
        if (!number || String(number.value).trim() === "" || !isFinite(v) || v < 0) return null;
        return v;
      }
      const r = radios.find((x) => x.checked);
      return r || null;
    }

    function show(verdict, text) {
      result.dataset.verdict = verdict;
      result.textContent = text;
      if (explanation) explanation.hidden = false;
      sec.dataset.answered = "true";
    }

    function showOutput(lines) {
      output.textContent = "";
      for (const l of lines) {
        if (l.fd === 2) {
          const s = document.createElement("span");
          s.className = "stderr";
          s.textContent = l.text + "\n";
          output.append(s);
        } else output.append(l.text + "\n");
      }
      output.hidden = lines.length === 0;
    }

    let running = null;
    // The button stays focusable while a run is under way (aria-disabled, not disabled: a
    // disabled button drops keyboard focus to the page); a press then does nothing.
    const busy = (on) => { if (button) button.setAttribute("aria-disabled", on ? "true" : "false"); };
    async function check() {
      if (running) return;
      const pred = prediction();
      if (pred === null) {
        delete result.dataset.verdict;
        result.textContent = T(kind === "elapsed" ? S.needNumber : S.needChoice);
        (kind === "elapsed" ? number : radios[0])?.focus();
        return;
      }
      delete result.dataset.verdict;
      result.textContent = T(S.running);
      sec.dataset.state = "running";
      busy(true);
      const run = U.runProgram({ wasm: sec.dataset.wasm, argv: paramsArgv(sec), net: sec.dataset.net === "true" });
      running = run;
      const r = await run;
      if (running !== run) return;
      running = null;
      busy(false);
      showOutput(r.lines || []);
      if (r.status !== "done" && kind === "elapsed") {
        sec.dataset.state = "error";
        result.textContent = T(S.failed) + r.message;
        return;
      }
      sec.dataset.state = "done";
      if (kind === "elapsed") {
        const measured = r.elapsedMs;
        const ok = Math.abs(pred - measured) <= Math.max(0.25 * measured, 150);
        sec.dataset.measuredMs = String(Math.round(measured));
        show(ok ? "correct" : "incorrect", T(ok ? S.correct : S.incorrect) + T(S.measured) + fmt(measured) + T(S.predicted) + fmt(pred) + T(S.ms));
        if (U.progress) U.progress.saveExercise(id, { verdict: ok ? "correct" : "incorrect", prediction: String(pred), measured: Math.round(measured) });
      } else {
        const ok = pred.hasAttribute("data-accepted");
        show(ok ? "correct" : "incorrect", T(ok ? S.correct : S.incorrect) + T(S.yourAnswer) + labelOf(pred));
        if (U.progress) U.progress.saveExercise(id, { verdict: ok ? "correct" : "incorrect", prediction: pred.value || labelOf(pred) });
      }
    }
    if (button) button.addEventListener("click", check);
    if (number) number.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); check(); } });

    function restore(fresh) {
      const rec = !fresh && U.progress && id ? U.progress.exercise(id) : null;
      if (!rec) {
        delete result.dataset.verdict;
        delete sec.dataset.answered;
        result.textContent = "";
        if (explanation) explanation.hidden = true;
        output.hidden = true;
        return;
      }
      if (kind === "elapsed" && number) number.value = rec.prediction;
      let label = rec.prediction;
      if (kind === "choice") {
        const r = radios.find((x) => (x.value || labelOf(x)) === rec.prediction);
        if (r) { r.checked = true; label = labelOf(r); }
      }
      const text = rec.verdict === "correct" ? T(S.correct) : T(S.incorrect);
      const detail = kind === "elapsed" && rec.measured !== undefined
        ? T(S.measured) + fmt(rec.measured) + T(S.predicted) + fmt(Number(rec.prediction)) + T(S.ms)
        : T(S.yourAnswer) + label;
      show(rec.verdict, text + detail + T(S.previous));
    }
    restore(false);
    if (U.progress) U.progress.onChange((p, reset) => { if (reset) restore(true); });

    // prefetch the wasm when the exercise nears the viewport
    if ("IntersectionObserver" in window && sec.dataset.wasm) {
      const io = new IntersectionObserver((es) => {
        if (es.some((e) => e.isIntersecting)) { io.disconnect(); U.warm(sec.dataset.wasm); }
      }, { rootMargin: "600px 0px" });
      io.observe(sec);
    }
  }
  // after every file of app.js has run (progress.js sorts after this one)
  setTimeout(() => { for (const sec of document.querySelectorAll("section.exercise")) hydrate(sec); }, 0);
})();
