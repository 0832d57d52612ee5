// config.js — what the build tells the page scripts (docs/arch/modules.md, "site-config"): the
// parsed <script id=site-config type=application/json> and the page's language.
//
//   config.base       "/" or "/sub/"        config.lang     "en" | "zh"
//   config.lesson     the lesson's slug ("" elsewhere)
//   config.worker     the program worker module     config.wasmExec  wasm_exec.js
//   config.modules    {name: URL} of every page module (tests import them, see modules.md)
//   config.vendor     {"codemirror.min.js": URL}    config.sw        the service worker
//   config.compile    the compile endpoint (serve)  config.interp    the interpreter's wasm

function readConfig() {
  const el = document.getElementById("site-config");
  let c = {};
  try { c = JSON.parse((el && el.textContent) || "{}") || {}; } catch (e) { c = {}; }
  if (!c.base) c.base = "/";
  return Object.freeze(c);
}

/** The page's site-config (frozen). */
export const config = readConfig();

/** The page's language: "en" or "zh". */
export const lang = (() => {
  const l = config.lang || document.documentElement.lang || "en";
  return l === "zh" || l.startsWith("zh") ? "zh" : "en";
})();

/** labBase is the absolute lab root, e.g. "http://127.0.0.1:8080/sub/lab/". */
export const labBase = () => new URL(config.base + "lab/", location.href).href;
