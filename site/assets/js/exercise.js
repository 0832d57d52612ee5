// exercise.js — predict-then-run exercises (docs/architecture.md, "Exercise markup").
// section.exercise[data-exercise][data-run][data-predict=elapsed|choice][data-params][data-wasm]:
// the learner predicts (ms, or a radio), presses button[data-action=check]; the variant runs with
// data-params; the verdict goes to .ex-result[data-verdict], the output to .ex-output, the
// explanation is revealed and the answer saved with the progress (restored after a reload).
//   elapsed: measured is the program's own elapsed time (its last "… done in <duration>" line;
//            the worker's wall time when it prints none): what the run itself shows, not the
//            page's time, which adds start-up (the Go runtime starting and exiting: the
//            worker's time minus the program's own, shown apart and not counted) and message
//            latency. Correct when |prediction − measured| ≤ max(25 % of measured, 150 ms). While the run
//            is under way the page samples how late its timers fire; when they were more than
//            100 ms late the machine was busy, and a wrong verdict offers a re-run
//            (button[data-action=rerun]). The numbers shown are the ones judged.
//   choice:  correct when the chosen radio carries data-accepted (fixed by the author).
import { runProgram, warm } from "./runner.js";
import { parseDuration } from "./protocol.js";
import { values, argv } from "./params.js";
import { t, ms } from "./i18n.js";
import { show } from "./output.js";
import * as progress from "./progress.js";

const hydrated = new WeakSet();

/** BUSY_MS: timers firing later than this during a run mean the machine was busy. */
export const BUSY_MS = 100;

/**
 * judge(prediction, result, lines) → {ok, measured, tolerance, startup} for an elapsed
 * prediction (see the top of this file): measured is the program's own time when it printed
 * one ("… done in 1.234s"), startup the rest of the worker's time.
 */
export function judge(pred, r, lines) {
  let own = NaN;
  for (let i = lines.length - 1; i >= 0 && isNaN(own); i--) {
    const m = /\bdone in (\S+)\s*$/.exec(lines[i].text || "");
    if (m) own = parseDuration(m[1]);
  }
  const measured = isFinite(own) ? own : r.elapsedMs;
  const startup = isFinite(own) ? Math.max(0, r.elapsedMs - own) : 0;
  const tolerance = Math.max(0.25 * measured, 150);
  return { ok: Math.abs(pred - measured) <= tolerance, measured, tolerance, startup };
}

function labelOf(radio) {
  const l = radio.closest("label") || (radio.id && document.querySelector("label[for='" + radio.id + "']"));
  return ((l ? l.textContent : radio.parentNode && radio.parentNode.textContent) || radio.value || "").trim();
}

