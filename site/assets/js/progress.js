// progress.js — read lessons and answered exercises, in localStorage "unblocked.progress.v1":
//   {"read": {"<slug>": true}, "exercises": {"<id>": {"verdict": "correct|incorrect|pass|fail",
//    "prediction": "…", "measured": ms, "at": epoch ms, …, "tries": n, "first": {the first try's
//    record}}}}: the latest answer, and the first try kept beside it
// init() ticks the navigation's a[data-lesson=<slug>] (data-read="true"; CSS adds the ✓), wires
// button[data-action=reset-progress] (clears everything once the learner confirms; code edits
// are kept) and counts the current lesson read when its end has been on screen for 2 s (only
// then: time on a page that was never scrolled through is not reading it).
import { config } from "./config.js";
import { t } from "./i18n.js";

const KEY = "unblocked.progress.v1";
const listeners = [];

/** get() → the stored progress. */
export function get() {
  let p = null;
  try { p = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { p = null; }
  if (!p || typeof p !== "object") p = {};
  if (!p.read || typeof p.read !== "object") p.read = {};
  if (!p.exercises || typeof p.exercises !== "object") p.exercises = {};
  return p;
}
function put(p) {
  try { localStorage.setItem(KEY, JSON.stringify(p)); } catch (e) { /* private mode, quota */ }
  for (const fn of listeners) { try { fn(p); } catch (e) { console.error(e); } }
}

/** isRead(slug) reports whether the lesson was read. */
export const isRead = (slug) => !!get().read[slug];

/** markRead(slug) counts the lesson read. */
export function markRead(slug) {
  if (!slug) return;
  const p = get();
  if (p.read[slug]) return;
  p.read[slug] = true;
  put(p);
}

/** exercise(id) → the stored answer of an exercise or challenge, or null. */
export const exercise = (id) => get().exercises[id] || null;

/** saveExercise(id, record) stores an answer (stamped with the time), keeping the first try. */
export function saveExercise(id, rec) {
  const p = get();
  const prev = p.exercises[id];
  const now = Object.assign({ at: Date.now() }, rec);
  const plain = (r) => { const c = Object.assign({}, r); delete c.first; delete c.tries; return c; };
  now.first = prev ? prev.first || plain(prev) : plain(now);
  now.tries = ((prev && prev.tries) || (prev ? 1 : 0)) + 1;
  p.exercises[id] = now;
  put(p);
}

/** reset forgets all progress. */
export function reset() {
  try { localStorage.removeItem(KEY); } catch (e) { /* ignore */ }
  for (const fn of listeners) { try { fn(get(), true); } catch (e) { console.error(e); } }
}

/** onChange(fn) calls fn(progress, wasReset) after every change. */
export function onChange(fn) { listeners.push(fn); }

// the ✓ itself comes from CSS: .lesson-nav a[data-read=true]::after
function renderTicks() {
  const p = get();
  for (const a of document.querySelectorAll("[data-lesson]")) {
    if (p.read[a.getAttribute("data-lesson")]) a.dataset.read = "true";
    else delete a.dataset.read;
  }
}

/** init shows the progress on the page and counts this lesson when it has been read. */
export function init() {
  onChange(renderTicks);
  renderTicks();
  for (const b of document.querySelectorAll("button[data-action=reset-progress]")) {
    const note = document.createElement("p");
    note.className = "progress-note";
    note.setAttribute("role", "status");
    b.insertAdjacentElement("afterend", note);
    b.addEventListener("click", () => {
      if (!window.confirm(t("confirmReset"))) return;
      reset();
      note.textContent = t("cleared");
    });
  }
  const slug = config.lesson;
  if (!slug || isRead(slug)) return;
  const article = document.querySelector("main article") || document.querySelector("main");
  if (!article || !("IntersectionObserver" in window)) return;
  const end = document.createElement("span");
  end.className = "lesson-end";
  end.setAttribute("aria-hidden", "true");
  article.append(end);
  let timer = 0;
  const io = new IntersectionObserver((entries) => {
    const visible = entries.some((e) => e.isIntersecting);
    clearTimeout(timer);
    if (visible) timer = setTimeout(() => { markRead(slug); io.disconnect(); }, 2000);
  });
  io.observe(end);
}
