// present.js — presenter mode and the page's keyboard shortcuts (docs/arch/classroom.md).
//
// ?present on any lesson, or the P key, sets <html data-present>: the navigation and table of
// contents go, text and code grow (50-classroom.css), and the lesson shows one section (an h2
// and what follows it) per screen: →, Space and PageDown step on, ←, Shift+Space and PageUp
// back; the section's id is the address's #fragment. Shift+Enter runs both versions of the
// section's playground, R replays its last run's timeline in slow motion, J shows the join
// card (under workbook serve). ? lists the keys. classroom.js, on every page, has the "?" button
// and the keys that start all this (?, P, R) and imports this module on their first use, or at
// load for ?present.
//
// Under workbook serve (site-config.compile is set) the presenter's page reports where it is
// (path, ?params, #section) to B__workbook/present, so that learners who follow move with it,
// and shows how many follow (the B__workbook/follow?presenter stream).
import { config } from "./config.js";
import { el, typing } from "./dom.js";
import { t } from "./i18n.js";

const root = document.documentElement;
const served = !!config.compile; // the dev server: classroom routes exist
const REPLAY_SLOWER = 5;

let steps = []; // [[element, …], …]: the lesson's sections
let at = 0;
let bar = null; // the presenter's status line
let card = null; // the join card
let followers = null; // EventSource of the follower count
let reporter = 0; // interval reporting the page's place
let lastSent = "";

let instance = () => null; // a playground section's API (playground.js instance), from init

/**
 * init reads ?present and wires the keys; opts.playgroundOf(sec) is playground.js's instance
 * (main.js passes it on a page with playgrounds: Shift+Enter and R run and replay them).
 */
export function init(opts = {}) {
  if (opts.playgroundOf) instance = opts.playgroundOf;
  document.addEventListener("keydown", onKey);
  if (new URLSearchParams(location.search).has("present")) enter();
  // the follower-count stream holds one of the browser's 6 connections per server: let it go with the page
  addEventListener("pagehide", () => { if (followers) { followers.close(); followers = null; } });
  addEventListener("pageshow", (e) => { if (e.persisted && active()) { leave(); enter(); } });
}

/** active reports whether presenter mode is on. */
export const active = () => root.hasAttribute("data-present");

function sections() {
  const body = document.querySelector(".lesson-body");
  if (!body) return [];
  const out = [[]];
  const head = document.querySelector(".lesson-header");
  if (head) out[0].push(head);
  for (const c of body.children) {
    if (c.tagName === "H2" && out[out.length - 1].some((x) => x !== head)) out.push([]);
    out[out.length - 1].push(c);
  }
  return out.filter((s) => s.length);
}

/** enter turns presenter mode on (at the section of the address's #fragment). */
export function enter() {
  if (active()) return;
  root.setAttribute("data-present", "");
  steps = sections();
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  at = Math.max(0, target ? steps.findIndex((s) => s.some((e) => e === target || e.contains(target))) : 0);
  bar = el("p", { class: "present-bar", role: "status" });
  document.body.append(bar);
  setURL(true);
  show(at);
  if (served) {
    report();
    reporter = setInterval(report, 400); // params change through history.replaceState, which fires no event
    followers = new EventSource(config.base + "__workbook/follow?presenter");
    followers.addEventListener("followers", (e) => {
      const n = JSON.parse(e.data).n;
      bar.dataset.followers = String(n);
      renderBar();
    });
  }
}

/** leave turns presenter mode off. */
export function leave() {
  if (!active()) return;
  root.removeAttribute("data-present");
  delete root.dataset.presentStep;
  for (const s of steps) for (const e of s) e.removeAttribute("data-present-off");
  if (bar) bar.remove();
  if (card) { card.remove(); card = null; }
  if (followers) { followers.close(); followers = null; }
  clearInterval(reporter);
  setURL(false);
}

function setURL(on) {
  const u = new URL(location.href);
  if (on) u.searchParams.set("present", ""); else u.searchParams.delete("present");
  history.replaceState(history.state, "", u.pathname + u.search.replace(/present=(&|$)/, "present$1") + u.hash);
}

function show(i) {
  if (!steps.length) return;
  at = Math.min(Math.max(i, 0), steps.length - 1);
  steps.forEach((s, k) => { for (const e of s) e.toggleAttribute("data-present-off", k !== at); });
  root.dataset.presentStep = String(at);
  const h = steps[at].find((e) => e.tagName === "H2");
  const u = new URL(location.href);
  u.hash = h && h.id ? h.id : "";
  history.replaceState(history.state, "", u.pathname + u.search + u.hash);
  scrollTo(0, 0);
  renderBar();
  report();
}

