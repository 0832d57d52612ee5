// params.js — a widget's program parameters (tasks, delay, limit): data-params, the labelled
// inputs and their messages, validation and clamping, the page URL and the program's flags.
//
// URL parameters belong to one playground: ?pg=<key>&tasks=N&delay=MS&limit=N, where key is the
// playground's element id without "pg-" and, for the first playground of an example, without
// "-1" (pg-fanout-1 → fanout, pg-fanout-2 → fanout-2). Other playgrounds keep their defaults; a
// link without pg= applies only on a page with a single playground (older links).
import { parseDuration, formatDuration } from "./protocol.js";
import { labBase } from "./config.js";
import { t } from "./i18n.js";
import { el } from "./dom.js";

/** The parameters, in flag order. */
export const NAMES = ["tasks", "delay", "limit"];

/** parseInput reads a typed or URL value: a bare number is milliseconds, else a Go duration. */
export function parseInput(s) {
  s = String(s == null ? "" : s).trim();
  if (s === "") return NaN;
  if (/^[-+]?\d+(\.\d+)?$/.test(s)) return Number(s);
  return parseDuration(s);
}

/**
 * parseParams reads data-params ({"tasks": {"value": 5, "min": 1, "max": 10000}, "delay":
 * {"value": "1s", …}}) → {name: {kind: "int"|"duration", value, min, max}} (durations in ms).
 */
export function parseParams(json) {
  let raw = {};
  try { raw = JSON.parse(json || "{}") || {}; } catch (e) { raw = {}; }
  const out = {};
  for (const name of NAMES) {
    const p = raw[name];
    if (!p) continue;
    const read = name === "delay" ? parseInput : Number;
    const q = { kind: name === "delay" ? "duration" : "int", value: read(p.value), min: read(p.min), max: read(p.max) };
    if (!isFinite(q.min)) q.min = 0;
    if (!isFinite(q.max)) q.max = 10000;
    if (!isFinite(q.value)) q.value = q.min;
    out[name] = q;
  }
  return out;
}

/** values of a widget's data-params: {tasks, delay (ms), limit}, those present. */
export function values(sec) {
  const ps = parseParams(sec.dataset.params);
  const v = {};
  for (const name in ps) v[name] = ps[name].value;
  return v;
}

/** argv is the program's flags for values, with -base <lab root> for a program that uses the network. */
export function argv(vals, net) {
  const a = [];
  if (vals.tasks !== undefined) a.push("-tasks", String(vals.tasks));
  if (vals.delay !== undefined) a.push("-delay", formatDuration(vals.delay));
  if (vals.limit !== undefined) a.push("-limit", String(vals.limit));
  if (net) a.push("-base", labBase());
  return a;
}

const show = (p, v) => (p.kind === "duration" ? formatDuration(v) : String(v));

/** validate checks one raw value of p → {ok, value, message} (clamped and rounded). */
export function validate(p, raw) {
  let v = p.kind === "duration" ? parseInput(raw) : Number(String(raw).trim());
  if (String(raw).trim() === "" || !isFinite(v)) {
    return { ok: false, message: t(p.kind === "duration" ? "notDuration" : "notNumber") };
  }
  let message = "";
  if (p.kind === "int" && v !== Math.round(v)) { v = Math.round(v); message = t("roundedTo", { v }); }
  if (p.kind === "duration") v = Math.round(v);
  if (v < p.min) { v = p.min; message = t("raisedTo", { v: show(p, v) }); }
  if (v > p.max) { v = p.max; message = t("loweredTo", { v: show(p, v) }); }
  return { ok: true, value: v, message };
}

/** pgKey(sec) → the playground's key in ?pg= (see the top of this file). */
export function pgKey(sec) {
  const id = sec.id || "";
  return id.replace(/^pg-/, "").replace(/-1$/, "") || sec.dataset.example || "";
}

/** targeted(sec, search) reports whether the page URL's parameters are this playground's. */
export function targeted(sec, search = location.search) {
  const q = new URLSearchParams(search);
  const want = q.get("pg");
  if (want == null) return NAMES.some((n) => q.has(n)) && document.querySelectorAll("section.playground").length === 1;
  return want === pgKey(sec) || want === sec.id || "pg-" + want === sec.id || "pg-" + want + "-1" === sec.id;
}

