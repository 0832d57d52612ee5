// tabs.js — tablists with role=tab (arrow keys, Home/End, roving tabindex). A playground's
// .pg-tabs (shown on narrow screens only, by CSS) hides the unselected source with
// data-tab-hidden; other tablists hide their panels. A playground with two .pg-source panels and
// no tablist gets one.
import { t } from "./i18n.js";

let n = 0;
const wired = new WeakSet();

/** wire makes a [role=tablist] work. */
export function wire(list) {
  if (wired.has(list)) return;
  wired.add(list);
  const tabs = Array.from(list.querySelectorAll("[role=tab]"));
  const panelOf = (tab) => document.getElementById(tab.getAttribute("aria-controls"));
  function select(tab, focus) {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      const panel = panelOf(other);
      if (panel) {
        if (list.classList.contains("pg-tabs")) panel.toggleAttribute("data-tab-hidden", !on);
        else panel.hidden = !on;
      }
    }
    if (focus) tab.focus();
  }
  tabs.forEach((tab) => {
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(tab);
      let j = -1;
      if (e.key === "ArrowRight" || e.key === "ArrowDown") j = (i + 1) % tabs.length;
      else if (e.key === "ArrowLeft" || e.key === "ArrowUp") j = (i - 1 + tabs.length) % tabs.length;
      else if (e.key === "Home") j = 0;
      else if (e.key === "End") j = tabs.length - 1;
      if (j < 0) return;
      e.preventDefault();
      select(tabs[j], true);
    });
  });
  select(tabs.find((x) => x.getAttribute("aria-selected") === "true") || tabs[0], false);
}

/** sourceTabs gives a playground without a tablist one for its two sources. */
export function sourceTabs(sec) {
  if (sec.querySelector("[role=tablist]")) return;
  const sources = ["sync", "concurrent"].map((v) => sec.querySelector(".pg-source[data-variant=" + v + "]"));
  if (!sources[0] || !sources[1]) return;
  const list = document.createElement("div");
  list.className = "pg-tabs";
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", t("sources"));
  ["sync", "concurrent"].forEach((v, i) => {
    const panel = sources[i];
    if (!panel.id) panel.id = "pg-src-" + (++n) + "-" + v;
    panel.setAttribute("role", "tabpanel");
    const tab = document.createElement("button");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.id = panel.id + "-tab";
    tab.setAttribute("aria-controls", panel.id);
    tab.textContent = t(v);
    panel.setAttribute("aria-labelledby", tab.id);
    list.append(tab);
  });
  sources[0].parentNode.insertBefore(list, sources[0]);
}