function renderBar() {
  if (!bar) return;
  let text = t("presenting") + " · " + t("stepOf", { n: at + 1, of: Math.max(steps.length, 1) });
  if (bar.dataset.followers !== undefined) text += " · " + t("followers", { n: bar.dataset.followers });
  bar.textContent = text;
}

// report tells the server where the presenter is, when that changed.
function report() {
  if (!served || !active()) return;
  const u = new URL(location.href);
  u.searchParams.delete("present");
  const where = u.pathname + u.search + u.hash;
  if (where === lastSent) return;
  lastSent = where;
  fetch(config.base + "__workbook/present", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url: where }),
  }).then((r) => r.ok ? r.json() : null).then((j) => {
    if (j && bar) { bar.dataset.followers = String(j.followers); renderBar(); }
  }).catch(() => { lastSent = ""; });
}

// the section's first playground (or the page's, outside presenter mode)
function currentPlayground() {
  const scope = active() && steps[at] ? steps[at] : [document.body];
  for (const e of scope) {
    const p = e.matches && e.matches("section.playground") ? e : e.querySelector && e.querySelector("section.playground");
    if (p) return p;
  }
  return null;
}

/** replay replays the section's playground's last run in slow motion; false if there is none. */
export function replay() {
  const sec = currentPlayground();
  const api = sec && instance(sec);
  if (!api || !api.replay) return false;
  const ok = api.replay(REPLAY_SLOWER);
  if (ok && bar) bar.textContent = t("replaying", { x: REPLAY_SLOWER });
  return ok;
}

async function toggleCard() {
  if (card) { card.remove(); card = null; return; }
  card = el("aside", { class: "join-card", "aria-label": t("joinCard") });
  card.append(el("p", { class: "join-card-title" }, t("joinCard")));
  document.body.append(card);
  if (!served) { card.append(el("p", {}, t("joinCardLocal"))); return; }
  try {
    const r = await fetch(config.base + "join/card.json", { cache: "no-store" });
    const j = await r.json();
    if (!card) return;
    // the SVG is the server's own (site/classroom.QRSVG), parsed as SVG, never as HTML
    const svg = new DOMParser().parseFromString(j.qr, "image/svg+xml").documentElement;
    const img = document.importNode(svg, true);
    img.setAttribute("class", "join-card-qr");
    const link = el("a", { href: j.join }, j.url);
    const url = el("p", { class: "join-card-url" });
    url.append(link);
    card.append(img, url);
    if (j.local) card.append(el("p", {}, t("joinCardLocal")));
  } catch (e) {
    card.append(el("p", {}, t("joinCardLocal")));
  }
}

let help = null;
/** showHelp opens the list of keys. */
export function showHelp() {
  if (!help) {
    help = el("dialog", { class: "keys-help", "aria-labelledby": "keys-help-title" });
    help.append(el("h2", { id: "keys-help-title" }, t("keys")));
    const dl = el("dl");
    for (const [k, key] of [["?", "keyHelp"], ["P", "keyPresent"], ["← → Space", "keyStep"], ["Shift+Enter", "keyRunBoth"], ["R", "keyReplay"], ["J", "keyJoin"]]) {
      const dt = el("dt");
      for (const part of k.split(" ")) dt.append(el("kbd", {}, part), " ");
      dl.append(dt, el("dd", {}, t(key)));
    }
    const close = el("button", { type: "button", class: "keys-close" }, t("close"));
    close.addEventListener("click", () => help.close());
    help.append(dl, close);
    document.body.append(help);
  }
  if (!help.open) help.showModal();
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  if (typing(e)) return;
  const onButton = e.target && e.target.closest && e.target.closest("button, a, summary");
  const k = e.key;
  if (k === "?") { e.preventDefault(); showHelp(); return; }
  if (k === "p" || k === "P") { e.preventDefault(); if (active()) leave(); else enter(); return; }
  if (k === "r" || k === "R") { if (replay()) e.preventDefault(); return; }
  if (!active()) return;
  if (k === "j" || k === "J") { e.preventDefault(); toggleCard(); return; }
  if (k === "Enter" && e.shiftKey) {
    const sec = currentPlayground();
    const api = sec && instance(sec);
    if (api) { e.preventDefault(); api.run("both"); }
    return;
  }
  if (k === "ArrowRight" || k === "PageDown" || (k === " " && !e.shiftKey && !onButton)) { e.preventDefault(); show(at + 1); return; }
  if (k === "ArrowLeft" || k === "PageUp" || (k === " " && e.shiftKey && !onButton)) { e.preventDefault(); show(at - 1); }
}
