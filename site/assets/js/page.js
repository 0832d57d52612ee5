// page.js — small behaviours of every page: the language switch keeps the reader's place, the
// index shows the reader's language first, and print makes a handout (?print, ?print=solutions).
import { config } from "./config.js";

// readerScrolled: the reader moved the page themselves (wheel, touch, scrolling keys)
// since it loaded; land() and layout shifts do not count.
let readerScrolled = false;
for (const ev of ["wheel", "touchmove"]) addEventListener(ev, () => { readerScrolled = true; }, { passive: true, once: true });
addEventListener("keydown", (e) => {
  if (["ArrowDown", "ArrowUp", "PageDown", "PageUp", "Home", "End", " "].includes(e.key) && !(e.target.closest && e.target.closest("input, textarea, select, [contenteditable], .cm-editor"))) readerScrolled = true;
});

/**
 * place(ids, theirs) → the fragment ("#id" or "") of the reader's place on the other language's
 * page. ids are this page's heading ids in document order (nav.lang-switch[data-ids]), theirs
 * the other page's (its a[data-ids]): both languages share the outline, so the n-th heading
 * here is the n-th there. A widget (pg-…, ex-…, ch-…) keeps its id in every language, so a
 * #fragment naming one that is on screen carries over as it is; otherwise the place is the
 * last heading above the top third of the window (or the #heading the URL names, while it is
 * on screen).
 */
export function place(ids, theirs) {
  const frag = decodeURIComponent(location.hash.slice(1));
  if (frag.startsWith("edit=")) return location.hash; // a shared edit: the same example there
  const onScreen = (e) => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
  const target = frag && document.getElementById(frag);
  // Until the reader scrolls, the #fragment is their place even when widgets above it grew
  // after landing (a challenge's editor, a run's output) and pushed it off screen.
  if (target && (onScreen(target) || !readerScrolled)) {
    const i = ids.indexOf(frag);
    if (i >= 0) return theirs[i] ? "#" + theirs[i] : "";
    if (!target.matches("h1, h2, h3, h4, h5, h6")) return "#" + frag;
  }
  let at = -1;
  ids.forEach((id, i) => {
    const h = document.getElementById(id);
    if (h && h.getBoundingClientRect().top <= innerHeight / 3) at = i;
  });
  return at >= 0 && theirs[at] ? "#" + theirs[at] : "";
}

/**
 * land scrolls to the element the URL's #fragment names once the widgets are built: the
 * browser scrolled to it before the scripts ran, and hydration changes the height of what is
 * above it (a section link, or the language switch, would land a screen or more away).
 */
export function land() {
  const frag = decodeURIComponent(location.hash.slice(1));
  const target = frag && !frag.startsWith("edit=") && document.getElementById(frag);
  if (!target) return;
  const go = () => target.scrollIntoView({ block: "start", behavior: "instant" });
  go();
  // once more after load and the fonts (late layout), unless the reader has moved meanwhile;
  // then <html data-landed="true">
  let moved = false;
  for (const ev of ["wheel", "touchstart", "keydown", "pointerdown"]) addEventListener(ev, () => { moved = true; }, { once: true, passive: true });
  const loaded = document.readyState === "complete" ? Promise.resolve() : new Promise((r) => addEventListener("load", r, { once: true }));
  Promise.all([loaded, document.fonts ? document.fonts.ready : null])
    .then(() => new Promise((r) => requestAnimationFrame(r)))
    .then(() => { if (!moved) go(); document.documentElement.dataset.landed = "true"; });
}

/**
 * readerLanguage → the reader's language code: the one they last read a lesson in
 * (localStorage "unblocked.lang"), else the first of the browser's languages the site has
 * ("zh-CN" → "zh"), else "".
 */
export function readerLanguage(codes) {
  let last = "";
  try { last = localStorage.getItem("unblocked.lang") || ""; } catch (e) { last = ""; }
  if (codes.includes(last)) return last;
  for (const l of navigator.languages || [navigator.language || ""]) {
    const c = String(l).toLowerCase().split("-")[0];
    if (codes.includes(c)) return c;
  }
  return "";
}

// readerFirst puts the reader's language first on the index: its lesson list (which on a phone
// would otherwise come below the whole other list) and its entry in the language choice.
function readerFirst() {
  const lists = document.querySelector(".lesson-lists");
  if (!lists) return;
  const sections = Array.from(lists.querySelectorAll(":scope > .lesson-list[aria-labelledby^=list-]"));
  const codes = sections.map((s) => s.getAttribute("aria-labelledby").slice(5));
  const mine = readerLanguage(codes);
  lists.dataset.readerLang = mine;
  const i = codes.indexOf(mine);
  if (i <= 0) return;
  lists.prepend(sections[i]);
  const tag = sections[i].getAttribute("lang");
  const choice = document.querySelector(".lang-choice a[hreflang='" + tag + "']");
  if (choice) choice.closest("ul").prepend(choice.closest("li"));
}

/** init wires them. */
export function init() {
  // the language of the lessons this reader reads (the index lists it first)
  if (config.lesson) { try { localStorage.setItem("unblocked.lang", config.lang); } catch (e) { /* private mode */ } }
  readerFirst();
  // The language switch keeps the page's parameters (?pg=…&tasks=…) and the reader's section
  // (heading ids differ between the languages: place maps them).
  const carry = (e) => {
    const a = e.target.closest && e.target.closest(".lang-switch a[hreflang]");
    if (!a) return;
    const nav = a.closest(".lang-switch");
    const u = new URL(a.getAttribute("href"), location.href);
    u.search = location.search;
    u.hash = place((nav.dataset.ids || "").split(" ").filter(Boolean), (a.dataset.ids || "").split(" ").filter(Boolean));
    a.href = u.href;
  };
  document.addEventListener("click", carry);
  document.addEventListener("auxclick", carry);
  document.addEventListener("contextmenu", carry); // "open in new tab" from the menu
  // Handouts (docs/arch/classroom.md): print gives the lesson, both programs and the learner's last
  // runs, without hints or solutions (<html data-print="handout">, 90-print.css) unless the page was
  // opened with ?print=solutions (the teacher's copy: closed <details> open for it). ?print opens
  // the print dialog once the page is ready.
  const root = document.documentElement;
  const asked = new URLSearchParams(location.search).get("print");
  if (asked !== null) root.dataset.print = asked === "solutions" ? "solutions" : "handout";
  let setHere = false;
  addEventListener("beforeprint", () => {
    if (!root.dataset.print) { root.dataset.print = "handout"; setHere = true; }
    if (root.dataset.print !== "solutions") return;
    for (const d of document.querySelectorAll("main details:not([open])")) { d.open = true; d.dataset.printOpened = ""; }
  });
  addEventListener("afterprint", () => {
    for (const d of document.querySelectorAll("details[data-print-opened]")) { d.open = false; delete d.dataset.printOpened; }
    if (setHere) { delete root.dataset.print; setHere = false; }
  });
  if (asked !== null && !navigator.webdriver) addEventListener("load", () => requestAnimationFrame(() => print()), { once: true });
}
