// offline.js — the service worker (site-config.sw, scope: the base path) and "Save for offline"
// (docs/arch/classroom.md). A first visit stays light: the worker precaches nothing; once it
// controls the page, the page tells it what it has already loaded ({type: "used"}) and from then
// on whatever the learner uses is cached as it is used. The header's "Save for offline" button
// caches the whole site ({type: "save"}) with a progress bar and its size, and sets
// <html data-offline="ready"> when done (also on later visits, once saved). It has nothing to
// do with running programs.
import { config } from "./config.js";
import { el } from "./dom.js";
import { t, num } from "./i18n.js";

const root = document.documentElement;
let ui = null; // {wrap, button, bar, status}

const mb = (bytes) => t("sizeMB", { n: num(Math.max(0.1, Math.round(bytes / 1e5) / 10)) });

/** register starts it where a service worker can run (a secure context). */
export function register() {
  mountButton();
  if (!("serviceWorker" in navigator) || !config.sw || !window.isSecureContext) {
    if (ui) { ui.button.disabled = true; ui.status.textContent = t("saveNeedsHTTPS"); }
    return;
  }
  navigator.serviceWorker.addEventListener("message", onMessage);
  navigator.serviceWorker
    .register(config.sw, { scope: config.base })
    .catch((e) => { console.warn("service worker:", e && e.message); return null; });
  const whenControlled = (fn) => {
    if (navigator.serviceWorker.controller) fn();
    else navigator.serviceWorker.addEventListener("controllerchange", fn, { once: true });
  };
  whenControlled(() => {
    const c = navigator.serviceWorker.controller;
    if (!c) return;
    c.postMessage({ type: "saved?" });
    // what this page loaded before the worker controlled it (the HTTP cache has it: no new bytes)
    const urls = [location.pathname];
    for (const r of performance.getEntriesByType("resource")) {
      const u = new URL(r.name);
      if (u.origin === location.origin) urls.push(u.pathname);
    }
    // a page with programs runs them in a worker whose scripts the page's entries do not list
    if (document.querySelector("section.playground, section.exercise, section.challenge")) {
      for (const u of [config.worker, config.wasmExec, ...Object.values(config.modules || {})]) if (u) urls.push(new URL(u, location.href).pathname);
    }
    c.postMessage({ type: "used", urls });
  });
}

function mountButton() {
  const tools = document.querySelector(".header-tools");
  if (!tools || ui) return;
  const wrap = el("div", { class: "offline-save" });
  const button = el("button", { type: "button", "data-action": "save-offline" }, t("saveOffline"));
  const bar = el("progress", { max: "1", value: "0", hidden: "", "aria-label": t("saveProgress") });
  const status = el("p", { class: "offline-status", role: "status" });
  wrap.append(button, bar, status);
  tools.prepend(wrap);
  ui = { wrap, button, bar, status };
  button.addEventListener("click", save);
}

/** save asks the service worker to cache the whole site. */
export async function save() {
  if (!("serviceWorker" in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  const w = navigator.serviceWorker.controller || reg.active;
  if (!w) return;
  delete root.dataset.offline;
  root.dataset.offlineSaving = "";
  ui.button.disabled = true;
  ui.bar.hidden = false;
  ui.bar.value = 0;
  w.postMessage({ type: "save" });
}

function onMessage(ev) {
  const d = ev.data || {};
  if (!ui) return;
  if (d.type === "save-progress") {
    ui.bar.max = d.total;
    ui.bar.value = d.done;
    ui.status.textContent = t("saving", { done: num(d.done), total: num(d.total), size: mb(d.bytes) + " / " + mb(d.totalBytes) });
  } else if (d.type === "save-done") {
    delete root.dataset.offlineSaving;
    ui.button.disabled = false;
    ui.bar.hidden = true;
    if (d.failed) {
      ui.status.textContent = t("saveFailed", { n: num(d.failed) });
      root.dataset.offline = "partial";
    } else ready(d.bytes);
  } else if (d.type === "saved" && d.bytes > 0) {
    ready(d.bytes);
  }
}

function ready(bytes) {
  root.dataset.offline = "ready";
  root.dataset.offlineBytes = String(bytes);
  ui.status.textContent = t("savedOffline", { size: mb(bytes) });
}
