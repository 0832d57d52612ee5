// theme.js — button[data-action=toggle-theme] switches <html data-theme> between light and dark,
// remembered in localStorage "unblocked.theme"; the default follows prefers-color-scheme. The
// layout's <head> sets data-theme before the stylesheet loads (site/assets/head.js), so a page
// never flashes in the other theme.
import { t } from "./i18n.js";

const KEY = "unblocked.theme";
const root = document.documentElement;
const mq = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;
const stored = () => { try { return localStorage.getItem(KEY); } catch (e) { return null; } };
const preferred = () => stored() || (mq && mq.matches ? "dark" : "light");

function apply(theme) {
  root.dataset.theme = theme;
  for (const b of document.querySelectorAll("button[data-action=toggle-theme]")) {
    b.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    if (!b.textContent.trim() && !b.getAttribute("aria-label")) b.setAttribute("aria-label", t("theme"));
  }
}

/** get() → "light" or "dark". */
export const get = () => root.dataset.theme;

/** set(theme) shows and remembers the theme. */
export function set(theme) {
  try { localStorage.setItem(KEY, theme); } catch (e) { /* ignore */ }
  apply(theme);
}

/** init wires the toggle and follows the system's scheme until the learner picks one. */
export function init() {
  apply(root.dataset.theme === "dark" || root.dataset.theme === "light" ? root.dataset.theme : preferred());
  if (mq && mq.addEventListener) mq.addEventListener("change", () => { if (!stored()) apply(preferred()); });
  for (const b of document.querySelectorAll("button[data-action=toggle-theme]")) {
    b.addEventListener("click", () => set(root.dataset.theme === "dark" ? "light" : "dark"));
  }
}
