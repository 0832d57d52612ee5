// theme.js — button[data-action=toggle-theme] switches <html data-theme> between light and dark,
// remembered in localStorage "unblocked.theme"; default follows prefers-color-scheme.
// To avoid a flash, the layout's <head> carries (before the stylesheet):
// <script>try{document.documentElement.dataset.theme=localStorage.getItem("unblocked.theme")||(matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light")}catch(e){}</script>
(() => {
  "use strict";
  const U = (window.Unblocked = window.Unblocked || {});
  const KEY = "unblocked.theme";
  const root = document.documentElement;
  const mq = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;
  const stored = () => { try { return localStorage.getItem(KEY); } catch (e) { return null; } };
  const preferred = () => stored() || (mq && mq.matches ? "dark" : "light");
  const S = {
    dark: { en: "Dark theme", zh: "深色主题" },
  };
  function apply(theme) {
    root.dataset.theme = theme;
    for (const b of document.querySelectorAll("button[data-action=toggle-theme]")) {
      b.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
      if (!b.textContent.trim() && !b.getAttribute("aria-label")) b.setAttribute("aria-label", U.t ? U.t(S.dark) : S.dark.en);
    }
  }
  apply(root.dataset.theme === "dark" || root.dataset.theme === "light" ? root.dataset.theme : preferred());
  if (mq && mq.addEventListener) mq.addEventListener("change", () => { if (!stored()) apply(preferred()); });
  U.theme = {
    get: () => root.dataset.theme,
    set(theme) { try { localStorage.setItem(KEY, theme); } catch (e) { /* ignore */ } apply(theme); },
  };
  for (const b of document.querySelectorAll("button[data-action=toggle-theme]")) {
    b.addEventListener("click", () => U.theme.set(root.dataset.theme === "dark" ? "light" : "dark"));
  }
})();
