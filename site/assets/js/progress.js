// progress.js — read lessons and answered exercises in localStorage "unblocked.progress.v1":
//   {"read": {"<slug>": true}, "exercises": {"<id>": {"verdict": "correct|incorrect|pass|fail",
//    "prediction": "…", "measured": ms, "at": epoch ms}}}
// A lesson counts as read when its end has been on screen for 2 s, or after 90 s on the page.
// Nav links a[data-lesson=<slug>] get data-read="true" (CSS adds the ✓); button[data-action=reset-progress]
// clears everything once the learner confirms (code edits are kept), and says so in a status line. API: Unblocked.progress = {get(), isRead(slug), markRead(slug),
//   exercise(id), saveExercise(id, record), reset(), onChange(fn)}.
(() => {
  "use strict";
  const U = (window.Unblocked = window.Unblocked || {});
  const KEY = "unblocked.progress.v1";
  const listeners = [];

  function get() {
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

  const api = {
    get,
    isRead: (slug) => !!get().read[slug],
    markRead(slug) {
      if (!slug) return;
      const p = get();
      if (p.read[slug]) return;
      p.read[slug] = true;
      put(p);
    },
    exercise: (id) => get().exercises[id] || null,
    saveExercise(id, rec) {
      const p = get();
      p.exercises[id] = Object.assign({ at: Date.now() }, rec);
      put(p);
    },
    reset() {
      try { localStorage.removeItem(KEY); } catch (e) { /* ignore */ }
      for (const fn of listeners) { try { fn(get(), true); } catch (e) { console.error(e); } }
    },
    onChange(fn) { listeners.push(fn); },
  };
  U.progress = api;

  // the ✓ itself comes from CSS: .lesson-nav a[data-read=true]::after
  function renderTicks() {
    const p = get();
    for (const a of document.querySelectorAll("[data-lesson]")) {
      if (p.read[a.getAttribute("data-lesson")]) a.dataset.read = "true";
      else delete a.dataset.read;
    }
  }
  api.onChange(renderTicks);
  renderTicks();

  const S = {
    confirm: { en: "Forget which lessons you have read and which exercises you have answered? Your code edits stay.", zh: "要清除已读课程和练习记录吗?你改过的代码会保留。" },
    cleared: { en: "Progress cleared.", zh: "进度已清除。" },
  };
  for (const b of document.querySelectorAll("button[data-action=reset-progress]")) {
    const note = document.createElement("p");
    note.className = "progress-note";
    note.setAttribute("role", "status");
    b.insertAdjacentElement("afterend", note);
    b.addEventListener("click", () => {
      if (!window.confirm(U.t ? U.t(S.confirm) : S.confirm.en)) return;
      api.reset();
      note.textContent = U.t ? U.t(S.cleared) : S.cleared.en;
    });
  }

  // mark the current lesson read
  const slug = U.config && U.config.lesson;
  if (slug && !api.isRead(slug)) {
    const longTimer = setTimeout(() => api.markRead(slug), 90000);
    const article = document.querySelector("main article") || document.querySelector("main");
    if (article && "IntersectionObserver" in window) {
      const end = document.createElement("span");
      end.className = "lesson-end";
      end.setAttribute("aria-hidden", "true");
      article.append(end);
      let timer = 0;
      const io = new IntersectionObserver((entries) => {
        const visible = entries.some((e) => e.isIntersecting);
        clearTimeout(timer);
        if (visible) timer = setTimeout(() => { api.markRead(slug); clearTimeout(longTimer); io.disconnect(); }, 2000);
      });
      io.observe(end);
    }
  }
})();