/** searchFor(sec, vals) → "?pg=<key>&tasks=…": a link to this playground with these values. */
export function searchFor(sec, vals) {
  const q = new URLSearchParams(location.search);
  q.delete("pg");
  for (const n of NAMES) q.delete(n);
  const out = new URLSearchParams({ pg: pgKey(sec) });
  for (const name of NAMES) if (vals && vals[name] !== undefined) out.set(name, String(vals[name]));
  for (const [k, v] of q) out.append(k, v);
  return "?" + out.toString();
}

/**
 * controls wires the parameter inputs of a playground section (made when the markup lacks
 * them): each gets a message line (.pg-param-msg[data-for]), values from the page URL, and
 * Enter calls onEnter. → {read(quiet) → values | null, writeURL(values), targeted}: targeted is
 * whether the page URL's parameters were this playground's.
 */
export function controls(sec, { onEnter }) {
  const params = parseParams(sec.dataset.params);
  const inputs = {};
  const msgs = {};
  let box = sec.querySelector(".pg-params");
  for (const name in params) {
    const p = params[name];
    let input = sec.querySelector("input[name=" + name + "]");
    if (!input) {
      if (!box) {
        box = el("div", { class: "pg-params" });
        sec.insertBefore(box, sec.querySelector(".pg-controls, .pg-run, .pg-timeline") || null);
      }
      const label = el("label", { class: "pg-param" });
      label.append(el("span", null, t(name)), " ");
      input = el("input", p.kind === "duration"
        ? { name, type: "text", inputmode: "text", size: "6", value: formatDuration(p.value) }
        : { name, type: "number", min: String(p.min), max: String(p.max), step: "1", value: String(p.value) });
      label.append(input);
      box.append(label);
    }
    inputs[name] = input;
    let msg = sec.querySelector(".pg-param-msg[data-for=" + name + "]");
    if (!msg) {
      msg = el("span", { class: "pg-param-msg", "data-for": name, "aria-live": "polite" });
      (input.closest("label") || input).insertAdjacentElement("afterend", msg);
    }
    if (!msg.id) msg.id = "pg-msg-" + Math.random().toString(36).slice(2, 9);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + msg.id).trim());
    msgs[name] = msg;
  }

  function set(name, v) {
    const input = inputs[name], p = params[name];
    input.value = p.kind === "duration" && input.type === "number" ? String(v) : show(p, v);
  }
  // read validates every input and writes clamped values back → values, or null (focus goes to
  // the first bad input unless quiet)
  function read(quiet) {
    const vals = {};
    let ok = true;
    for (const name in params) {
      const r = validate(params[name], inputs[name].value);
      // keep an earlier clamp message until the learner edits the field
      if (r.message || !r.ok) msgs[name].textContent = r.message;
      inputs[name].setAttribute("aria-invalid", r.ok ? "false" : "true");
      if (!r.ok) { ok = false; if (!quiet) inputs[name].focus(); continue; }
      if (r.message) set(name, r.value);
      vals[name] = r.value;
    }
    return ok ? vals : null;
  }
  function writeURL(vals) {
    if (!vals) return;
    history.replaceState(history.state, "", location.pathname + searchFor(sec, vals) + location.hash);
  }

  // URL → inputs (delay in ms), only when they are this playground's
  const q = new URLSearchParams(location.search);
  const mine = targeted(sec);
  for (const name in params) {
    if (!mine || !q.has(name)) continue;
    const r = validate(params[name], q.get(name));
    if (r.ok) set(name, r.value);
    msgs[name].textContent = r.message;
  }
  for (const name in params) {
    inputs[name].addEventListener("input", () => { msgs[name].textContent = ""; });
    // Enter in a parameter runs both, as a form would submit
    inputs[name].addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); onEnter(); }
    });
    inputs[name].addEventListener("change", () => writeURL(read(true)));
  }
  return { read, writeURL, targeted: mine };
}