/** hydrate makes an exercise section work. */
export function hydrate(sec) {
  if (hydrated.has(sec)) return;
  hydrated.add(sec);
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
    output.setAttribute("aria-label", t("output"));
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
    return radios.find((x) => x.checked) || null;
  }

  function showVerdict(verdict, text) {
    result.dataset.verdict = verdict;
    result.textContent = text;
    if (explanation) explanation.hidden = false;
    sec.dataset.answered = "true";
  }
  const measuredText = (measured, predicted) => t("measuredVs", { measured: ms(measured), predicted: ms(predicted) });
  // judged: the full account of an elapsed verdict, every number in it the one judged
  const judgedText = (j, pred) => t("measuredOwn", { measured: ms(j.measured), predicted: ms(pred), tol: ms(j.tolerance), off: ms(Math.abs(pred - j.measured)) })
    + (j.startup >= 1 ? t("startupNote", { startup: ms(j.startup) }) : "");

  // a re-run offer when a busy machine may have skewed the run
  const rerun = document.createElement("button");
  rerun.type = "button";
  rerun.dataset.action = "rerun";
  rerun.hidden = true;
  rerun.textContent = t("rerun");
  result.insertAdjacentElement("afterend", rerun);
  rerun.addEventListener("click", () => { rerun.hidden = true; check(); });

  // lagMeter samples how late the page's timers fire while a run is under way → stop() → max ms
  function lagMeter() {
    let last = performance.now(), worst = 0;
    const id = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 50);
      last = now;
    }, 50);
    return () => { clearInterval(id); worst = Math.max(worst, performance.now() - last - 50); return Math.max(0, worst); };
  }

  let running = null;
  // The button stays focusable while a run is under way (aria-disabled, not disabled: a disabled
  // button drops keyboard focus to the page); a press then does nothing.
  const busy = (on) => { if (button) button.setAttribute("aria-disabled", on ? "true" : "false"); };
  async function check() {
    if (running) return;
    const pred = prediction();
    if (pred === null) {
      delete result.dataset.verdict;
      result.textContent = t(kind === "elapsed" ? "needNumber" : "needChoice");
      (kind === "elapsed" ? number : radios[0])?.focus();
      return;
    }
    delete result.dataset.verdict;
    result.textContent = t("running");
    rerun.hidden = true;
    sec.dataset.state = "running";
    busy(true);
    const lag = lagMeter();
    const run = runProgram({ wasm: sec.dataset.wasm, argv: argv(values(sec), sec.dataset.net === "true") });
    running = run;
    const r = await run;
    const lateMs = lag();
    if (running !== run) return;
    running = null;
    busy(false);
    const lines = r.lines || [];
    show(output, lines);
    output.hidden = lines.length === 0;
    if (r.status !== "done" && kind === "elapsed") {
      sec.dataset.state = "error";
      result.textContent = t("didNotFinish", { msg: r.message });
      return;
    }
    sec.dataset.state = "done";
    if (kind === "elapsed") {
      const j = judge(pred, r, lines);
      const ok = j.ok;
      sec.dataset.measuredMs = String(Math.round(j.measured));
      sec.dataset.toleranceMs = String(Math.round(j.tolerance));
      sec.dataset.lateMs = String(Math.round(lateMs));
      let text = t(ok ? "correct" : "incorrect") + judgedText(j, pred);
      if (!ok && lateMs > BUSY_MS) {
        text += t("wasBusy", { late: ms(lateMs) });
        rerun.hidden = false;
      }
      showVerdict(ok ? "correct" : "incorrect", text);
      progress.saveExercise(id, { verdict: ok ? "correct" : "incorrect", prediction: String(pred), measured: Math.round(j.measured),
        tolerance: Math.round(j.tolerance), startup: Math.round(j.startup) });
    } else {
      const ok = pred.hasAttribute("data-accepted");
      showVerdict(ok ? "correct" : "incorrect", t(ok ? "correct" : "incorrect") + t("yourAnswerIs", { answer: labelOf(pred) }));
      progress.saveExercise(id, { verdict: ok ? "correct" : "incorrect", prediction: pred.value || labelOf(pred) });
    }
  }
  if (button) button.addEventListener("click", check);
  if (number) number.addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); check(); } });

  function restore(fresh) {
    const rec = !fresh && id ? progress.exercise(id) : null;
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
    const detail = kind === "elapsed" && rec.measured !== undefined
      ? (rec.tolerance !== undefined
        ? judgedText({ measured: rec.measured, tolerance: rec.tolerance, startup: rec.startup || 0 }, Number(rec.prediction))
        : measuredText(rec.measured, Number(rec.prediction)))
      : t("yourAnswerIs", { answer: label });
    let first = "";
    if (rec.first && rec.tries > 1) {
      first = t("firstTry", { verdict: t(rec.first.verdict === "correct" ? "firstRight" : "firstWrong"), answer: kind === "elapsed" ? t("milliseconds", { n: rec.first.prediction }) : rec.first.prediction, tries: rec.tries });
    }
    showVerdict(rec.verdict, t(rec.verdict === "correct" ? "correct" : "incorrect") + detail + t("earlier") + first);
  }
  restore(false);
  progress.onChange((_, reset) => { if (reset) restore(true); });

  // prefetch the wasm when the exercise nears the viewport
  if ("IntersectionObserver" in window && sec.dataset.wasm) {
    const io = new IntersectionObserver((es) => {
      if (es.some((e) => e.isIntersecting)) { io.disconnect(); warm(sec.dataset.wasm); }
    }, { rootMargin: "600px 0px" });
    io.observe(sec);
  }
}
