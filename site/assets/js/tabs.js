// tabs.js — tablists with role=tab (arrow keys, Home/End, roving tabindex). Existing
// [role=tablist] markup is wired; a playground with two .pg-source panels and no tablist gets one
// (.pg-tabs), shown on narrow screens only; there the unselected source is hidden.
(() => {
  "use strict";
  const U = (window.Unblocked = window.Unblocked || {});
  const S = { sync: { en: "Sync", zh: "同步版" }, concurrent: { en: "Concurrent", zh: "并发版" }, sources: { en: "Sources", zh: "源码" } };
  const t = (d) => (U.t ? U.t(d) : d.en);
  let n = 0;

  function wire(list) {
    if (list.__tabs) return;
    list.__tabs = true;
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

  function build(sec) {
    if (sec.querySelector("[role=tablist]")) return;
    const sources = ["sync", "concurrent"].map((v) => sec.querySelector(".pg-source[data-variant=" + v + "]"));
    if (!sources[0] || !sources[1]) return;
    const list = document.createElement("div");
    list.className = "pg-tabs";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", t(S.sources));
    ["sync", "concurrent"].forEach((v, i) => {
      const panel = sources[i];
      if (!panel.id) panel.id = "pg-src-" + (++n) + "-" + v;
      panel.setAttribute("role", "tabpanel");
      const tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = panel.id + "-tab";
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = t(S[v]);
      panel.setAttribute("aria-labelledby", tab.id);
      list.append(tab);
    });
    sources[0].parentNode.insertBefore(list, sources[0]);
  }

  if (!document.getElementById("tabs-geometry")) {
    const st = document.createElement("style");
    st.id = "tabs-geometry";
    st.textContent = "@media (min-width: 48rem){.pg-tabs{display:none}}@media (max-width: 47.99rem){[data-tab-hidden]{display:none}}";
    document.head.append(st);
  }
  for (const sec of document.querySelectorAll("section.playground")) build(sec);
  for (const list of document.querySelectorAll("[role=tablist]")) wire(list);
  U.tabs = { wire };
})();
