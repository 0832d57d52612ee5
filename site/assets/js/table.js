// table.js — the timeline's text alternative: a <table> of every bar (task, language, variant,
// start, end) per variant, in the lanes' order (Go's sync and concurrent, then any lane added
// later, as Run Python's "py-sync" and "py-concurrent": language Python); beyond TABLE_ALL rows a
// variant shows its first and last TABLE_EDGE rows around a summary row with a CSV download of
// every bar.
import { el } from "./dom.js";
import { t, ms, variantWord } from "./i18n.js";

const TABLE_ALL = 100, TABLE_EDGE = 10;

// A lane's language and its variant within it: "py-concurrent" is Python's concurrent
// (asyncio) version, "sync" Go's sync one. The drawn timeline labels its lanes the same way.
const PY_PREFIX = "py-";
const languageOf = (v) => (v.startsWith(PY_PREFIX) ? "Python" : "Go");
const baseOf = (v) => (v.startsWith(PY_PREFIX) ? v.slice(PY_PREFIX.length) : v);
const variantCell = (v) => (v === "py-concurrent" ? "asyncio" : variantWord(baseOf(v)));
/**
 * table(tl, variants, {bars, name}) finds the table in tl (.pg-timeline) or makes one (in a
 * <details> at its end). bars(v) lists v's bars ([{id, start, end}]); name is the CSV files'
 * stem. → {mark(v), render(), clear(v), rows(v), csv(v), add(v)}: mark says v's bars changed,
 * render redraws the marked variants (once per frame), add lists one more lane (after the others).
 */
export function table(tl, variants, { bars, name }) {
  let tableEl = tl.querySelector("table");
  if (!tableEl) {
    tableEl = el("table", { class: "pg-table" });
    tableEl.append(el("caption", null, t("timeline")));
    const thead = el("thead");
    const tr = el("tr");
    for (const h of ["task", "codeLanguage", "variant", "start", "end"]) tr.append(el("th", { scope: "col" }, t(h)));
    thead.append(tr);
    tableEl.append(thead);
    const det = el("details", { class: "pg-table-wrap" });
    det.append(el("summary", null, t("timeline")), tableEl);
    tl.append(det);
  }
  let tbody = tableEl.tBodies[0];
  if (!tbody) { tbody = el("tbody"); tableEl.append(tbody); }
  const trs = {}, dirty = {};
  variants = variants.slice();
  for (const v of variants) { trs[v] = []; dirty[v] = false; }

  function row(b, v) {
    const tr = el("tr", { "data-variant": v, "data-task": b.id });
    tr.append(el("td", null, b.id), el("td", null, languageOf(v)), el("td", null, variantCell(v)), el("td", null, ms(b.start)),
      el("td", null, b.end !== undefined ? ms(b.end) : ""));
    return tr;
  }
  function renderVariant(v) {
    dirty[v] = false;
    for (const tr of trs[v]) tr.remove();
    const list = bars(v);
    const out = (trs[v] = []);
    const n = list.length;
    if (n <= TABLE_ALL) {
      for (const b of list) out.push(row(b, v));
    } else {
      for (let i = 0; i < TABLE_EDGE; i++) out.push(row(list[i], v));
      let first = Infinity, last = -Infinity;
      for (const b of list) {
        if (b.start < first) first = b.start;
        if (b.end !== undefined && b.end > last) last = b.end;
      }
      const tr = el("tr", { "data-variant": v, class: "pg-summary" });
      const td = el("td", { colspan: "5" });
      td.append(t("tableSummary", { n: ms(n), v: variantWord(v), first: ms(first), last: last >= 0 ? ms(last) : "–", hidden: ms(n - 2 * TABLE_EDGE) }) + " ");
      const btn = el("button", { type: "button", class: "pg-csv", "data-action": "download-csv", "data-variant": v }, t("csv"));
      btn.addEventListener("click", () => download(v));
      td.append(btn);
      tr.append(td);
      out.push(tr);
      for (let i = n - TABLE_EDGE; i < n; i++) out.push(row(list[i], v));
    }
    const frag = document.createDocumentFragment();
    frag.append(...out);
    // in the lanes' order: before the first row of any lane after v's
    const later = variants.slice(variants.indexOf(v) + 1).map((x) => trs[x][0]).find((x) => x);
    tbody.insertBefore(frag, later || null);
  }
  function csv(v) {
    const r = (x) => (x === undefined ? "" : String(Math.round(x * 10) / 10));
    const q = (s) => (/[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
    const out = ["task,language,variant,start_ms,end_ms"];
    const lv = languageOf(v) + "," + baseOf(v);
    for (const b of bars(v)) out.push(q(b.id) + "," + lv + "," + r(b.start) + "," + r(b.end));
    return out.join("\n") + "\n";
  }
  function download(v) {
    const url = URL.createObjectURL(new Blob([csv(v)], { type: "text/csv" }));
    const a = el("a", { href: url, download: (name || "timeline") + "-" + v + ".csv" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  return {
    mark(v) { dirty[v] = true; },
    render() { for (const v of variants) if (dirty[v]) renderVariant(v); },
    clear(v) { for (const tr of trs[v]) tr.remove(); trs[v] = []; dirty[v] = false; },
    /** rows(v): the table rows v shows now */
    rows: (v) => (trs[v] ? trs[v].length : 0),
    /** add(v): v's bars are listed too, after the lanes before it (python.js's lanes) */
    add(v) { if (trs[v]) return; variants.push(v); trs[v] = []; dirty[v] = false; },
    csv,
  };
}
