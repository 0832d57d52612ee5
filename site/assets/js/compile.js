// compile.js — turns edited code into something runProgram runs: compiled by the compile
// endpoint when there is one (site-config.compile, under `workbook serve`) and it answers, else
// interpreted by the interpreter's wasm (site-config.interp); unedited code never comes here.
import { config } from "./config.js";
import { compileWasm, runProgram } from "./runner.js";
import { t } from "./i18n.js";

const compiled = new Map(); // source → Promise<answer>, a few recent ones
let compileWorks = !!config.compile;

/**
 * prepare(source, {signal}) → Promise of {wasm, source?, engine: "compiled"|"interpreted"}
 * (run it), {errors: [{line, col, msg}]} (it does not compile) or {message} (it cannot run).
 */
export async function prepare(source, opts) {
  const signal = opts && opts.signal;
  if (compileWorks) {
    let p = compiled.get(source);
    if (!p) {
      p = ask(source, signal);
      compiled.set(source, p);
      p.then((v) => { if (!v.module && !(v.errors && v.errors.length)) compiled.delete(source); }, () => compiled.delete(source));
      while (compiled.size > 6) compiled.delete(compiled.keys().next().value);
    }
    const v = await p;
    if (v.module) return { wasm: v.module, engine: "compiled" };
    if (v.errors) return { errors: v.errors };
    if (v.message) return { message: v.message };
    compileWorks = false; // fall through to the interpreter for the rest of this page
  }
  if (config.interp) {
    await compileWasm(config.interp); // one download, then cached per page (and by the service worker)
    return { wasm: config.interp, source, engine: "interpreted" };
  }
  return { message: t("noEngine") };
}

async function ask(source, signal) {
  let r;
  try {
    r = await fetch(config.compile, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ source }), signal });
  } catch (e) {
    if (signal && signal.aborted) throw e;
    return { fallback: true };
  }
  if (r.ok) return { module: await WebAssembly.compile(await r.arrayBuffer()) };
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (r.status === 400) return { errors: (body && body.errors) || [] };
  if (r.status === 413) return { message: t("tooLarge") };
  if (r.status === 429) return { message: t("compilerBusy") };
  if (r.status === 504) return { message: t("compileTimeout") };
  return { fallback: true }; // 403, 404, 5xx: the endpoint is not for us
}

/** pendingText is what a panel says while prepare works. */
export const pendingText = () => (config.compile && compileWorks ? t("compiling") : t("loadingInterp"));

/** engineText(engine) → the words for a run's engine. */
export function engineText(engine) {
  if (engine === "compiled") return t("engineCompiled");
  if (engine === "interpreted") return t("engineInterpreted");
  return t("enginePrecompiled");
}

/** errorText({line, col, msg}) → "line:col: msg". */
export const errorText = (e) => (e.line ? e.line + ":" + (e.col ? e.col + ":" : "") + " " : "") + e.msg;

/** interpreterErrors(lines) → the interpreter's "6:14: undefined: x" lines on stderr as errors. */
export function interpreterErrors(lines) {
  const out = [];
  for (const l of lines) {
    const m = /^(\d+):(\d+): (.*)$/.exec(l.text);
    if (l.fd === 2 && m) out.push({ line: +m[1], col: +m[2], msg: m[3] });
  }
  return out;
}

// --- Format (the editor's Format button) ---------------------------------------------------------

/** interpretsEdits() → whether edited code runs in the interpreter on this page (no compile endpoint answers). */
export const interpretsEdits = () => !!config.interp && !(config.compile && compileWorks);

/**
 * format(source, {signal}) → Promise of {source} as gofmt formats it, {errors: [{line, col, msg}]}
 * (it does not parse) or {message} (no formatter here). gofmt runs in the interpreter's wasm
 * (UNBLOCKED_MODE=format), which a static host has too, else in the compile endpoint.
 */
export async function format(source, opts) {
  const signal = opts && opts.signal;
  if (config.interp) {
    const r = await runProgram({ wasm: config.interp, argv: [], env: { UNBLOCKED_MODE: "format" }, source, maxLines: 1e6, signal });
    if (r.status === "done" && r.code === 0) {
      return { source: r.lines.filter((l) => l.fd === 1).map((l) => l.text + "\n").join("") };
    }
    const errors = interpreterErrors(r.lines);
    if (errors.length) return { errors };
    return { message: r.message || t("formatFailed") };
  }
  if (config.compile) {
    let r;
    try {
      r = await fetch(config.compile, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ source, format: true }), signal });
    } catch (e) {
      if (signal && signal.aborted) throw e;
      return { message: t("formatFailed") };
    }
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (r.ok && body && typeof body.source === "string") return { source: body.source };
    if (r.status === 400 && body && body.errors) return { errors: body.errors };
    return { message: t("formatFailed") };
  }
  return { message: t("formatFailed") };
}
